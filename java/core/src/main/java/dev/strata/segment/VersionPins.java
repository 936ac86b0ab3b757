package dev.strata.segment;

import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The versions that running reads (and compactions) hold, per collection, with reference counts.
 * Garbage collection never deletes an object that a pinned version names, so a read that started
 * on a version finishes on it even if newer versions were committed meanwhile.
 */
public final class VersionPins {

    private final Map<UUID, Map<Long, AtomicInteger>> pins = new ConcurrentHashMap<>();

    /** Pins a version until the returned handle is closed (closing twice is harmless). */
    public Pin pin(UUID collection, long version) {
        pins.computeIfAbsent(collection, c -> new ConcurrentHashMap<>())
                .compute(version, (v, n) -> {
                    AtomicInteger count = n == null ? new AtomicInteger() : n;
                    count.incrementAndGet();
                    return count;
                });
        return new Pin(collection, version);
    }

    /** The versions of a collection pinned now. */
    public NavigableSet<Long> pinnedVersions(UUID collection) {
        Map<Long, AtomicInteger> m = pins.get(collection);
        return m == null ? new TreeSet<>() : new TreeSet<>(m.keySet());
    }

    private void release(UUID collection, long version) {
        Map<Long, AtomicInteger> m = pins.get(collection);
        if (m != null) {
            m.computeIfPresent(version, (v, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /** A held pin. */
    public final class Pin implements AutoCloseable {
        private final UUID collection;
        private final long version;
        private boolean released;

        private Pin(UUID collection, long version) {
            this.collection = collection;
            this.version = version;
        }

        public long version() {
            return version;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                release(collection, version);
            }
        }
    }
}
