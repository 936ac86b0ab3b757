package dev.strata.gc;

import dev.strata.catalog.VersionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Which versions of one collection garbage collection keeps (DESIGN.md §6). Pure: no I/O. */
final class KeepPolicy {

    private final GcOptions options;

    KeepPolicy(GcOptions options) {
        this.options = options;
    }

    /**
     * The current version, the newest {@code keepVersions}, the newest version of each span of
     * {@code versionSpacingMs} committed within the TTL (every one when the spacing is 0), every
     * version that was still current within the grace period (a read may have read the catalog just before the
     * next commit and be about to pin it), and every pinned version. Version 0 (nothing compacted) has no files.
     *
     * @param history the catalog's committed versions, in any order
     */
    NavigableSet<Long> keep(long current, List<VersionInfo> history, Set<Long> pinned, Instant now) {
        return new TreeSet<>(reasons(current, history, pinned, now).keySet());
    }

    /**
     * The kept versions ({@link #keep}) with the strongest rule that keeps each: current, then one of the newest,
     * then pinned, then within the TTL, then superseded within the grace period. {@link #keep} is its key set, so
     * what stats reports as kept is exactly what GC keeps.
     */
    NavigableMap<Long, Retained> reasons(long current, List<VersionInfo> history, Set<Long> pinned, Instant now) {
        List<VersionInfo> sorted = history.stream().sorted(Comparator.comparingLong(VersionInfo::version)).toList();
        NavigableMap<Long, Retained> kept = new TreeMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            VersionInfo v = sorted.get(i);
            Retained reason = v.version() == current ? Retained.CURRENT
                    : i >= sorted.size() - options.keepVersions() ? Retained.NEWEST
                    : pinned.contains(v.version()) ? Retained.PINNED
                    : age(v.createdAt(), now) < options.versionTtlMs() && newestOfItsSpan(sorted, i) ? Retained.TTL
                    : recentlyCurrent(sorted, i, now) ? Retained.GRACE
                    : null;
            if (reason != null) {
                kept.put(v.version(), reason);
            }
        }
        for (long p : pinned) {
            kept.putIfAbsent(p, Retained.PINNED);
        }
        kept.put(current, Retained.CURRENT);
        kept.remove(0L);
        return kept;
    }

    /**
     * The kept versions whose readers may still replay the log after their cursor: the current one (a node that
     * opens the collection, a follower), one still current within the grace period (a follower or read that took it
     * for current just before the next commit) and the pinned ones. A version kept only for the TTL or as one of the
     * newest is complete without the log: nothing builds a tail on it, so the log below the lowest cursor of these
     * versions is garbage however many older versions are kept.
     *
     * @param history the catalog's committed versions, in any order
     */
    NavigableSet<Long> logReaders(long current, List<VersionInfo> history, Set<Long> pinned, Instant now) {
        List<VersionInfo> sorted = history.stream().sorted(Comparator.comparingLong(VersionInfo::version)).toList();
        NavigableSet<Long> readers = new TreeSet<>();
        readers.add(current);
        for (int i = 0; i < sorted.size(); i++) {
            if (recentlyCurrent(sorted, i, now)) {
                readers.add(sorted.get(i).version());
            }
        }
        readers.addAll(pinned);
        readers.remove(0L);
        return readers;
    }

    /**
     * Whether the version at {@code i} is the newest committed in its span of the spacing (spans aligned to the epoch,
     * so the choice of a closed span never changes from one run to the next): a bulk load's hundred versions in a
     * minute keep one restore point, not a hundred sets of merged segments.
     */
    private boolean newestOfItsSpan(List<VersionInfo> sorted, int i) {
        long spacing = options.versionSpacingMs();
        if (spacing <= 0 || i + 1 >= sorted.size()) {
            return true;
        }
        return Math.floorDiv(sorted.get(i).createdAt().toEpochMilli(), spacing)
                != Math.floorDiv(sorted.get(i + 1).createdAt().toEpochMilli(), spacing);
    }

    /** Whether the version at {@code i} was superseded less than the grace period ago. */
    private boolean recentlyCurrent(List<VersionInfo> sorted, int i, Instant now) {
        return i + 1 < sorted.size() && age(sorted.get(i + 1).createdAt(), now) < options.graceMs();
    }

    private static long age(Instant then, Instant now) {
        return Duration.between(then, now).toMillis();
    }
}
