package dev.strata.gc;

import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * Every object under one live collection's prefix, sorted by why it is in the store ({@link Retained}): bytes and
 * objects per reason, each object counted once. When the collection's kept versions could not be read,
 * {@code error} says why and the maps are empty.
 */
public record RetainedBytes(UUID collection, Map<Retained, Long> bytes, Map<Retained, Long> objects, String error) {

    public RetainedBytes {
        bytes = copy(bytes);
        objects = copy(objects);
    }

    static RetainedBytes failed(UUID collection, String error) {
        return new RetainedBytes(collection, Map.of(), Map.of(), error);
    }

    /** The bytes held for {@code reason}, 0 when none. */
    public long bytes(Retained reason) {
        return bytes.getOrDefault(reason, 0L);
    }

    /** Every byte under the prefix: the sum over the reasons. */
    public long totalBytes() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<Retained, Long> copy(Map<Retained, Long> m) {
        EnumMap<Retained, Long> c = new EnumMap<>(Retained.class);
        c.putAll(m);
        return java.util.Collections.unmodifiableMap(c);
    }
}
