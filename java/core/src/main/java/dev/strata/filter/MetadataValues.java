package dev.strata.filter;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The canonical form of metadata values, shared by validation, the codec and filter evaluation.
 *
 * <p>A canonical value is a String, Long, Double, Boolean, or a non-empty list of one of those four
 * types. Ints and floats stay distinct types (as in Chroma) but compare across types numerically.
 */
public final class MetadataValues {

    private MetadataValues() {}

    /**
     * The canonical form of a scalar value as Jackson or a user gives it (Integer, Float, BigDecimal,
     * ...), or an IllegalArgumentException saying what is wrong with it.
     */
    public static Object scalar(Object value) {
        return switch (value) {
            case null -> throw new IllegalArgumentException("value is null");
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case BigInteger b -> {
                if (b.bitLength() >= Long.SIZE) {
                    throw new IllegalArgumentException("integer " + b + " does not fit in 64 bits");
                }
                yield b.longValue();
            }
            case Double d -> finite(d);
            case Float f -> finite(f.doubleValue());
            case BigDecimal d -> finite(d.doubleValue());
            default -> throw new IllegalArgumentException("unsupported value type " + jsonKind(value)
                    + ": expected str, int, float or bool");
        };
    }

    /** What a value is as a user wrote it (JSON's words, not a Java class name, which says nothing to a client). */
    private static String jsonKind(Object value) {
        return switch (value) {
            case java.util.Map<?, ?> m -> "object";
            case List<?> l -> "array";
            default -> value.getClass().getSimpleName();
        };
    }

    /** The canonical form of a metadata value: a scalar, or a non-empty list of one scalar type. */
    public static Object value(Object value) {
        if (value instanceof List<?> list) {
            return list(list);
        }
        return scalar(value);
    }

    /** A canonical, immutable, homogeneous, non-empty list. */
    public static List<Object> list(List<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("list value is empty");
        }
        List<Object> out = new ArrayList<>(values.size());
        Class<?> type = null;
        for (Object v : values) {
            if (v instanceof List<?>) {
                throw new IllegalArgumentException("nested lists are not supported");
            }
            Object c = scalar(v);
            if (type == null) {
                type = c.getClass();
            } else if (type != c.getClass()) {
                throw new IllegalArgumentException("list mixes " + typeName(type) + " and "
                        + typeName(c.getClass()) + ": all elements must have one type");
            }
            out.add(c);
        }
        return Collections.unmodifiableList(out);
    }

    public static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double;
    }

    /** Equality of two canonical scalars: numbers across int/float, otherwise same type and value. */
    public static boolean scalarEquals(Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            return compareNumbers(a, b) == 0;
        }
        return a.equals(b);
    }

    /** Compares two canonical numbers; ints exactly, mixed int/float as doubles. */
    public static int compareNumbers(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return x < y ? -1 : (x > y ? 1 : 0);
    }

    /** The Chroma name of a canonical type, for error messages. */
    public static String typeName(Class<?> type) {
        if (type == String.class) {
            return "str";
        } else if (type == Long.class) {
            return "int";
        } else if (type == Double.class) {
            return "float";
        } else if (type == Boolean.class) {
            return "bool";
        }
        return type.getSimpleName();
    }

    private static Double finite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("float value " + d + " is not finite");
        }
        return d;
    }
}
