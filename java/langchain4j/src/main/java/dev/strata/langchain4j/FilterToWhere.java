package dev.strata.langchain4j;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.langchain4j.store.embedding.filter.comparison.IsEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThan;
import dev.langchain4j.store.embedding.filter.comparison.IsGreaterThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsIn;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThan;
import dev.langchain4j.store.embedding.filter.comparison.IsLessThanOrEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotEqualTo;
import dev.langchain4j.store.embedding.filter.comparison.IsNotIn;
import dev.langchain4j.store.embedding.filter.logical.And;
import dev.langchain4j.store.embedding.filter.logical.Not;
import dev.langchain4j.store.embedding.filter.logical.Or;
import dev.strata.api.Where;
import java.util.Collection;
import java.util.UUID;

/**
 * Translates a LangChain4j metadata {@link Filter} to Strata's {@link Where} (Chroma's filter language).
 *
 * <p>Strata's language has no {@code $not}, so {@link Not} is pushed down to the leaves (De Morgan's laws:
 * not(a and b) = not a or not b) where each comparison becomes its complement: = and !=, in and not in,
 * &gt; and &lt;=, &gt;= and &lt;. For equality and membership the complement is exact, also for records lacking
 * the key ($ne and $nin match them, as LangChain4j's negation does). For a range it is not: not(x &gt; 1) becomes
 * x &lt;= 1, which, like every range comparison in Strata, matches only records whose x is a number.
 *
 * <p>Values are written as Strata stores them: a UUID as its string, Integer and Float as numbers.
 * Range comparisons take numbers only (Strata, like Chroma, does not order strings); a filter Strata cannot
 * express (a string range, {@code ContainsString}, a filter type this class does not know) throws
 * {@link UnsupportedOperationException} naming it.
 */
public final class FilterToWhere {

    private FilterToWhere() {}

    /** The Where that selects what the filter selects; null for a null filter (no filter). */
    public static Where toWhere(Filter filter) {
        return filter == null ? null : translate(filter, false);
    }

    private static Where translate(Filter filter, boolean negated) {
        return switch (filter) {
            case Not not -> translate(not.expression(), !negated);
            case And and -> negated
                    ? Where.or(translate(and.left(), true), translate(and.right(), true))
                    : Where.and(translate(and.left(), false), translate(and.right(), false));
            case Or or -> negated
                    ? Where.and(translate(or.left(), true), translate(or.right(), true))
                    : Where.or(translate(or.left(), false), translate(or.right(), false));
            case IsEqualTo eq -> equality(eq.key(), eq.comparisonValue(), negated);
            case IsNotEqualTo ne -> equality(ne.key(), ne.comparisonValue(), !negated);
            case IsIn in -> membership(in.key(), in.comparisonValues(), negated);
            case IsNotIn nin -> membership(nin.key(), nin.comparisonValues(), !negated);
            case IsGreaterThan gt -> negated
                    ? Where.lte(gt.key(), number(gt.comparisonValue(), filter))
                    : Where.gt(gt.key(), number(gt.comparisonValue(), filter));
            case IsGreaterThanOrEqualTo gte -> negated
                    ? Where.lt(gte.key(), number(gte.comparisonValue(), filter))
                    : Where.gte(gte.key(), number(gte.comparisonValue(), filter));
            case IsLessThan lt -> negated
                    ? Where.gte(lt.key(), number(lt.comparisonValue(), filter))
                    : Where.lt(lt.key(), number(lt.comparisonValue(), filter));
            case IsLessThanOrEqualTo lte -> negated
                    ? Where.gt(lte.key(), number(lte.comparisonValue(), filter))
                    : Where.lte(lte.key(), number(lte.comparisonValue(), filter));
            default -> throw unsupported(filter, "Strata's filter language has no equivalent");
        };
    }

    private static Where equality(String key, Object value, boolean negated) {
        Object v = value(value);
        return negated ? Where.ne(key, v) : Where.eq(key, v);
    }

    private static Where membership(String key, Collection<?> values, boolean negated) {
        Object[] vs = values.stream().map(FilterToWhere::value).toArray();
        return negated ? Where.nin(key, vs) : Where.in(key, vs);
    }

    /** A filter value as Strata stores the metadata value it is compared with. */
    static Object value(Object value) {
        return value instanceof UUID uuid ? uuid.toString() : value;
    }

    private static Number number(Object value, Filter filter) {
        if (value instanceof Number n) {
            return n;
        }
        throw unsupported(filter, "Strata orders numbers only, not " + value.getClass().getSimpleName() + " values");
    }

    private static UnsupportedOperationException unsupported(Filter filter, String why) {
        return new UnsupportedOperationException(
                "Strata does not support the filter " + filter.getClass().getSimpleName() + " (" + filter + "): " + why);
    }
}
