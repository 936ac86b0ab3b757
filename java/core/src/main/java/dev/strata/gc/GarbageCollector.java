package dev.strata.gc;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.DroppedCollection;
import dev.strata.catalog.NotFoundException;
import dev.strata.catalog.VersionInfo;
import dev.strata.gc.ReferencedObjects.VersionRefs;
import dev.strata.segment.VersionPins;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectLayout;
import dev.strata.storage.ObjectMeta;
import dev.strata.storage.ObjectStore;
import dev.strata.wal.WriteAheadLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * Deletes what no kept version of any collection needs (DESIGN.md §6). First, for every live collection: decide the
 * kept versions ({@link KeepPolicy}) and collect every object they name (manifest, roots, blocks, index files); a
 * fork's versions name objects under its source's prefix, so what is referenced is the union over all collections.
 * Then for each live collection: list its prefix and delete what no one references and is older than the grace period, sealed log segments the current version has
 * compacted (except the newest, and those a version superseded within the grace period or a pinned one may replay), and the manifests of expired versions, which the catalog then forgets.
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
        // First what every live collection keeps, then deletions: a fork's versions name its source's objects, so
        // an object is deleted only when no kept version of any collection names it.
        Map<UUID, Kept> kept = new LinkedHashMap<>();
        Map<UUID, UUID> unreadableLineages = new HashMap<>();
        for (CollectionRecord c : catalog.allCollections()) {
            try {
                Kept k = keptOf(c, Set.of());
                if (k != null) {
                    kept.put(c.id(), k);
                }
            } catch (RuntimeException e) {
                LOG.warn("gc of collection {} failed: {}", c.id(), e.toString());
                results.add(CollectionGc.failed(c.id(), false, e.toString()));
                rootOf(c.id()).ifPresent(root -> unreadableLineages.putIfAbsent(root, c.id()));
            }
        }
        Set<String> namedByAny = new HashSet<>();
        kept.values().forEach(k -> k.refs().forEach(r -> namedByAny.addAll(r.keys())));
        for (Kept k : kept.values()) {
            UUID id = k.record().id();
            UUID unreadable = rootOf(id).map(unreadableLineages::get).orElse(null);
            if (unreadable != null) {
                // What the unreadable one names is unknown: some of it may be this collection's objects.
                results.add(CollectionGc.failed(id, false, "skipped: collection " + unreadable
                        + " of the same lineage has unreadable references"));
                continue;
            }
            collectOne(id, false, () -> collectLive(k, namedByAny, dryRun), results);
        }
        for (DroppedCollection d : catalog.droppedCollections()) {
            if (!unreadableLineages.isEmpty()) {
                results.add(CollectionGc.failed(d.collection().id(), true, "waits: collections "
                        + unreadableLineages.values() + " have unreadable references, which may name its objects"));
                continue;
            }
            collectOne(d.collection().id(), true, () -> collectDropped(d, namedByAny, dryRun), results);
        }
        GcReport report = new GcReport(dryRun, started, clock.instant(), results);
        if (!dryRun && report.objectsDeleted() > 0) {
            LOG.info("gc deleted {} objects ({} bytes): {}", report.objectsDeleted(), report.bytesDeleted(),
                    report.countsByReason());
        }
        return report;
    }

    /** The lineage root of a live collection; empty once it is gone. */
    private java.util.Optional<UUID> rootOf(UUID id) {
        try {
            return java.util.Optional.of(catalog.lineageRoot(id));
        } catch (NotFoundException e) {
            return java.util.Optional.empty();
        }
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

    /** What one live collection keeps: its history, the kept versions and what each of them names. */
    private record Kept(CollectionRecord record, List<VersionInfo> history, NavigableSet<Long> versions,
                        NavigableSet<Long> logReaders, List<VersionRefs> refs, VersionInfo current) {}

    private CollectionGc collectLive(Kept first, Set<String> namedByAny, boolean dryRun) {
        UUID id = first.record().id();
        CollectionPlan firstPlan = classify(first, namedByAny);
        if (dryRun) {
            return firstPlan.report(List.copyOf(firstPlan.expired), firstPlan.deletions);
        }
        NavigableSet<Long> pinnedNow = pins.pinnedVersions(id);
        CollectionPlan plan = firstPlan;
        if (!first.versions().containsAll(pinnedNow)) {
            // A read pinned a version the plan does not keep: plan again, keeping what it names too.
            Kept again = keptOf(first.record(), pinnedNow);
            if (again == null) {
                return null;
            }
            Set<String> named = new HashSet<>(namedByAny);
            again.refs().forEach(r -> named.addAll(r.keys()));
            plan = classify(again, named);
        }
        CollectionPlan chosen = plan;
        Map<GcReason, List<GcObject>> done = new EnumMap<>(GcReason.class);
        deleteAll(chosen.objects(GcReason.UNREFERENCED));
        done.put(GcReason.UNREFERENCED, chosen.objects(GcReason.UNREFERENCED));
        deleteAll(chosen.objects(GcReason.LOG_BELOW_CURSOR));
        done.put(GcReason.LOG_BELOW_CURSOR, chosen.objects(GcReason.LOG_BELOW_CURSOR));

        // Manifests last: until they go, a crash leaves the expired versions listed and the next run finishes.
        Set<Long> pinnedBeforeManifests = pins.pinnedVersions(id);
        List<GcObject> manifests = chosen.objects(GcReason.EXPIRED_VERSION).stream()
                .filter(o -> !pinnedBeforeManifests.contains(chosen.versionOfManifest(o.key()))).toList();
        deleteAll(manifests);
        done.put(GcReason.EXPIRED_VERSION, manifests);
        Set<Long> forget = new TreeSet<>(chosen.expired);
        forget.removeAll(pinnedBeforeManifests);
        if (!forget.isEmpty()) {
            catalog.forgetVersions(id, forget);
        }
        return chosen.report(List.copyOf(forget), done);
    }

    /**
     * Reads history and pins first, then what the kept versions name; the listing comes later ({@link #classify}),
     * never the other way round. Null when the collection was dropped meanwhile (the next run collects it).
     */
    private Kept keptOf(CollectionRecord record, Set<Long> extraPins) {
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
        NavigableSet<Long> logReaders = policy.logReaders(current, history, pinned, now);
        List<VersionRefs> refs = references.ofKept(id, kept, history);
        VersionInfo currentInfo = history.stream().filter(h -> h.version() == current).findFirst().orElse(null);
        return new Kept(record, history, kept, logReaders, refs, currentInfo);
    }

    private CollectionPlan classify(Kept k, Set<String> namedByAny) {
        UUID id = k.record().id();
        List<ObjectMeta> listing = store.list(ObjectLayout.collectionFolder(id));
        return CollectionPlan.classify(id, k.history(), k.versions(), k.logReaders(), k.refs(), namedByAny, listing,
                clock.instant(), options.graceMs(), k.current());
    }

    // ---- dropped collections

    /**
     * Deletes a dropped collection's log and every object under its prefix that no live collection's kept version
     * names; the catalog forgets it once nothing is left. Objects a fork still names stay, and a later run deletes
     * them once no one names them any more.
     */
    private CollectionGc collectDropped(DroppedCollection dropped, Set<String> namedByAny, boolean dryRun) {
        UUID id = dropped.collection().id();
        if (Duration.between(dropped.droppedAt(), clock.instant()).toMillis() < options.graceMs()) {
            return null;
        }
        if (!pins.pinnedVersions(id).isEmpty()) {
            return CollectionGc.failed(id, true, "dropped, but reads still pin versions "
                    + pins.pinnedVersions(id) + "; collected once they finish");
        }
        String prefix = ObjectLayout.collectionFolder(id);
        List<ObjectMeta> listing = store.list(prefix);
        List<GcObject> objects = new ArrayList<>(toObjects(listing.stream()
                .filter(o -> !namedByAny.contains(o.key())).toList()));
        int shared = listing.size() - objects.size();
        if (!dryRun) {
            String log = id.toString();
            if (wal != null && wal.collections().contains(log)) {
                wal.deleteCollection(log);
            }
            deleteAll(objects);
            // Whatever appeared meanwhile (a last log upload) goes too: nothing may outlive forgetDropped.
            List<ObjectMeta> left = store.list(prefix);
            List<GcObject> stragglers = toObjects(left.stream().filter(o -> !namedByAny.contains(o.key())).toList());
            deleteAll(stragglers);
            objects.addAll(stragglers);
            if (left.size() == stragglers.size()) {
                catalog.forgetDropped(id);
            }
        }
        return new CollectionGc(id, true, List.of(),
                dropped.versions().stream().map(VersionInfo::version).toList(),
                Map.of(GcReason.DROPPED_COLLECTION, objects), shared, null);
    }

    private static List<GcObject> toObjects(List<ObjectMeta> listing) {
        return listing.stream().map(o -> new GcObject(o.key(), o.size())).toList();
    }

    // ---- deleting

    private void deleteAll(List<GcObject> objects) {
        if (objects.isEmpty()) {
            return;
        }
        // A writer fenced by a successor must not delete by its stale view of the catalog.
        catalog.checkWriter();
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
