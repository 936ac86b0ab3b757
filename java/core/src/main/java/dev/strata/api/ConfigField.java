package dev.strata.api;

import java.math.BigInteger;

/**
 * One numeric field of a collection configuration section ({@code hnsw}, later {@code spann}) with the range
 * Strata accepts. Checked where a configuration or an update is built, so a bad value is an
 * {@link InvalidArgumentException} (HTTP 400) naming the field before anything is written; the upper bounds keep
 * what the native index allocates per vector and per search sane (see docs/api.md, "Collection configuration").
 *
 * @param section the configuration section, e.g. "hnsw"
 * @param name    the field's name in Chroma's JSON, e.g. "max_neighbors"
 * @param min     smallest accepted value
 * @param max     largest accepted value
 * @param integer whether only whole numbers are accepted
 */
public record ConfigField(String section, String name, double min, double max, boolean integer) {

    public static ConfigField integer(String section, String name, long min, long max) {
        return new ConfigField(section, name, min, max, true);
    }

    public static ConfigField number(String section, String name, double min, double max) {
        return new ConfigField(section, name, min, max, false);
    }

    /** The field's path as users write it: "hnsw.max_neighbors". */
    public String path() {
        return section + "." + name;
    }

    /** An int in range, from a JSON-like value (Integer, Long, BigInteger, ...); {@code given} names the key used. */
    public int intValue(String given, Object v) {
        if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger)) {
            throw new InvalidArgumentException("Invalid collection configuration: " + label(given)
                    + " must be a whole number, got " + describe(v));
        }
        BigInteger b = v instanceof BigInteger big ? big : BigInteger.valueOf(((Number) v).longValue());
        if (b.compareTo(BigInteger.valueOf((long) min)) < 0 || b.compareTo(BigInteger.valueOf((long) max)) > 0) {
            throw outOfRange(given, b.toString());
        }
        return b.intValueExact();
    }

    /** A finite number in range. */
    public double doubleValue(String given, Object v) {
        if (!(v instanceof Number n)) {
            throw new InvalidArgumentException("Invalid collection configuration: " + label(given)
                    + " must be a number, got " + describe(v));
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new InvalidArgumentException("Invalid collection configuration: " + label(given)
                    + " must be a finite number, got " + v);
        }
        check(given, d);
        return d;
    }

    /** Checks a value already typed (the configuration's own constructor). */
    public void check(String given, double value) {
        if (!(value >= min && value <= max)) {
            throw outOfRange(given, integer ? Long.toString((long) value) : Double.toString(value));
        }
    }

    private InvalidArgumentException outOfRange(String given, String value) {
        return new InvalidArgumentException("Invalid collection configuration: " + label(given) + " must be between "
                + format(min) + " and " + format(max) + ", got " + value);
    }

    private String label(String given) {
        return given == null || given.equals(name) ? path() : given + " (" + path() + ")";
    }

    private String format(double d) {
        return integer || d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
