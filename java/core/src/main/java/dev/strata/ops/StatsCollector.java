package dev.strata.ops;

import dev.strata.catalog.CollectionRecord;
import dev.strata.compaction.CompactionFailures;
import dev.strata.gc.GcOptions;
import dev.strata.gc.RetainedBytes;
import dev.strata.gc.RetentionMeter;
import dev.strata.segment.RawRecordBytes;
import dev.strata.segment.VersionManifest;
import dev.strata.storage.BlockCache;
import dev.strata.storage.CorruptObjectException;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.UnsupportedFormatVersionException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sizes a bucket: collections per tenant and database with their versions, record counts, dimension
 * and uncompacted log, and bytes per kind of object. One manifest read, one listing, and one version
 * manifest read per compacted collection. A current version manifest that cannot be read leaves that
 * collection's record count unknown (with a warning) rather than failing the whole report. Retained bytes by reason
 * ({@link RetentionMeter}) read each kept version's manifest and roots and list each collection's prefix again. Measuring raw bytes
 * ({@link #withRawBytes()}) reads every record block of each current version besides.
 */
public final class StatsCollector {

    /** Enough to hold a few record blocks at a time: the raw measure streams through them once. */
    private static final long RAW_CACHE_BYTES = 32L << 20;

    private final ObjectStore store;
    private final boolean rawBytes;
    private final GcOptions gcOptions;
    private final Clock clock;

    /** Retained bytes are measured with the default GC policy at the system clock's time. */
    public StatsCollector(ObjectStore store) {
        this(store, false, GcOptions.defaults(), Clock.systemUTC());
    }

    private StatsCollector(ObjectStore store, boolean rawBytes, GcOptions gcOptions, Clock clock) {
        this.store = store;
        this.rawBytes = rawBytes;
        this.gcOptions = gcOptions;
        this.clock = clock;
    }

    /** A collector that also measures each current version's raw bytes, so the report gives overhead against raw. */
    public StatsCollector withRawBytes() {
        return new StatsCollector(store, true, gcOptions, clock);
    }

    /**
     * A collector that sorts retained bytes by the GC policy {@code options} (the node's keep_versions, TTL and
     * grace period) as a GC run at {@code clock}'s time would see them. Nothing is pinned: stats reads the store,
     * not a running node.
     */
    public StatsCollector withRetention(GcOptions options, Clock clock) {
        return new StatsCollector(store, rawBytes, options, clock);
    }

    public StatsReport collect() {
        CatalogSnapshot snapshot = CatalogSnapshot.read(store);
        ByKind bucket = new ByKind();
        Map<String, ByKind> perCollection = new HashMap<>();
        Map<String, Long> lastSeq = new HashMap<>();
        for (ObjectMeta m : store.list("")) {
            bucket.add(m);
            ObjectLayout.collectionOf(m.key()).ifPresent(c -> perCollection.computeIfAbsent(c, x -> new ByKind()).add(m));
            ObjectLayout.parseLogSegment(m.key()).ifPresent(s -> lastSeq.merge(s.collection(), s.lastSeq(), Math::max));
        }
        Map<java.util.UUID, String> failing = new HashMap<>();
        try {
            for (CompactionFailures.Failure f : CompactionFailures.read(store)) {
                failing.put(f.collection(), "failing since " + f.since() + " (" + f.attempts() + " attempts, last "
                        + f.lastAttempt() + "): " + f.cause());
            }
        } catch (CorruptObjectException | UnsupportedFormatVersionException e) {
            // An unreadable status object hides nothing else: the report goes on without it.
        }
        Map<UUID, RetainedBytes> retained = retained(snapshot);
        List<CollectionStats> collections = new ArrayList<>();
        for (CollectionRecord c : snapshot.collections()) {
            String id = c.id().toString();
            VersionManifest current = null;
            String warning = null;
            if (c.version() > 0) {
                try {
                    current = VersionManifest.decode(c.versionKey(), store.get(c.versionKey()));
                } catch (ObjectNotFoundException | CorruptObjectException | UnsupportedFormatVersionException e) {
                    warning = "current version manifest unreadable: " + e.getMessage() + "; run strata verify";
                }
            }
            Long raw = null;
            if (rawBytes && c.version() == 0) {
                raw = 0L;
            } else if (rawBytes && current != null) {
                try (BlockCache cache = new BlockCache(store, RAW_CACHE_BYTES)) {
                    raw = RawRecordBytes.of(cache, current);
                } catch (RuntimeException e) {
                    warning = "raw bytes not measured: " + e.getMessage() + "; run strata verify";
                }
            }
            RetainedBytes held = retained.get(c.id());
            if (held.error() != null) {
                warning = (warning == null ? "" : warning + "; ") + "retained bytes not measured: " + held.error();
            }
            long last = lastSeq.getOrDefault(id, 0L);
            ByKind objects = perCollection.getOrDefault(id, new ByKind());
            Integer dimension = current != null && current.dimension() != null ? current.dimension() : c.dimension();
            collections.add(new CollectionStats(c.id(), c.tenant(), c.database(), c.name(), c.version(),
                    snapshot.keptVersions(c.id()).size(), records(c, current), dimension, last, c.logCursor(),
                    Math.max(0, last - c.logCursor()), objects.bytes, objects.objects, warning,
                    failing.get(c.id()), raw, labelled(held)));
        }
        return new StatsReport(snapshot.generation(), collections, snapshot.dropped().size(), bucket.bytes,
                bucket.objects);
    }

    /** Every live collection's bytes by why they are kept, as the GC would decide now (its own policy code). */
    private Map<UUID, RetainedBytes> retained(CatalogSnapshot snapshot) {
        try (BlockCache cache = new BlockCache(store, RAW_CACHE_BYTES)) {
            return new RetentionMeter(cache, gcOptions).measure(snapshot.collections(), snapshot::keptVersions,
                    id -> Set.of(), clock.instant());
        }
    }

    private static Map<String, Long> labelled(RetainedBytes held) {
        Map<String, Long> out = new LinkedHashMap<>();
        held.bytes().forEach((reason, bytes) -> out.put(reason.label(), bytes));
        return out;
    }

    private static Long records(CollectionRecord c, VersionManifest current) {
        if (c.version() == 0) {
            return 0L;
        }
        return current == null ? null : (long) current.count();
    }
}
