package dev.strata.filter;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code where_document} clause over a record's document. $contains is a case-sensitive
 * substring test; $regex is an RE2 regular expression found anywhere in the document (unanchored, like
 * Chroma's Rust regex {@code is_match}), matched in time linear in the document ({@link LinearRegex}). The
 * negated forms are exact complements: a record without a document matches $not_contains and $not_regex
 * and nothing else.
 */
public sealed interface DocumentFilter {

    boolean matches(String document);

    Map<String, Object> toMap();

    /** The substring and regex tests this filter is made of, left to right: what a text index must look up. */
    default List<DocumentFilter> leaves() {
        return switch (this) {
            case And and -> and.clauses().stream().flatMap(c -> c.leaves().stream()).toList();
            case Or or -> or.clauses().stream().flatMap(c -> c.leaves().stream()).toList();
            default -> List.of(this);
        };
    }

    /** $contains / $not_contains text. */
    record Contains(String text, boolean negated) implements DocumentFilter {
        @Override
        public boolean matches(String document) {
            return (document != null && document.contains(text)) != negated;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of(negated ? "$not_contains" : "$contains", text);
        }
    }

    /** $regex / $not_regex pattern; compiled once when parsed. */
    record Regex(String pattern, boolean negated, Pattern compiled) implements DocumentFilter {
        /** @throws InvalidFilterException when RE2 cannot run the pattern (syntax, backreference, lookaround) */
        public Regex(String pattern, boolean negated) {
            this(pattern, negated, LinearRegex.compile(pattern, "Invalid where document clause: ",
                    negated ? "$not_regex" : "$regex"));
        }

        @Override
        public boolean matches(String document) {
            return (document != null && compiled.matcher(Deadline.guard(document)).find()) != negated;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of(negated ? "$not_regex" : "$regex", pattern);
        }

        // A Pattern has identity equality; two filters with the same source are the same filter.
        @Override
        public boolean equals(Object o) {
            return o instanceof Regex r && pattern.equals(r.pattern) && negated == r.negated;
        }

        @Override
        public int hashCode() {
            return pattern.hashCode() * 31 + Boolean.hashCode(negated);
        }
    }

    record And(List<DocumentFilter> clauses) implements DocumentFilter {
        public And {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(String document) {
            return clauses.stream().allMatch(c -> c.matches(document));
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("$and", clauses.stream().map(DocumentFilter::toMap).toList());
        }
    }

    record Or(List<DocumentFilter> clauses) implements DocumentFilter {
        public Or {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(String document) {
            return clauses.stream().anyMatch(c -> c.matches(document));
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("$or", clauses.stream().map(DocumentFilter::toMap).toList());
        }
    }
}
