package dev.strata.api;

import dev.strata.filter.DocumentFilter;
import dev.strata.filter.FilterParser;
import dev.strata.filter.InvalidFilterException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document filter ({@code where_document}): case-sensitive substring ($contains), Java regex found
 * anywhere in the document ($regex), their negations, $and and $or.
 */
public record WhereDocument(DocumentFilter filter) {

    public WhereDocument {
        Objects.requireNonNull(filter, "filter");
    }

    public static WhereDocument parse(Map<String, ?> clause) {
        try {
            return new WhereDocument(FilterParser.parseWhereDocument(clause));
        } catch (InvalidFilterException e) {
            throw new InvalidArgumentException(e.getMessage(), e);
        }
    }

    public static WhereDocument contains(String text) {
        return parse(Map.of("$contains", nonNull(text)));
    }

    public static WhereDocument notContains(String text) {
        return parse(Map.of("$not_contains", nonNull(text)));
    }

    public static WhereDocument regex(String pattern) {
        return parse(Map.of("$regex", nonNull(pattern)));
    }

    public static WhereDocument notRegex(String pattern) {
        return parse(Map.of("$not_regex", nonNull(pattern)));
    }

    public static WhereDocument and(WhereDocument... clauses) {
        return new WhereDocument(new DocumentFilter.And(filters(clauses)));
    }

    public static WhereDocument or(WhereDocument... clauses) {
        return new WhereDocument(new DocumentFilter.Or(filters(clauses)));
    }

    public boolean matches(String document) {
        return filter.matches(document);
    }

    public Map<String, Object> toMap() {
        return filter.toMap();
    }

    private static Object nonNull(String s) {
        return s == null ? List.of() : s;
    }

    private static List<DocumentFilter> filters(WhereDocument... clauses) {
        if (clauses.length == 0) {
            throw new InvalidArgumentException("Invalid where document clause: $and / $or need at least one clause");
        }
        return Arrays.stream(clauses).map(WhereDocument::filter).toList();
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
