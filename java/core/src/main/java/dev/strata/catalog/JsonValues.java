package dev.strata.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Normalizes the free-form maps a collection carries so they survive a JSON round trip unchanged: integers
 * become Long, floats Double, maps keep their order, and everything is unmodifiable. Anything JSON cannot
 * hold is refused here rather than when the manifest is written.
 */
final class JsonValues {
    private JsonValues() {}

    /** Metadata: values are String, Long, Double, Boolean or a list of those. */
    static Map<String, Object> metadata(Map<String, ?> in) {
        return copy(in, "metadata", JsonValues::metadataValue);
    }

    /** Configuration: any JSON object (nested objects, lists, nulls allowed). */
    static Map<String, Object> configuration(Map<String, ?> in) {
        return copy(in, "configuration", JsonValues::json);
    }

    private static Map<String, Object> copy(Map<String, ?> in, String what, BiFunction<String, Object, Object> value) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k == null) {
                throw new IllegalArgumentException(what + " key must not be null");
            }
            out.put(k, value.apply(k, v));
        });
        return Collections.unmodifiableMap(out);
    }

    private static Object metadataValue(String key, Object v) {
        if (v instanceof List<?> list) {
            return list.stream().map(item -> scalar(key, item)).toList();
        }
        return scalar(key, v);
    }

    private static Object json(String key, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, inner) -> {
                if (!(k instanceof String s)) {
                    throw new IllegalArgumentException("configuration key under '" + key + "' is not a string: " + k);
                }
                out.put(s, json(key + "." + s, inner));
            });
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(item -> json(key, item)).toList(); // keeps nulls, unmodifiable
        }
        return scalar(key, v);
    }

    private static Object scalar(String key, Object v) {
        return switch (v) {
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> checkFinite(key, d);
            case Float f -> checkFinite(key, f.doubleValue());
            case null -> throw new IllegalArgumentException("value of '" + key + "' must not be null");
            default -> throw new IllegalArgumentException("value of '" + key + "' has unsupported type "
                    + v.getClass().getSimpleName() + " (allowed: string, integer, float, boolean, list of those)");
        };
    }

    private static Double checkFinite(String key, double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("value of '" + key + "' is not a finite number: " + d);
        }
        return d;
    }
}
