package dev.strata.ops;

import dev.strata.storage.ObjectMeta;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sums of objects and bytes per {@link ObjectKind}, keyed by label in the enum's order (stable output). */
final class ByKind {

    final Map<String, Long> bytes = zeros();
    final Map<String, Long> objects = zeros();

    void add(ObjectMeta meta) {
        String label = ObjectKind.of(meta.key()).label();
        bytes.merge(label, meta.size(), Long::sum);
        objects.merge(label, 1L, Long::sum);
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (ObjectKind k : ObjectKind.values()) {
            m.put(k.label(), 0L);
        }
        return m;
    }

    static Map<String, Long> copy(Map<String, Long> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
