package dev.strata.springai;

import dev.strata.api.Where;
import java.util.List;
import org.springframework.ai.vectorstore.filter.Filter;

/**
 * Translates a Spring AI filter expression ({@code country == 'BG' && year >= 2020}, or built with
 * {@code FilterExpressionBuilder}) to Strata's {@link Where} (Chroma's filter language).
 *
 * <p>Strata's language has no {@code $not}, so NOT is pushed down to the leaves (De Morgan's laws) where each
 * comparison becomes its complement: == and !=, IN and NIN, &gt; and &lt;=, &gt;= and &lt;. For equality and
 * membership the complement is exact, also for documents lacking the key ($ne and $nin match them). For a range it
 * is not: NOT(year &gt; 2020) becomes year &lt;= 2020, which matches only documents whose year is a number.
 *
 * <p>Range comparisons take numbers only (Strata, like Chroma, does not order strings). What Strata cannot
 * express (a string range, IS NULL, IS NOT NULL) throws {@link UnsupportedOperationException} naming it.
 */
public final class ExpressionToWhere {

    private ExpressionToWhere() {}

    /** The Where that selects what the expression selects; null for a null expression (no filter). */
    public static Where toWhere(Filter.Expression expression) {
        return expression == null ? null : translate(expression, false);
    }

    private static Where translate(Filter.Operand operand, boolean negated) {
        return switch (operand) {
            case Filter.Group group -> translate(group.content(), negated);
            case Filter.Expression e -> expression(e, negated);
            default -> throw new UnsupportedOperationException(
                    "Strata cannot filter on " + operand + ": expected an expression or a group");
        };
    }

    private static Where expression(Filter.Expression e, boolean negated) {
        return switch (e.type()) {
            case NOT -> translate(e.left(), !negated);
            case AND -> negated
                    ? Where.or(translate(e.left(), true), translate(e.right(), true))
                    : Where.and(translate(e.left(), false), translate(e.right(), false));
            case OR -> negated
                    ? Where.and(translate(e.left(), true), translate(e.right(), true))
                    : Where.or(translate(e.left(), false), translate(e.right(), false));
            case EQ -> negated ? Where.ne(key(e), value(e)) : Where.eq(key(e), value(e));
            case NE -> negated ? Where.eq(key(e), value(e)) : Where.ne(key(e), value(e));
            case IN -> negated ? Where.nin(key(e), values(e)) : Where.in(key(e), values(e));
            case NIN -> negated ? Where.in(key(e), values(e)) : Where.nin(key(e), values(e));
            case GT -> negated ? Where.lte(key(e), number(e)) : Where.gt(key(e), number(e));
            case GTE -> negated ? Where.lt(key(e), number(e)) : Where.gte(key(e), number(e));
            case LT -> negated ? Where.gte(key(e), number(e)) : Where.lt(key(e), number(e));
            case LTE -> negated ? Where.gt(key(e), number(e)) : Where.lte(key(e), number(e));
            default -> throw new UnsupportedOperationException("Strata does not support the filter " + e.type()
                    + " (" + e + "): Strata's filter language has no test of a key's presence");
        };
    }

    /** The key, without the quotes the text parser keeps around a quoted identifier ('my key'). */
    private static String key(Filter.Expression e) {
        if (!(e.left() instanceof Filter.Key(String key))) {
            throw new UnsupportedOperationException("Strata cannot filter on " + e + ": expected a key on the left");
        }
        boolean quoted = key.length() >= 2 && (key.charAt(0) == '\'' || key.charAt(0) == '"')
                && key.charAt(key.length() - 1) == key.charAt(0);
        return quoted ? key.substring(1, key.length() - 1) : key;
    }

    private static Object value(Filter.Expression e) {
        if (!(e.right() instanceof Filter.Value(Object value))) {
            throw new UnsupportedOperationException("Strata cannot filter on " + e + ": expected a value on the right");
        }
        return value;
    }

    private static Object[] values(Filter.Expression e) {
        return value(e) instanceof List<?> list ? list.toArray() : new Object[] {value(e)};
    }

    private static Number number(Filter.Expression e) {
        if (value(e) instanceof Number n) {
            return n;
        }
        throw new UnsupportedOperationException("Strata does not support the filter " + e.type() + " (" + e
                + "): Strata orders numbers only, not " + value(e).getClass().getSimpleName() + " values");
    }
}
