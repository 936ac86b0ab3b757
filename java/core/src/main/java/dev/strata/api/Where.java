package dev.strata.api;

import dev.strata.filter.FilterParser;
import dev.strata.filter.InvalidFilterException;
import dev.strata.filter.MetadataFilter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A metadata filter ({@code where}), built fluently ({@code Where.and(Where.eq("genre", "jazz"),
 * Where.gte("year", 1990))}) or parsed from Chroma's JSON shape. Wraps the query layer's AST.
 */
public record Where(MetadataFilter filter) {

    public Where {
        Objects.requireNonNull(filter, "filter");
    }

    /** Parses Chroma's JSON shape (Maps as Jackson gives them); InvalidArgumentException when malformed. */
    public static Where parse(Map<String, ?> clause) {
        try {
            return new Where(FilterParser.parseWhere(clause));
        } catch (InvalidFilterException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
    }

    public static Where of(MetadataFilter filter) {
        return new Where(filter);
    }

    public static Where eq(String key, Object value) {
        return op(key, "$eq", value);
    }

    public static Where ne(String key, Object value) {
        return op(key, "$ne", value);
    }

    public static Where gt(String key, Number value) {
        return op(key, "$gt", value);
    }

    public static Where gte(String key, Number value) {
        return op(key, "$gte", value);
    }

    public static Where lt(String key, Number value) {
        return op(key, "$lt", value);
    }

    public static Where lte(String key, Number value) {
        return op(key, "$lte", value);
    }

    public static Where in(String key, Object... values) {
        return op(key, "$in", Arrays.asList(values));
    }

    public static Where nin(String key, Object... values) {
        return op(key, "$nin", Arrays.asList(values));
    }

    /** The array-valued key holds this element. */
    public static Where contains(String key, Object element) {
        return op(key, "$contains", element);
    }

    public static Where notContains(String key, Object element) {
        return op(key, "$not_contains", element);
    }

    public static Where and(Where... clauses) {
        return new Where(new MetadataFilter.And(filters(clauses)));
    }

    public static Where or(Where... clauses) {
        return new Where(new MetadataFilter.Or(filters(clauses)));
    }

    public boolean matches(Map<String, Object> metadata) {
        return filter.matches(metadata);
    }

    /** Chroma's JSON shape of this filter. */
    public Map<String, Object> toMap() {
        return filter.toMap();
    }

    private static Where op(String key, String op, Object value) {
        // Built through the parser so that builder and JSON input obey exactly the same rules.
        return parse(Map.of(key, Map.of(op, value == null ? List.of() : value)));
    }

    private static List<MetadataFilter> filters(Where... clauses) {
        if (clauses.length == 0) {
            throw new InvalidArgumentException("Invalid where clause: $and / $or need at least one clause");
        }
        return Arrays.stream(clauses).map(Where::filter).toList();
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
