package dev.strata.gc;

import dev.strata.catalog.VersionInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/** Which versions of one collection garbage collection keeps (DESIGN.md §6). Pure: no I/O. */
final class KeepPolicy {

    private final GcOptions options;

    KeepPolicy(GcOptions options) {
        this.options = options;
    }

    /**
     * The current version, the newest {@code keepVersions}, every version committed within the TTL, every
     * version that was still current within the grace period (a read may have read the catalog just before the
     * next commit and be about to pin it), and every pinned version. Version 0 (nothing compacted) has no files.
     *
     * @param history the catalog's committed versions, in any order
     */
    NavigableSet<Long> keep(long current, List<VersionInfo> history, Set<Long> pinned, Instant now) {
        List<VersionInfo> sorted = history.stream().sorted(Comparator.comparingLong(VersionInfo::version)).toList();
        NavigableSet<Long> kept = new TreeSet<>();
        kept.add(current);
        for (int i = 0; i < sorted.size(); i++) {
            VersionInfo v = sorted.get(i);
            boolean newest = i >= sorted.size() - options.keepVersions();
            boolean young = age(v.createdAt(), now) < options.versionTtlMs();
            boolean recentlyCurrent = i + 1 < sorted.size()
                    && age(sorted.get(i + 1).createdAt(), now) < options.graceMs();
            if (newest || young || recentlyCurrent) {
                kept.add(v.version());
            }
        }
        kept.addAll(pinned);
        kept.remove(0L);
        return kept;
    }

    private static long age(Instant then, Instant now) {
        return Duration.between(then, now).toMillis();
    }
}
