package dev.strata.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Normalizes the free-form maps a collection carries so they survive a JSON round trip unchanged: integers
 * become Long, floats Double, maps keep their order, and everything is unmodifiable. Anything JSON cannot
 * hold is refused here rather than when the manifest is written.
 */
final class JsonValues {
    private JsonValues() {}

    /** Metadata: values are String, Long, Double, Boolean or a list of those. */
    static Map<String, Object> metadata(Map<String, ?> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k == null) {
                throw new IllegalArgumentException("metadata key must not be null");
            }
            if (v instanceof List<?> list) {
                List<Object> items = new ArrayList<>(list.size());
                for (Object item : list) {
                    items.add(scalar(k, item));
                }
                out.put(k, Collections.unmodifiableList(items));
            } else {
                out.put(k, scalar(k, v));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Configuration: any JSON object (nested objects, lists, nulls allowed). */
    static Map<String, Object> configuration(Map<String, ?> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> {
            if (k == null) {
                throw new IllegalArgumentException("configuration key must not be null");
            }
            out.put(k, json(k, v));
        });
        return Collections.unmodifiableMap(out);
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
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(json(key, item));
            }
            return Collections.unmodifiableList(out);
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
