package dev.strata.gc;

import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.VersionInfo;
import dev.strata.gc.ReferencedObjects.VersionRefs;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectMeta;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Why each byte of each live collection is in the store: the same decision a GC run would take now
 * ({@link KeepPolicy} for the kept versions and the reason of each, {@link CollectionPlan} for what it would
 * delete), turned into bytes per {@link Retained} reason. An object named by several kept versions counts once,
 * under the strongest reason. Reads each kept version's manifest and roots and lists each collection's prefix;
 * deletes nothing.
 */
public final class RetentionMeter {

    private final BlockCache cache;
    private final GcOptions options;
    private final KeepPolicy policy;
    private final ReferencedObjects references;

    /** @param cache roots are read through it; its store is the store measured */
    public RetentionMeter(BlockCache cache, GcOptions options) {
        this.cache = cache;
        this.options = options;
        this.policy = new KeepPolicy(options);
        this.references = new ReferencedObjects(cache);
    }

    /** What one collection keeps, as a GC run now would decide. */
    private record Kept(CollectionRecord record, List<VersionInfo> history, NavigableMap<Long, Retained> reasons,
                        NavigableSet<Long> logReaders, List<VersionRefs> refs, VersionInfo current) {}

    /**
     * @param collections the live collections
     * @param history     each collection's committed versions (the catalog's history)
     * @param pinned      each collection's pinned versions (empty for a stopped node)
     * @param now         the time the TTL and grace period are measured at
     * @return per collection, in the order given
     */
    public Map<UUID, RetainedBytes> measure(List<CollectionRecord> collections,
                                            Function<UUID, List<VersionInfo>> history,
                                            Function<UUID, Set<Long>> pinned, Instant now) {
        Map<UUID, RetainedBytes> out = new LinkedHashMap<>();
        Map<UUID, Kept> kept = new LinkedHashMap<>();
        for (CollectionRecord c : collections) {
            try {
                kept.put(c.id(), keptOf(c, history.apply(c.id()), pinned.apply(c.id()), now));
            } catch (RuntimeException e) {
                out.put(c.id(), RetainedBytes.failed(c.id(), "kept versions unreadable: " + e.getMessage()));
            }
        }
        Map<String, UUID> namedBy = new HashMap<>();
        kept.values().forEach(k -> k.refs().forEach(r -> r.keys().forEach(key -> namedBy.put(key, k.record().id()))));
        for (CollectionRecord c : collections) {
            Kept k = kept.get(c.id());
            if (k != null) {
                out.put(c.id(), measure(k, namedBy.keySet(), now));
            }
        }
        Map<UUID, RetainedBytes> ordered = new LinkedHashMap<>();
        collections.forEach(c -> ordered.put(c.id(), out.get(c.id())));
        return ordered;
    }

    private Kept keptOf(CollectionRecord record, List<VersionInfo> history, Set<Long> pinned, Instant now) {
        long current = Math.max(record.version(), history.stream().mapToLong(VersionInfo::version).max().orElse(0));
        NavigableMap<Long, Retained> reasons = policy.reasons(current, history, pinned, now);
        NavigableSet<Long> logReaders = policy.logReaders(current, history, pinned, now);
        List<VersionRefs> refs = references.ofKept(record.id(), reasons.keySet(), history);
        VersionInfo currentInfo = history.stream().filter(h -> h.version() == current).findFirst().orElse(null);
        return new Kept(record, history, reasons, logReaders, refs, currentInfo);
    }

    private RetainedBytes measure(Kept k, Set<String> namedByAny, Instant now) {
        UUID id = k.record().id();
        List<ObjectMeta> listing = cache.store().list(ObjectLayout.collectionFolder(id));
        CollectionPlan plan = CollectionPlan.classify(id, k.history(), new java.util.TreeSet<>(k.reasons().keySet()),
                k.logReaders(), k.refs(), namedByAny, listing, now, options.graceMs(), k.current());
        Map<String, Retained> due = new HashMap<>();
        plan.objects(GcReason.LOG_BELOW_CURSOR).forEach(o -> due.put(o.key(), Retained.LOG_COMPACTED));
        plan.objects(GcReason.EXPIRED_VERSION).forEach(o -> due.put(o.key(), Retained.EXPIRED));
        plan.objects(GcReason.UNREFERENCED).forEach(o -> due.put(o.key(), Retained.UNREFERENCED));

        // The strongest reason per key: enum order is strength order.
        Map<String, Retained> held = new HashMap<>();
        for (VersionRefs r : k.refs()) {
            Retained reason = k.reasons().get(r.version());
            r.keys().forEach(key -> held.merge(key, reason, (a, b) -> a.compareTo(b) <= 0 ? a : b));
        }
        long cursor = k.refs().stream().filter(r -> k.current() == null || r.version() == k.current().version())
                .mapToLong(VersionRefs::logCursor).max().orElse(0);
        String log = id.toString();
        long newestSeq = listing.stream().map(o -> ObjectLayout.parseLogSegment(o.key())).flatMap(Optional::stream)
                .filter(s -> s.collection().equals(log)).mapToLong(LogSegment::lastSeq).max().orElse(0);

        Map<Retained, Long> bytes = new EnumMap<>(Retained.class);
        Map<Retained, Long> objects = new EnumMap<>(Retained.class);
        for (ObjectMeta o : listing) {
            Retained reason = reasonOf(o.key(), log, due, held, namedByAny, cursor, newestSeq);
            bytes.merge(reason, o.size(), Long::sum);
            objects.merge(reason, 1L, Long::sum);
        }
        return new RetainedBytes(id, bytes, objects, null);
    }

    private static Retained reasonOf(String key, String log, Map<String, Retained> due, Map<String, Retained> held,
                                     Set<String> namedByAny, long cursor, long newestSeq) {
        Retained gcDeletes = due.get(key);
        if (gcDeletes != null) {
            return gcDeletes;
        }
        Optional<LogSegment> segment = ObjectLayout.parseLogSegment(key).filter(s -> s.collection().equals(log));
        if (segment.isPresent()) {
            long last = segment.get().lastSeq();
            return last > cursor ? Retained.LOG_UNCOMPACTED
                    : last == newestSeq ? Retained.LOG_NEWEST : Retained.LOG_REPLAY;
        }
        Retained version = held.get(key);
        if (version != null) {
            return version;
        }
        return namedByAny.contains(key) ? Retained.FORK : Retained.FRESH;
    }
}
