package dev.strata.gc;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.DroppedCollection;
import dev.strata.catalog.NotFoundException;
import dev.strata.catalog.VersionInfo;
import dev.strata.gc.ReferencedObjects.VersionRefs;
import dev.strata.segment.VersionManifest;
import dev.strata.segment.VersionPins;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import dev.strata.wal.WriteAheadLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what no kept version of any collection needs (DESIGN.md §6). For each live collection: decide the kept
 * versions ({@link KeepPolicy}), collect every object they name (manifest, roots, blocks, index files), list the
 * collection's prefix, and delete unreferenced objects older than the grace period, sealed log segments every kept
 * version has compacted (except the newest), and the manifests of expired versions, which the catalog then forgets.
 * For each dropped collection older than the grace period: delete its log and every object, then the catalog
 * forgets it.
 *
 * <p>Safe against concurrent compaction and reads: the referenced set is computed after the catalog's history and
 * the pins are read, so a version committed later is either named by the plan or made of objects written after the
 * current version's manifest (new blocks: left alone) or shared with the current version (kept). An unreferenced
 * object is deleted only when it is older than the grace period and was written before the current version's
 * manifest (by the store's clock), so the files of a compaction in flight survive however long it runs. Pins are
 * read again before anything is deleted and before each manifest is deleted. A version that was current within the grace period is
 * kept, so a read that read the catalog just before a commit can still pin it.
 *
 * <p>Runs one at a time ({@link #runOnce()}, {@link #dryRun()}); run it only on the node that holds the writer
 * lease, since forgetting versions writes the catalog.
 */
public final class GarbageCollector {

    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    /** Deletes in flight at once: S3 DELETE is one round trip per key. */
    private static final int DELETE_PARALLELISM = 16;

    private final Catalog catalog;
    private final BlockCache cache;
    private final ObjectStore store;
    private final VersionPins pins;
    private final WriteAheadLog wal;
    private final GcOptions options;
    private final Clock clock;
    private final KeepPolicy policy;
    private final ReferencedObjects references;

    /**
     * @param cache the node's block cache: roots are read through it, deleted keys are invalidated in it, and its
     *              store is the store collected
     * @param wal   the node's log, whose local state of dropped collections is deleted too; null when there is none
     */
    public GarbageCollector(Catalog catalog, BlockCache cache, VersionPins pins, WriteAheadLog wal, GcOptions options) {
        this(catalog, cache, pins, wal, options, Clock.systemUTC());
    }

    /** As above, with the clock that ages versions and objects (tests move it forward instead of sleeping). */
    public GarbageCollector(Catalog catalog, BlockCache cache, VersionPins pins, WriteAheadLog wal, GcOptions options,
                            Clock clock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.store = cache.store();
        this.pins = Objects.requireNonNull(pins, "pins");
        this.wal = wal;
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = new KeepPolicy(options);
        this.references = new ReferencedObjects(cache);
    }

    public GcOptions options() {
        return options;
    }

    /** Collects every collection now. */
    public synchronized GcReport runOnce() {
        return run(false);
    }

    /** The plan of a run, deleting nothing: the keys a run now would delete, per collection and reason. */
    public synchronized GcReport dryRun() {
        return run(true);
    }

    private GcReport run(boolean dryRun) {
        Instant started = clock.instant();
        List<CollectionGc> results = new ArrayList<>();
        for (CollectionRecord c : catalog.allCollections()) {
            collectOne(c.id(), false, () -> collectLive(c, dryRun), results);
        }
        for (DroppedCollection d : catalog.droppedCollections()) {
            collectOne(d.collection().id(), true, () -> collectDropped(d, dryRun), results);
        }
        GcReport report = new GcReport(dryRun, started, clock.instant(), results);
        if (!dryRun && report.objectsDeleted() > 0) {
            LOG.info("gc deleted {} objects ({} bytes): {}", report.objectsDeleted(), report.bytesDeleted(),
                    report.countsByReason());
        }
        return report;
    }

    /** One collection's failure is reported and does not stop the others. */
    private static void collectOne(UUID id, boolean dropped, Supplier<CollectionGc> collect, List<CollectionGc> out) {
        try {
            CollectionGc r = collect.get();
            if (r != null) {
                out.add(r);
            }
        } catch (RuntimeException e) {
            LOG.warn("gc of {}collection {} failed: {}", dropped ? "dropped " : "", id, e.toString());
            out.add(CollectionGc.failed(id, dropped, e.toString()));
        }
    }

    // ---- live collections

    private CollectionGc collectLive(CollectionRecord record, boolean dryRun) {
        UUID id = record.id();
        CollectionPlan first = plan(record, Set.of());
        if (first == null) {
            return null; // dropped since the sweep began: the next run collects it as dropped
        }
        if (dryRun) {
            return first.report(List.copyOf(first.expired), first.deletions);
        }
        NavigableSet<Long> pinnedNow = pins.pinnedVersions(id);
        // A read pinned a version the plan does not keep: plan again, keeping what it names too.
        CollectionPlan plan = first.kept.containsAll(pinnedNow) ? first : plan(record, pinnedNow);
        if (plan == null) {
            return null;
        }
        Map<GcReason, List<GcObject>> done = new EnumMap<>(GcReason.class);
        deleteAll(plan.objects(GcReason.UNREFERENCED));
        done.put(GcReason.UNREFERENCED, plan.objects(GcReason.UNREFERENCED));
        deleteAll(plan.objects(GcReason.LOG_BELOW_CURSOR));
        done.put(GcReason.LOG_BELOW_CURSOR, plan.objects(GcReason.LOG_BELOW_CURSOR));

        // Manifests last: until they go, a crash leaves the expired versions listed and the next run finishes.
        Set<Long> pinnedBeforeManifests = pins.pinnedVersions(id);
        List<GcObject> manifests = plan.objects(GcReason.EXPIRED_VERSION).stream()
                .filter(o -> !pinnedBeforeManifests.contains(plan.versionOfManifest(o.key()))).toList();
        deleteAll(manifests);
        done.put(GcReason.EXPIRED_VERSION, manifests);
        Set<Long> forget = new TreeSet<>(plan.expired);
        forget.removeAll(pinnedBeforeManifests);
        if (!forget.isEmpty()) {
            catalog.forgetVersions(id, forget);
        }
        return plan.report(List.copyOf(forget), done);
    }

    /** Reads history and pins first, then what the kept versions name, then lists: never the other way round. */
    private CollectionPlan plan(CollectionRecord record, Set<Long> extraPins) {
        UUID id = record.id();
        List<VersionInfo> history;
        try {
            history = catalog.versions(id);
        } catch (NotFoundException e) {
            return null;
        }
        Set<Long> pinned = new HashSet<>(pins.pinnedVersions(id));
        pinned.addAll(extraPins);
        Instant now = clock.instant();
        long current = Math.max(record.version(),
                history.stream().mapToLong(VersionInfo::version).max().orElse(0));
        NavigableSet<Long> kept = policy.keep(current, history, pinned, now);
        List<VersionRefs> refs = new ArrayList<>();
        for (long v : kept) {
            VersionInfo committed = history.stream().filter(h -> h.version() == v).findFirst().orElse(null);
            try {
                refs.add(references.of(id, v, committed != null ? committed.key() : VersionManifest.objectKey(id, v)));
            } catch (ObjectNotFoundException e) {
                if (committed != null) {
                    throw new GcException("version " + v + " of collection " + id + " is kept but " + e.getMessage()
                            + "; nothing of this collection is deleted until it is found or the version is forgotten", e);
                }
                LOG.warn("version {} of collection {} is pinned but has no manifest ({}); it protects nothing", v, id,
                        e.getMessage());
            }
        }
        List<ObjectMeta> listing = store.list(VersionManifest.collectionPrefix(id));
        VersionInfo currentInfo = history.stream().filter(h -> h.version() == current).findFirst().orElse(null);
        return CollectionPlan.classify(id, history, kept, refs, listing, now, options.graceMs(), currentInfo);
    }

    // ---- dropped collections

    private CollectionGc collectDropped(DroppedCollection dropped, boolean dryRun) {
        UUID id = dropped.collection().id();
        if (Duration.between(dropped.droppedAt(), clock.instant()).toMillis() < options.graceMs()) {
            return null;
        }
        if (!pins.pinnedVersions(id).isEmpty()) {
            return CollectionGc.failed(id, true, "dropped, but reads still pin versions "
                    + pins.pinnedVersions(id) + "; collected once they finish");
        }
        String prefix = VersionManifest.collectionPrefix(id);
        List<GcObject> objects = new ArrayList<>(toObjects(store.list(prefix)));
        if (!dryRun) {
            String log = id.toString();
            if (wal != null && wal.collections().contains(log)) {
                wal.deleteCollection(log);
            }
            deleteAll(objects);
            // Whatever appeared meanwhile (a last log upload) goes too: nothing may outlive forgetDropped.
            List<GcObject> stragglers = toObjects(store.list(prefix));
            deleteAll(stragglers);
            objects.addAll(stragglers);
            catalog.forgetDropped(id);
        }
        return new CollectionGc(id, true, List.of(),
                dropped.versions().stream().map(VersionInfo::version).toList(),
                Map.of(GcReason.DROPPED_COLLECTION, objects), 0, null);
    }

    private static List<GcObject> toObjects(List<ObjectMeta> listing) {
        return listing.stream().map(o -> new GcObject(o.key(), o.size())).toList();
    }

    // ---- deleting

    private void deleteAll(List<GcObject> objects) {
        if (objects.isEmpty()) {
            return;
        }
        Semaphore inFlight = new Semaphore(DELETE_PARALLELISM);
        List<Future<?>> deletes = new ArrayList<>(objects.size());
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (GcObject o : objects) {
                inFlight.acquireUninterruptibly();
                deletes.add(exec.submit(() -> {
                    try {
                        store.delete(o.key());
                        cache.invalidate(o.key());
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<?> f : deletes) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new GcException("delete failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GcException("interrupted while deleting", e);
        }
    }
}
