package dev.strata.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses Chroma's where / where_document clauses from JSON-like values (Maps, Lists, Strings,
 * Numbers, Booleans as Jackson gives them) with Chroma's rules:
 * <ul>
 *   <li>every object has exactly one key: a field, $and or $or (Chroma rejects several keys at the top
 *       level rather than reading them as an implicit $and; so does Strata);</li>
 *   <li>{field: value} is shorthand for {field: {$eq: value}};</li>
 *   <li>strings and bools allow only $eq, $ne, $contains, $not_contains; numbers also $gt $gte $lt $lte;</li>
 *   <li>$in / $nin take a non-empty list of strings, of bools, or of numbers;</li>
 *   <li>$and / $or take a non-empty list (a single clause is accepted).</li>
 * </ul>
 * Errors are {@link InvalidFilterException}s starting "Invalid where clause: " or "Invalid where
 * document clause: " followed by what is wrong.
 */
public final class FilterParser {

    private static final String WHERE = "Invalid where clause: ";
    private static final String WHERE_DOCUMENT = "Invalid where document clause: ";

    private FilterParser() {}

    public static MetadataFilter parseWhere(Object clause) {
        Map.Entry<String, Object> entry = single(clause, WHERE);
        String key = entry.getKey();
        Object value = entry.getValue();
        if (key.equals("$and") || key.equals("$or")) {
            List<MetadataFilter> children = new ArrayList<>();
            for (Object child : clauses(key, value, WHERE)) {
                children.add(parseWhere(child));
            }
            return key.equals("$and") ? new MetadataFilter.And(children) : new MetadataFilter.Or(children);
        }
        if (key.startsWith("$")) {
            throw invalid(WHERE, "operator " + key + " must be applied to a field, as {\"field\": {\""
                    + key + "\": value}}, or be $and / $or");
        }
        if (key.startsWith("#")) {
            throw invalid(WHERE, "metadata keys cannot start with '#' (got " + key
                    + "); filter documents with where_document");
        }
        if (key.isEmpty()) {
            throw invalid(WHERE, "field name is empty");
        }
        if (value instanceof Map<?, ?>) {
            return parseOperator(key, single(value, WHERE));
        }
        if (value instanceof List<?>) {
            throw invalid(WHERE, "field " + key + " compared to a list; use {\"$in\": [...]}");
        }
        return new MetadataFilter.Compare(key, MetadataFilter.CompareOp.EQ, operand(key, "$eq", value));
    }

    public static DocumentFilter parseWhereDocument(Object clause) {
        Map.Entry<String, Object> entry = single(clause, WHERE_DOCUMENT);
        String op = entry.getKey();
        Object value = entry.getValue();
        if (op.equals("$and") || op.equals("$or")) {
            List<DocumentFilter> children = new ArrayList<>();
            for (Object child : clauses(op, value, WHERE_DOCUMENT)) {
                children.add(parseWhereDocument(child));
            }
            return op.equals("$and") ? new DocumentFilter.And(children) : new DocumentFilter.Or(children);
        }
        boolean known = switch (op) {
            case "$contains", "$not_contains", "$regex", "$not_regex" -> true;
            default -> false;
        };
        if (!known) {
            throw invalid(WHERE_DOCUMENT, "unknown operator " + op
                    + "; expected $contains, $not_contains, $regex, $not_regex, $and or $or");
        }
        if (!(value instanceof String text)) {
            throw invalid(WHERE_DOCUMENT, op + " needs a string, got " + describe(value));
        }
        if (op.endsWith("contains")) {
            return new DocumentFilter.Contains(text, op.equals("$not_contains"));
        }
        return new DocumentFilter.Regex(text, op.equals("$not_regex"));
    }

    private static MetadataFilter parseOperator(String key, Map.Entry<String, Object> opEntry) {
        String op = opEntry.getKey();
        Object operand = opEntry.getValue();
        switch (op) {
            case "$in", "$nin" -> {
                return new MetadataFilter.Membership(key, op.equals("$nin"), list(key, op, operand));
            }
            case "$contains", "$not_contains" -> {
                return new MetadataFilter.ArrayContains(key, op.equals("$not_contains"), operand(key, op, operand));
            }
            case "$regex", "$not_regex" -> throw invalid(WHERE, op + " applies to documents only; use where_document");
            default -> {
                for (MetadataFilter.CompareOp c : MetadataFilter.CompareOp.values()) {
                    if (c.operator().equals(op)) {
                        Object v = operand(key, op, operand);
                        if (c.isRange() && !MetadataValues.isNumber(v)) {
                            throw invalid(WHERE, op + " on field " + key + " needs a number, got " + describe(operand));
                        }
                        return new MetadataFilter.Compare(key, c, v);
                    }
                }
                throw invalid(WHERE, "unknown operator " + op + " on field " + key
                        + "; expected $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $contains or $not_contains");
            }
        }
    }

    private static Object operand(String key, String op, Object value) {
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw invalid(WHERE, op + " on field " + key + " needs a string, int, float or bool, got " + describe(value));
        }
        try {
            return MetadataValues.scalar(value);
        } catch (IllegalArgumentException e) {
            throw invalid(WHERE, op + " on field " + key + ": " + e.getMessage());
        }
    }

    private static List<Object> list(String key, String op, Object operand) {
        if (!(operand instanceof List<?> values)) {
            throw invalid(WHERE, op + " on field " + key + " needs a list, got " + describe(operand));
        }
        if (values.isEmpty()) {
            throw invalid(WHERE, op + " on field " + key + " needs a non-empty list");
        }
        List<Object> out = new ArrayList<>(values.size());
        for (Object v : values) {
            Object c = operand(key, op, v);
            // Ints and floats may be mixed (they compare numerically); other kinds may not.
            if (!out.isEmpty() && kind(out.getFirst()) != kind(c)) {
                throw invalid(WHERE, op + " on field " + key + " mixes " + kind(out.getFirst()) + " and "
                        + kind(c) + " values; all must have one type");
            }
            out.add(c);
        }
        return out;
    }

    private static String kind(Object canonical) {
        return MetadataValues.isNumber(canonical) ? "number" : MetadataValues.typeName(canonical.getClass());
    }

    private static List<?> clauses(String op, Object value, String prefix) {
        if (!(value instanceof List<?> list)) {
            throw invalid(prefix, op + " needs a list of clauses, got " + describe(value));
        }
        if (list.isEmpty()) {
            throw invalid(prefix, op + " needs at least one clause");
        }
        return list;
    }

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, Object> single(Object clause, String prefix) {
        if (!(clause instanceof Map<?, ?> map)) {
            throw invalid(prefix, "expected an object, got " + describe(clause));
        }
        if (map.size() != 1) {
            throw invalid(prefix, "expected an object with exactly one key, got " + map.size()
                    + (map.isEmpty() ? "" : " keys " + map.keySet() + "; combine conditions with $and"));
        }
        Map.Entry<?, ?> e = map.entrySet().iterator().next();
        if (!(e.getKey() instanceof String)) {
            throw invalid(prefix, "keys must be strings, got " + describe(e.getKey()));
        }
        return (Map.Entry<String, Object>) e;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String type = switch (value) {
            case String s -> "string";
            case Boolean b -> "bool";
            case Number n -> "number";
            case List<?> l -> "list";
            case Map<?, ?> m -> "object";
            default -> value.getClass().getSimpleName();
        };
        return type + " " + (value instanceof String ? "\"" + value + "\"" : value);
    }

    private static InvalidFilterException invalid(String prefix, String detail) {
        return new InvalidFilterException(prefix + detail);
    }
}
