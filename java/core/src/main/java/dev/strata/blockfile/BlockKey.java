package dev.strata.blockfile;

import java.util.Objects;

/**
 * A composite key: a string prefix (e.g. a metadata key name) and a typed key (string, int64, float64
 * or bool). Ordered by prefix, then {@link KeyKind}, then the key's natural order (doubles by
 * {@link Double#compare}, so -0.0 &lt; 0.0 and NaN sorts last).
 *
 * <p>{@code num} holds an int64 key, a float64 key's raw bits, or 0/1 for a bool; {@code str} holds a
 * string key and is null for the other kinds.
 */
public record BlockKey(String prefix, KeyKind kind, long num, String str) implements Comparable<BlockKey> {

    public BlockKey {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(kind, "kind");
        if ((kind == KeyKind.STRING) != (str != null)) {
            throw new IllegalArgumentException("a " + kind + " key " + (str == null ? "needs" : "takes no") + " string part");
        }
        if ((kind == KeyKind.BOOL && num != 0 && num != 1) || (kind == KeyKind.STRING && num != 0)) {
            throw new IllegalArgumentException("a " + kind + " key cannot have numeric part " + num);
        }
    }

    /**
     * The key {@code (prefix, key)}; {@code key} is a String, Long (or Integer/Short/Byte, widened),
     * Double (or Float, widened) or Boolean.
     */
    public static BlockKey of(String prefix, Object key) {
        requirePrefix(prefix);
        return switch (key) {
            case String s -> new BlockKey(prefix, KeyKind.STRING, 0, Utf8.requireWellFormed(s, "string key"));
            case Long l -> new BlockKey(prefix, KeyKind.INT, l, null);
            case Integer i -> new BlockKey(prefix, KeyKind.INT, i, null);
            case Short s -> new BlockKey(prefix, KeyKind.INT, s, null);
            case Byte b -> new BlockKey(prefix, KeyKind.INT, b, null);
            case Double d -> ofDouble(prefix, d);
            case Float f -> ofDouble(prefix, f);
            case Boolean b -> new BlockKey(prefix, KeyKind.BOOL, b ? 1 : 0, null);
            case null -> throw new IllegalArgumentException("key must not be null (prefix '" + prefix + "')");
            default -> throw new IllegalArgumentException("unsupported key type " + key.getClass().getName()
                    + ": a blockfile key is a String, long, double or boolean");
        };
    }

    /** The int key {@code (prefix, key)}: as {@link #of} with a Long, without boxing it. */
    public static BlockKey ofInt(String prefix, long key) {
        requirePrefix(prefix);
        return new BlockKey(prefix, KeyKind.INT, key, null);
    }

    private static void requirePrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null");
        }
        Utf8.requireWellFormed(prefix, "key prefix");
    }

    private static BlockKey ofDouble(String prefix, double d) {
        return new BlockKey(prefix, KeyKind.FLOAT, Double.doubleToRawLongBits(d), null);
    }

    /** The smallest key under {@code prefix} (bool false sorts before every other key). */
    static BlockKey firstOf(String prefix) {
        return new BlockKey(prefix, KeyKind.BOOL, 0, null);
    }

    /** The smallest key of {@code kind} under {@code prefix}. */
    static BlockKey minOf(String prefix, KeyKind kind) {
        return switch (kind) {
            case BOOL -> firstOf(prefix);
            case INT -> new BlockKey(prefix, KeyKind.INT, Long.MIN_VALUE, null);
            case FLOAT -> ofDouble(prefix, Double.NEGATIVE_INFINITY);
            case STRING -> new BlockKey(prefix, KeyKind.STRING, 0, "");
        };
    }

    /** The typed key as a boxed value: String, Long, Double or Boolean. */
    public Object key() {
        return switch (kind) {
            case STRING -> str;
            case INT -> num;
            case FLOAT -> Double.longBitsToDouble(num);
            case BOOL -> num != 0;
        };
    }

    @Override
    public int compareTo(BlockKey o) {
        int c = prefix.compareTo(o.prefix);
        if (c != 0) {
            return c;
        }
        return compareKeyPart(kind, num, str, o.kind, o.num, o.str);
    }

    /** Compares two key parts (kind, then value); shared with the column form of keys in a block. */
    static int compareKeyPart(KeyKind k1, long n1, String s1, KeyKind k2, long n2, String s2) {
        if (k1 != k2) {
            return Integer.compare(k1.ordinal(), k2.ordinal());
        }
        return switch (k1) {
            case STRING -> s1.compareTo(s2);
            case INT, BOOL -> Long.compare(n1, n2);
            case FLOAT -> Double.compare(Double.longBitsToDouble(n1), Double.longBitsToDouble(n2));
        };
    }

    /** Bytes this key adds to a block, for the block-size target (UTF-8 lengths plus offsets). */
    int encodedSizeEstimate() {
        int size = Utf8.length(prefix) + 4 + 1 + 8;
        return kind == KeyKind.STRING ? size + Utf8.length(str) + 4 : size;
    }

    @Override
    public String toString() {
        return "(" + prefix + ", " + kind + " " + key() + ")";
    }
}
