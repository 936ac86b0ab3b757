package dev.strata.filter;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code where} clause over record metadata (Chroma's filter language).
 *
 * <p>Values are canonical ({@link MetadataValues}): String, Long, Double, Boolean. Ints and floats
 * compare numerically across types. The negated forms ($ne, $nin, $not_contains) are the exact
 * complement of their positive forms, so they also match records that lack the key.
 */
public sealed interface MetadataFilter {

    /** Whether a record with this metadata (null = none) passes the filter. */
    boolean matches(Map<String, Object> metadata);

    /** The filter back in Chroma's JSON shape (Maps and Lists), e.g. for the HTTP layer. */
    Map<String, Object> toMap();

    /** The comparisons this filter is made of, left to right: what an index must look up. */
    default List<Leaf> leaves() {
        List<Leaf> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    /** The metadata keys this filter reads. */
    default Set<String> keys() {
        Set<String> out = new LinkedHashSet<>();
        for (Leaf leaf : leaves()) {
            out.add(leaf.key());
        }
        return out;
    }

    private static void collect(MetadataFilter f, List<Leaf> out) {
        switch (f) {
            case Leaf leaf -> out.add(leaf);
            case And and -> and.clauses().forEach(c -> collect(c, out));
            case Or or -> or.clauses().forEach(c -> collect(c, out));
        }
    }

    /** A test of one key. {@link #negated()} leaves match records lacking the key. */
    sealed interface Leaf extends MetadataFilter permits Compare, Membership, ArrayContains {
        String key();

        boolean negated();
    }

    enum CompareOp {
        EQ("$eq"), NE("$ne"), GT("$gt"), GTE("$gte"), LT("$lt"), LTE("$lte");

        private final String operator;

        CompareOp(String operator) {
            this.operator = operator;
        }

        public String operator() {
            return operator;
        }

        /** Whether this operator orders values (only numbers can be ordered). */
        public boolean isRange() {
            return this != EQ && this != NE;
        }
    }

    /** key op value. Range operators only ever hold a number (the parser enforces it). */
    record Compare(String key, CompareOp op, Object value) implements Leaf {
        @Override
        public boolean negated() {
            return op == CompareOp.NE;
        }

        @Override
        public boolean matches(Map<String, Object> metadata) {
            Object actual = metadata == null ? null : metadata.get(key);
            return switch (op) {
                case EQ -> equalsScalar(actual, value);
                case NE -> !equalsScalar(actual, value);
                default -> MetadataValues.isNumber(actual) && ordered(MetadataValues.compareNumbers(actual, value));
            };
        }

        private boolean ordered(int c) {
            return switch (op) {
                case GT -> c > 0;
                case GTE -> c >= 0;
                case LT -> c < 0;
                case LTE -> c <= 0;
                default -> throw new IllegalStateException(op.name());
            };
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of(key, Map.of(op.operator(), value));
        }
    }

    /** key $in / $nin a non-empty list of values of one kind (strings, bools or numbers). */
    record Membership(String key, boolean negated, List<Object> values) implements Leaf {
        public Membership {
            values = List.copyOf(values);
        }

        @Override
        public boolean matches(Map<String, Object> metadata) {
            Object actual = metadata == null ? null : metadata.get(key);
            boolean in = false;
            for (Object v : values) {
                if (equalsScalar(actual, v)) {
                    in = true;
                    break;
                }
            }
            return in != negated;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of(key, Map.of(negated ? "$nin" : "$in", values));
        }
    }

    /** key $contains / $not_contains value, on array-valued metadata. */
    record ArrayContains(String key, boolean negated, Object value) implements Leaf {
        @Override
        public boolean matches(Map<String, Object> metadata) {
            Object actual = metadata == null ? null : metadata.get(key);
            boolean contains = false;
            if (actual instanceof List<?> list) {
                for (Object item : list) {
                    if (MetadataValues.scalarEquals(item, value)) {
                        contains = true;
                        break;
                    }
                }
            }
            return contains != negated;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of(key, Map.of(negated ? "$not_contains" : "$contains", value));
        }
    }

    record And(List<MetadataFilter> clauses) implements MetadataFilter {
        public And {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(Map<String, Object> metadata) {
            for (MetadataFilter c : clauses) {
                if (!c.matches(metadata)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("$and", clauses.stream().map(MetadataFilter::toMap).toList());
        }
    }

    record Or(List<MetadataFilter> clauses) implements MetadataFilter {
        public Or {
            clauses = List.copyOf(clauses);
        }

        @Override
        public boolean matches(Map<String, Object> metadata) {
            for (MetadataFilter c : clauses) {
                if (c.matches(metadata)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Map<String, Object> toMap() {
            return Map.of("$or", clauses.stream().map(MetadataFilter::toMap).toList());
        }
    }

    /** Scalar equality where an absent key or an array-valued key never equals a scalar. */
    private static boolean equalsScalar(Object actual, Object expected) {
        return actual != null && !(actual instanceof List<?>) && MetadataValues.scalarEquals(actual, expected);
    }
}
