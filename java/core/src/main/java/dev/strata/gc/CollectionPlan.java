package dev.strata.gc;

import dev.strata.catalog.VersionInfo;
import dev.strata.gc.ReferencedObjects.VersionRefs;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What garbage collection deletes under one live collection's prefix, decided from one listing: every object
 * falls in exactly one class (kept, expired manifest, log below the cursor, unreferenced, too fresh to delete). Pure: no I/O.
 */
final class CollectionPlan {

    final UUID collection;
    final NavigableSet<Long> kept;
    /** Versions of the catalog's history that no rule keeps: their manifests go, then the catalog forgets them. */
    final NavigableSet<Long> expired;
    final Map<GcReason, List<GcObject>> deletions;
    final int protectedUnreferenced;
    private final Map<String, Long> expiredManifestVersions;

    private CollectionPlan(UUID collection, NavigableSet<Long> kept, NavigableSet<Long> expired,
                           Map<GcReason, List<GcObject>> deletions, int protectedUnreferenced,
                           Map<String, Long> expiredManifestVersions) {
        this.collection = collection;
        this.kept = kept;
        this.expired = expired;
        this.deletions = deletions;
        this.protectedUnreferenced = protectedUnreferenced;
        this.expiredManifestVersions = expiredManifestVersions;
    }

    /**
     * Classifies {@code listing} (every object under the collection's prefix).
     *
     * @param refs what each kept version names; a kept version missing here (a pin on a version whose manifest
     *             is gone) protects nothing
     * @param namedByAny every key that a kept version of any live collection names (forks name their source's
     *             objects), this collection's own refs included
     * @param logReaders the kept versions whose readers may replay the log after their cursor
     *                   ({@link KeepPolicy#logReaders}): sealed log segments wholly at or below the lowest of their
     *                   cursors go, whatever older versions are kept for the TTL
     * @param current the current version's history entry, null before the first: a compaction in flight started
     *             after its commit, so an object written since may be one of its files however slow it is (before
     *             the first, any object may be)
     */
    static CollectionPlan classify(UUID collection, List<VersionInfo> history, NavigableSet<Long> kept,
                                   Set<Long> logReaders, Collection<VersionRefs> refs, Set<String> namedByAny,
                                   List<ObjectMeta> listing, Instant now, long graceMs, VersionInfo current) {
        Instant writtenBefore = current == null ? null : currentManifestTime(current, listing);
        Set<String> referenced = new HashSet<>(namedByAny);
        long logFloor = Long.MAX_VALUE;
        for (VersionRefs r : refs) {
            referenced.addAll(r.keys());
            if (logReaders.contains(r.version())) {
                logFloor = Math.min(logFloor, r.logCursor());
            }
        }
        if (logFloor == Long.MAX_VALUE) {
            logFloor = 0; // no version to build a tail on is known: the whole log may still be needed
        }
        NavigableSet<Long> expired = new TreeSet<>();
        Map<String, Long> expiredManifests = new HashMap<>();
        for (VersionInfo v : history) {
            if (!kept.contains(v.version())) {
                expired.add(v.version());
                expiredManifests.put(v.key(), v.version());
            }
        }
        String id = collection.toString();
        long newestLogSeq = listing.stream().map(o -> logSegment(id, o.key())).flatMap(Optional::stream)
                .mapToLong(LogSegment::lastSeq).max().orElse(0);

        Map<GcReason, List<GcObject>> deletions = new EnumMap<>(GcReason.class);
        int fresh = 0;
        for (ObjectMeta o : listing) {
            Optional<LogSegment> log = logSegment(id, o.key());
            GcReason reason = null;
            if (log.isPresent()) {
                // A tail is built on the current (or a just-superseded or pinned) version from the log after its
                // cursor; older kept versions are complete without it. The newest key records the last seq.
                if (log.get().lastSeq() <= logFloor && log.get().lastSeq() < newestLogSeq) {
                    reason = GcReason.LOG_BELOW_CURSOR;
                }
            } else if (referenced.contains(o.key())) {
                continue;
            } else if (expiredManifests.containsKey(o.key())) {
                reason = GcReason.EXPIRED_VERSION;
            } else if (Duration.between(o.lastModified(), now).toMillis() >= graceMs
                    && writtenBefore != null && o.lastModified().isBefore(writtenBefore)) {
                // Before the first version there is nothing to date a compaction in flight by: every object may be
                // one of the first compaction's files (a first import can take longer than the grace period), so
                // none is deleted until that version is committed; then a crashed one's files are older than it.
                reason = GcReason.UNREFERENCED;
            } else {
                fresh++;
            }
            if (reason != null) {
                deletions.computeIfAbsent(reason, r -> new ArrayList<>()).add(new GcObject(o.key(), o.size()));
            }
        }
        return new CollectionPlan(collection, kept, expired, deletions, fresh, expiredManifests);
    }

    /**
     * When the current version's manifest was written, by the store's own clock and precision (S3 keeps whole
     * seconds), so comparing it with other objects' times needs no agreement between the node's and the store's
     * clocks; the catalog's commit time when the listing lacks the manifest.
     */
    private static Instant currentManifestTime(VersionInfo current, List<ObjectMeta> listing) {
        return listing.stream().filter(o -> o.key().equals(current.key())).map(ObjectMeta::lastModified)
                .findFirst().orElse(current.createdAt());
    }

    private static Optional<LogSegment> logSegment(String collection, String key) {
        return ObjectLayout.parseLogSegment(key).filter(s -> s.collection().equals(collection));
    }

    List<GcObject> objects(GcReason reason) {
        return deletions.getOrDefault(reason, List.of());
    }

    /** The version whose manifest {@code key} is, among the expired ones. */
    long versionOfManifest(String key) {
        return expiredManifestVersions.get(key);
    }

    CollectionGc report(List<Long> forgotten, Map<GcReason, List<GcObject>> done) {
        return new CollectionGc(collection, false, List.copyOf(kept), forgotten, done, protectedUnreferenced, null);
    }
}
