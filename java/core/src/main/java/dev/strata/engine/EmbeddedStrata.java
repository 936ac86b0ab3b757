package dev.strata.engine;

import dev.strata.api.Cancellation;
import dev.strata.api.Database;
import dev.strata.api.InternalException;
import dev.strata.api.ReadOnlyException;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.api.StrataException;
import dev.strata.api.Tenant;
import dev.strata.api.UnimplementedException;
import dev.strata.api.Validator;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogOptions;
import dev.strata.catalog.CollectionRecord;
import dev.strata.catalog.WriterLease;
import dev.strata.compaction.CompactionFailures;
import dev.strata.filter.Deadline;
import dev.strata.gc.GcReport;
import dev.strata.query.QueryStages;
import dev.strata.storage.BlockCache;
import dev.strata.storage.BlockCacheOptions;
import dev.strata.storage.KvMemory;
import dev.strata.storage.LocalKv;
import dev.strata.storage.ObjectNotFoundException;
import dev.strata.storage.ObjectStore;
import dev.strata.storage.ObjectStores;
import dev.strata.storage.ReadOnlyObjectStore;
import dev.strata.wal.BucketLog;
import dev.strata.wal.LogFence;
import dev.strata.wal.LogFences;
import dev.strata.wal.WalOptions;
import dev.strata.wal.WriteAheadLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded client: one per process and data folder. Opens the node's RocksDB ({path}/catalog),
 * the object store, the block cache, the writer lease, the catalog and the write-ahead log
 * ({path}/wal); opens a {@link CollectionRuntime} per collection on first use.
 *
 * <p>A read-only node ({@link Settings#readOnly()}) serves reads of a bucket another node writes: it takes no
 * lease, opens no write-ahead log and no maintenance, reads the catalog manifest and the log the writer uploaded
 * through a store that refuses every put and delete, and follows the writer on {@link #refresh()} (and every
 * {@link Settings#readOnlyRefreshMs()}). Every write fails with {@link ReadOnlyException}.
 */
public final class EmbeddedStrata implements Strata {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStrata.class);
    private static final String NODE_ID_FILE = "node-id";

    // Scoped rather than a parameter of open(...), so every way of opening (with or without a custom
    // version opener) can be given a decorated store without a second set of overloads.
    private static final ScopedValue<UnaryOperator<ObjectStore>> STORE_DECORATOR = ScopedValue.newInstance();
    // A standby's read-only follower uses the standby's own store (its connections, its request counts).
    private static final ScopedValue<ObjectStore> SHARED_STORE = ScopedValue.newInstance();

    private final Settings settings;
    private final Validator validator;
    private final ObjectStore store;
    private final LocalKv kv;
    private final BlockCache cache;
    private final WriterLease lease; // null on a read-only node
    private final Catalog catalog;
    private final WriteAheadLog wal; // null on a read-only node
    private final BucketLog uploadedLog; // the writer's log, on a read-only node only
    private final VersionOpener opener;
    private final Maintenance maintenance; // null when a caller-supplied opener reads versions
    private final IndexPacing.Stats pacingStats = new IndexPacing.Stats();
    private volatile QueryStages queryStages = QueryStages.NONE;
    private final Map<UUID, CollectionRuntime> runtimes = new ConcurrentHashMap<>();
    private final Object refreshLock = new Object();
    private ScheduledExecutorService refresher; // a read-only node's periodic refresh, when configured
    private volatile boolean closed;

    private EmbeddedStrata(Settings settings, ObjectStore store, LocalKv kv, BlockCache cache, WriterLease lease,
            Catalog catalog, WriteAheadLog wal, BucketLog uploadedLog, VersionOpener opener, Maintenance maintenance) {
        this.settings = settings;
        this.validator = new Validator(settings.maxBatchSize());
        this.store = store;
        this.kv = kv;
        this.cache = cache;
        this.lease = lease;
        this.catalog = catalog;
        this.wal = wal;
        this.uploadedLog = uploadedLog;
        this.opener = opener;
        this.maintenance = maintenance;
    }

    /** Opens a node: compacted versions from the segment layer, background compaction past the thresholds. */
    public static EmbeddedStrata open(Settings settings) {
        return open(settings, null);
    }

    /**
     * Opens a node as {@link #open(Settings)} does, with its object store wrapped by {@code decorator}
     * (fault injection, latency, request tracing in tests and tools). The decorated store is the one
     * every layer uses, and it is closed with the node.
     */
    public static EmbeddedStrata openDecorated(Settings settings, UnaryOperator<ObjectStore> decorator) {
        return ScopedValue.where(STORE_DECORATOR, decorator).call(() -> open(settings));
    }

    /** Opens a read-only node over {@code store} instead of the store its settings name; closing it closes the store. */
    static EmbeddedStrata openSharing(Settings readOnlySettings, ObjectStore store) {
        if (!readOnlySettings.readOnly()) {
            throw new IllegalArgumentException("only a read-only node shares another node's store");
        }
        return ScopedValue.where(SHARED_STORE, store).call(() -> open(readOnlySettings));
    }

    /**
     * Opens a node whose compacted versions are read by the given opener, without background
     * compaction (versions come from whoever calls {@link #publish}); null opener: as {@link #open(Settings)}.
     */
    public static EmbeddedStrata open(Settings settings, VersionOpener customOpener) {
        JvmFlags.check();
        ProcessSettings.applyEnvironment();
        EmbeddedStrata strata = settings.readOnly() ? openReadOnly(settings, customOpener) : openWriter(settings, customOpener);
        // After the open, not beside it: on two cores it slowed a fresh open by ~0.27 s (OpenBenchmark), and an
        // application's or a server's first query comes after the open anyway.
        FirstQueryWarmup.startNativeOnce();
        return strata;
    }

    /**
     * Loads the block codec's classes (Arrow IPC) on a thread of its own, once per JVM, so that a restarted node's
     * first query does not (its record reads took 196 ms of a 10k node's first query, 80 ms after this). A server
     * calls it once its node has opened; it is not part of {@link #open}, because Arrow announces its first use with
     * log lines at INFO, which an embedding application has not asked for until it reads blocks.
     */
    public static void warmUpBlockReads() {
        FirstQueryWarmup.startBlocksOnce();
    }

    private static EmbeddedStrata openWriter(Settings settings, VersionOpener customOpener) {
        Path path = settings.path();
        OpenPhases phases = new OpenPhases();
        return assemble(path, opened -> {
            ObjectStore store = opened.add(STORE_DECORATOR.orElse(UnaryOperator.identity()).apply(openStore(settings)));
            phases.done("store");
            // Jackson's first use (the lease, the catalog) warms up on another core while RocksDB loads and opens.
            Thread.ofPlatform().daemon().name("strata-open-json").start(WriterLease::prepareJson);
            LocalKv kv = opened.add(openKv(path));
            phases.done("kv");
            BlockCache cache = opened.add(new BlockCache(store, cacheOptions(settings)));
            CatalogOptions catalogOptions = CatalogOptions.defaults()
                    .withLease(settings.leaseRenewMs(), settings.leaseStaleMs(), settings.leaseStandbyRenewMs(),
                            settings.leaseStandbyStaleMs());
            String nodeId = nodeId(path);
            StandbyRehearsal rehearsal = new StandbyRehearsal(settings, store);
            WriterLease lease;
            try (rehearsal) {
                lease = opened.add(LocalWriterEpoch.acquire(path, store, kv, nodeId, catalogOptions,
                        settings.leaseWaitMs(), rehearsal::start));
            }
            phases.done("lease");
            Catalog catalog = opened.add(Catalog.open(kv, store, catalogOptions, lease));
            phases.done("catalog");
            WalOptions walOptions = WalOptions.defaults()
                    .withDurability(settings.durability() == Settings.Durability.S3
                            ? WalOptions.Durability.S3 : WalOptions.Durability.LOCAL)
                    .withSegmentBytes(settings.walSegmentBytes())
                    .withUploadIntervalMs(settings.walUploadIntervalMs());
            // A new node looks in the store for its catalog's collections' logs only (not a listing of every object).
            List<String> logs = catalog.allCollections().stream().map(c -> CollectionRuntime.logName(c.id())).toList();
            WriteAheadLog wal = WriteAheadLog.open(path.resolve("wal"), kv, rehearsal.withFollowedSegments(store),
                    walOptions, logs, lease.epoch(), logFences(catalog));
            wal.fenceUploads(lease::mayWrite);
            wal.confirmUploads(lease::confirmHeld);
            opened.add(wal);
            phases.done("log recovery");
            // The takeover point of every collection's log goes into the manifest before any write is accepted: from
            // there on, what the previous writer still uploads is ignored, and its catalog changes are refused.
            Map<String, Long> points = new HashMap<>();
            logs.forEach(log -> points.put(log, wal.takeoverPoint(log)));
            catalog.recordTakeover(lease.epoch(), points);
            phases.done("takeover");
            if (customOpener != null) {
                return new EmbeddedStrata(settings, store, kv, cache, lease, catalog, wal, null, customOpener, null);
            }
            Maintenance maintenance = opened.add(new Maintenance(path, store, cache, settings.warmIndexBytes()));
            // The collections' current manifests are read while the node finishes opening, not by the first query.
            maintenance.readAhead(catalog.allCollections());
            EmbeddedStrata strata = new EmbeddedStrata(settings, store, kv, cache, lease, catalog, wal, null,
                    maintenance.opener(), maintenance);
            maintenance.start(strata, catalog, wal, settings, strata::backlog);
            phases.done("maintenance");
            LOG.debug("opened {} in {} ms: {}", path, phases.totalMs(), phases);
            return strata;
        });
    }

    /**
     * A read-only node: the catalog from the bucket's manifest and the log the writer uploaded, through a store that
     * refuses every write. Its folder gets a catalog copy and caches but no log ({path}/wal, the log index) and no
     * node id, so nothing there can later pass for a writer's log: a writer opened on it recovers from the bucket.
     */
    private static EmbeddedStrata openReadOnly(Settings settings, VersionOpener customOpener) {
        Path path = settings.path();
        return assemble(path, opened -> {
            ObjectStore store = opened.add(new ReadOnlyObjectStore(SHARED_STORE.isBound() ? SHARED_STORE.get()
                    : STORE_DECORATOR.orElse(UnaryOperator.identity()).apply(openStore(settings))));
            LocalKv kv = opened.add(openKv(path));
            BlockCache cache = opened.add(new BlockCache(store, cacheOptions(settings)));
            Catalog catalog = opened.add(Catalog.openReadOnly(kv, store, CatalogOptions.defaults()));
            BucketLog uploaded = opened.add(new BucketLog(store, logFences(catalog)));
            Maintenance versions = customOpener == null ? opened.add(new Maintenance(path, store, cache, settings.warmIndexBytes())) : null;
            EmbeddedStrata strata = new EmbeddedStrata(settings, store, kv, cache, null, catalog, null, uploaded,
                    versions == null ? customOpener : versions.opener(), versions);
            strata.startRefreshing(settings.readOnlyRefreshMs());
            LOG.info("opened {} read-only: following the writer of {}", path, store.describe());
            return strata;
        });
    }

    /** The parts of a node opened so far, closed in reverse order when a later one fails. */
    private static final class Opened {
        final List<AutoCloseable> parts = new ArrayList<>();

        <T extends AutoCloseable> T add(T part) {
            parts.add(part);
            return part;
        }
    }

    @FunctionalInterface
    private interface Assembly {
        EmbeddedStrata open(Opened opened) throws IOException;
    }

    /** Creates {path} and opens a node's parts; a failure closes what was opened and says what went wrong. */
    private static EmbeddedStrata assemble(Path path, Assembly assembly) {
        Opened opened = new Opened();
        try {
            Files.createDirectories(path);
            return assembly.open(opened);
        } catch (IOException e) {
            closeAll(opened.parts);
            throw new InternalException("Cannot open Strata in " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened.parts);
            throw Errors.translate(e);
        }
    }

    private static LocalKv openKv(Path path) {
        return NodeFolder.openKv(path, List.of(Catalog.KV_FAMILY, WriteAheadLog.KV_FAMILY));
    }

    /** The object store the settings name: {path}/objects, or the S3 bucket. */
    static ObjectStore openStore(Settings settings) {
        return ObjectStores.open(settings.storageOptions(), settings.path());
    }

    /** Memory tier always; a disk tier in {path}/cache only in front of a remote store. */
    private static BlockCacheOptions cacheOptions(Settings settings) {
        BlockCacheOptions memory = BlockCacheOptions.memoryOnly(settings.cacheMemoryBytes());
        return settings.storage() == Settings.Storage.S3 && settings.cacheDiskBytes() > 0
                ? memory.withDisk(settings.path().resolve("cache"), settings.cacheDiskBytes())
                : memory;
    }

    /** The catalog's log takeovers as the log counts them, read anew at each use (a read-only node refreshes it). */
    private static LogFences logFences(Catalog catalog) {
        return LogFences.of(log -> catalog.logTakeovers().getOrDefault(log, List.of()).stream()
                .map(t -> new LogFence(t.epoch(), t.fromSeq())).toList());
    }

    /** A node id that survives restarts, so a node that crashed can take its own lease back at once. */
    private static String nodeId(Path path) throws IOException {
        Path file = path.resolve(NODE_ID_FILE);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String id = "node-" + UUID.randomUUID();
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }

    public Settings settings() {
        return settings;
    }

    Validator validator() {
        return validator;
    }

    /** The catalog (for compaction and GC, which run beside the engine). */
    public Catalog catalog() {
        return catalog;
    }

    /** The write-ahead log (for compaction and tests). */
    public WriteAheadLog wal() {
        return wal;
    }

    public ObjectStore store() {
        return store;
    }

    public BlockCache cache() {
        return cache;
    }

    /** Registers the engine's meters (object store, block cache, log, open collections) with a registry. */
    public EmbeddedStrata bindMetrics(MeterRegistry registry) {
        EngineMetrics.bind(this, registry);
        queryStages = EngineMetrics.queryStages(registry);
        return this;
    }

    /** Where query stage times go: nowhere until metrics are bound. */
    QueryStages queryStages() {
        return queryStages;
    }

    /** True while this node holds the bucket's writer lease (false once it expired, was released or taken over). */
    public boolean holdsWriterLease() {
        return lease != null && lease.isValid();
    }

    /** True when this node was opened read-only: it follows a writer and refuses every write. */
    public boolean isReadOnly() {
        return lease == null;
    }

    /**
     * Refuses a write on a read-only node, and once this node no longer holds the writer lease: after a pause longer
     * than the lease's TTL another node may have taken the bucket over, and a write logged here would collide with
     * its log.
     */
    void checkWriter() {
        checkOpen();
        if (isReadOnly()) {
            throw new ReadOnlyException("This node is read-only (STRATA_READ_ONLY=true, strata serve --read-only): it"
                    + " serves reads and writes nothing; send writes to the node that holds the writer lease");
        }
        Errors.run(lease::checkValid);
    }

    /**
     * A read-only node follows the writer now: re-reads the catalog manifest if it changed, then brings every open
     * collection to the version the catalog names and to the log the writer uploaded since; collections the writer
     * deleted are closed. A no-op on the writer, which is always current. When one collection cannot catch up (its
     * files moved under it), the others still do and the first failure is thrown.
     */
    public void refresh() {
        checkOpen();
        if (!isReadOnly()) {
            return;
        }
        Errors.run(() -> {
            synchronized (refreshLock) {
                catalog.refresh();
                RuntimeException first = null;
                for (Map.Entry<UUID, CollectionRuntime> e : runtimes.entrySet()) {
                    try {
                        follow(e.getKey(), e.getValue());
                    } catch (RuntimeException failure) {
                        first = first == null ? failure : first;
                    }
                }
                if (first != null) {
                    throw first;
                }
            }
        });
    }

    private void follow(UUID id, CollectionRuntime runtime) {
        String logName = CollectionRuntime.logName(id);
        CollectionRecord record;
        try {
            record = catalog.getCollection(id);
        } catch (dev.strata.catalog.NotFoundException deleted) {
            runtimes.remove(id, runtime);
            runtime.close();
            uploadedLog.forget(logName);
            return;
        }
        uploadedLog.refresh(logName);
        runtime.follow(record);
    }

    private void startRefreshing(long intervalMs) {
        if (intervalMs <= 0) {
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("strata-read-only-refresh").factory());
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.warn("read-only node could not follow the writer (retrying in {} ms): {}", intervalMs,
                            e.getMessage());
                }
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs a read. On a read-only node, a read that finds a file of its version gone is refreshed and run once more:
     * the writer's GC does not see this node's pins, and once the writer superseded a version (and its TTL, keep
     * count and grace period passed) GC may delete files this node still reads; the newer version has its own.
     */
    <T> T read(Supplier<T> read) {
        try {
            return Errors.call(() -> withDeadline(read));
        } catch (StrataException e) {
            if (!isReadOnly() || closed || !Errors.causedBy(e, ObjectNotFoundException.class)) {
                throw e;
            }
            LOG.info("a read found an object of its version gone (deleted by the writer's GC): refreshing and retrying;"
                    + " {}", e.getMessage());
            refresh();
            return Errors.call(() -> withDeadline(read));
        }
    }

    /**
     * Runs a read under its deadline ({@code STRATA_QUERY_TIMEOUT_MS}) and the caller's {@link Cancellation}, if
     * any; the query layer checks both as it scans ({@link Deadline}).
     */
    <T> T withDeadline(Supplier<T> read) {
        Cancellation cancellation = Cancellation.current();
        return Deadline.after(settings.queryTimeoutMs(), cancellation == null ? null : cancellation::reason).call(read);
    }

    /**
     * The collections whose background compaction keeps failing, and why (empty on a node that does not compact):
     * also in /metrics, in {@code strata stats}, and logged once per cause.
     */
    public List<CompactionFailures.Failure> compactionFailures() {
        return maintenance == null ? List.of() : maintenance.failures().all();
    }

    /** Compactions running now. */
    long warmIndexBytes() {
        return maintenance == null ? 0 : maintenance.warm().bytes();
    }

    /** What the local key-value store (RocksDB) holds in memory. */
    KvMemory kvMemory() {
        return kv.memory();
    }

    long warmIndexInserted() {
        return maintenance == null ? 0 : maintenance.warm().vectorsInserted();
    }

    int compactionsRunning() {
        return maintenance == null ? 0 : maintenance.compactionsRunning();
    }

    /** What this node's compactions have done since it opened. */
    dev.strata.compaction.CompactionStats compactionStats() {
        return maintenance == null ? new dev.strata.compaction.CompactionStats(0, 0, 0) : maintenance.compactionStats();
    }

    /** What this node's garbage collection runs have done since it opened. */
    dev.strata.gc.GcStats gcStats() {
        return maintenance == null ? new dev.strata.gc.GcStats(0, 0, 0, 0) : maintenance.gcStats();
    }

    /** Failed compaction attempts since this node opened. */
    long failedCompactions() {
        return maintenance == null ? 0 : maintenance.failures().failedAttempts();
    }

    int openCollections() {
        return runtimes.size();
    }

    /** Records in the uncompacted tails of the open collections: what queries scan exactly, compaction's backlog. */
    long tailRecords() {
        long sum = 0;
        for (CollectionRuntime r : runtimes.values()) {
            sum += r.tailSize();
        }
        return sum;
    }

    /** Writes paced by a warm graph's lag since the node opened, and the time they waited (metrics, tests). */
    public IndexPacing.Stats pacingStats() {
        return pacingStats;
    }

    /** Records the collection's warm graph has yet to take in (0: none due, or it is current). */
    long indexLag(UUID collectionId) {
        return maintenance == null ? 0 : maintenance.warm().lag(collectionId);
    }

    /**
     * Writes wait for compaction once a tail reaches STRATA_MAX_TAIL_RECORDS, never below the compaction
     * threshold (which would stall writes that no compaction is due to relieve), and are paced by the warm graph's
     * lag ({@link IndexPacing}); neither on a node that does not compact itself.
     */
    private TailLimit tailLimit() {
        if (maintenance == null) {
            return TailLimit.NONE;
        }
        // Pacing below twice the compaction threshold would hold writes for a compaction that is not due.
        IndexPacing pacing = settings.maxIndexLagRecords() == 0 ? IndexPacing.NONE
                : new IndexPacing((int) Math.min(Integer.MAX_VALUE, Math.max(settings.maxIndexLagRecords(),
                        2L * settings.compactionThresholdRecords())), settings.indexLagWaitMs(),
                        this::indexLag, id -> maintenance.warm().expedite(id), pacingStats);
        int maxTail = settings.maxTailRecords() == 0 ? 0
                : Math.max(settings.maxTailRecords(), settings.compactionThresholdRecords());
        return new TailLimit(maxTail, settings.writeStallTimeoutMs(), maintenance::wakeCompaction,
                id -> maintenance.failures().of(id).orElse(null), pacing);
    }

    /**
     * Opens, on a thread of its own, the collections whose warm graph this node saved when it last stopped, most
     * recent first: their version is opened and their graph loading before a first query asks for them (a restarted
     * 10k node's first query spent 130-190 ms opening its version, then ~210 ms in the clustered index while the graph
     * loaded). They are the collections that were in use, as many as the graphs' budget held. A server calls it once
     * it has opened (as {@link #warmUpBlockReads}: opening a version reads blocks); the thread, not its caller, pays.
     */
    public void openCollectionsWithSavedGraphs() {
        List<UUID> saved = maintenance == null ? List.of() : maintenance.warm().savedCollections();
        if (saved.isEmpty()) {
            return;
        }
        Thread.ofPlatform().daemon().name("strata-open-ahead").start(() -> {
            for (UUID id : saved) {
                try {
                    runtime(id);
                } catch (RuntimeException e) {
                    // dropped since, or the node is closing: the first query that needs it reports its own error
                    LOG.debug("collection {} not opened ahead: {}", id, e.toString());
                }
            }
        });
    }

    /** The collections whose runtime is open now (tests). */
    java.util.Set<UUID> openRuntimes() {
        return java.util.Set.copyOf(runtimes.keySet());
    }

    /** The runtime of a collection, opened on first use. */
    public CollectionRuntime runtime(UUID collectionId) {
        checkOpen();
        return runtimes.computeIfAbsent(collectionId, cid -> Errors.call(() -> isReadOnly()
                ? CollectionRuntime.openFollower(catalog.getCollection(cid), uploadedLog, opener)
                : CollectionRuntime.open(catalog.getCollection(cid), wal, catalog, opener, tailLimit())));
    }

    /**
     * The hook for compaction: after it committed a new version of a collection in the catalog, the
     * collection's open runtime (if any) swaps to it; a runtime opened later opens it anyway.
     */
    public void publish(CollectionRecord committed) {
        CollectionRuntime r = runtimes.get(committed.id());
        if (r != null) {
            r.publish(committed);
        }
    }

    /**
     * What compaction's threshold looks at: the ids an open collection's tail holds, or for a
     * collection not open (or whose tail holds only no-op writes) the log records after its cursor.
     */
    long backlog(CollectionRecord record) {
        CollectionRuntime r = runtimes.get(record.id());
        long tail = r == null ? 0 : r.tailSize();
        return tail > 0 ? tail : Math.max(0, wal.lastSeq(CollectionRuntime.logName(record.id())) - record.logCursor());
    }

    /** Compacts a collection's log into a new version now; returns once it is published. */
    void compactNow(UUID collectionId) {
        checkWriter();
        if (maintenance == null) {
            throw new UnimplementedException("This Strata was opened with a custom version opener: it does not compact");
        }
        maintenance.compactNow(collectionId);
    }

    /**
     * Forks a collection: compacts it first, so that the version forked holds every write acknowledged before the
     * call, then gives the fork a manifest naming that version's objects (pinned meanwhile, so GC keeps them) and
     * commits it to the catalog. No block, root or index file is copied; GC counts them as the fork's too.
     */
    CollectionRecord fork(UUID sourceId, String newName) {
        checkWriter();
        Validator.validateCollectionName(newName);
        if (maintenance == null) {
            throw new UnimplementedException("This Strata was opened with a custom version opener: it cannot fork");
        }
        return Errors.call(() -> {
            CollectionRecord source = catalog.getCollection(sourceId);
            try {
                catalog.getCollection(source.tenant(), source.database(), newName);
                throw new dev.strata.catalog.AlreadyExistsException("collection '" + newName + "' already exists in database '"
                        + source.database() + "' of tenant '" + source.tenant() + "'");
            } catch (dev.strata.catalog.NotFoundException free) {
                // the name is free (checked again by the catalog's commit)
            }
            maintenance.compactNow(sourceId);
            CollectionRecord at = catalog.getCollection(sourceId);
            UUID id = UUID.randomUUID();
            if (at.version() == 0) {
                return catalog.forkCollection(sourceId, newName, id, null);
            }
            try (var pin = maintenance.pins().pin(sourceId, at.version())) {
                String key = maintenance.writeForkManifest(at.versionKey(), id);
                try {
                    return catalog.forkCollection(sourceId, newName, id, key);
                } catch (RuntimeException e) {
                    try {
                        store.delete(key);
                    } catch (RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
            }
        });
    }

    /**
     * Deletes everything in one catalog change, then closes the runtimes and deletes the logs of what it dropped;
     * GC deletes their objects as for any deleted collection. A write racing with it either landed before (and is
     * dropped with its collection) or finds its collection gone.
     */
    @Override
    public void reset() {
        checkWriter();
        Errors.run(() -> {
            for (CollectionRecord dropped : catalog.reset()) {
                dropRuntime(dropped.id());
            }
        });
    }

    /** Runs garbage collection now: deletes the files no kept or pinned version names. */
    public GcReport collectGarbage() {
        checkWriter();
        if (maintenance == null) {
            throw new UnimplementedException("This Strata was opened with a custom version opener: it does not collect garbage");
        }
        return Errors.call(maintenance::collectGarbage);
    }

    /** Closes a collection's runtime and deletes its log (the collection was deleted from the catalog). */
    void dropRuntime(UUID collectionId) {
        CollectionRuntime r = runtimes.remove(collectionId);
        if (r != null) {
            r.close();
        }
        if (maintenance != null) {
            maintenance.warm().forget(collectionId);
        }
        wal.deleteCollection(CollectionRuntime.logName(collectionId));
    }

    @Override
    public Tenant createTenant(String name) {
        checkWriter();
        Validator.validateTenantName(name);
        return Errors.call(() -> new Tenant(catalog.createTenant(name).name()));
    }

    @Override
    public Tenant getTenant(String name) {
        return Errors.call(() -> new Tenant(catalog.getTenant(name).name()));
    }

    @Override
    public Database createDatabase(String tenant, String name) {
        checkWriter();
        Validator.validateTenantName(tenant);
        Validator.validateDatabaseName(name);
        return Errors.call(() -> new EmbeddedDatabase(this, catalog.createDatabaseAndTenant(tenant, name)));
    }

    @Override
    public Database getDatabase(String tenant, String name) {
        return Errors.call(() -> new EmbeddedDatabase(this, catalog.getDatabase(tenant, name)));
    }

    @Override
    public List<Database> listDatabases(String tenant, Integer limit, int offset) {
        return Errors.call(() -> catalog.listDatabases(tenant, limit == null ? Integer.MAX_VALUE : limit, offset)
                .stream().map(d -> (Database) new EmbeddedDatabase(this, d)).toList());
    }

    @Override
    public void deleteDatabase(String tenant, String name) {
        checkWriter();
        Errors.run(() -> {
            for (CollectionRecord dropped : catalog.deleteDatabase(tenant, name)) {
                dropRuntime(dropped.id());
            }
        });
    }

    @Override
    public Database database(String tenant, String name) {
        return getDatabase(tenant, name);
    }

    private void checkOpen() {
        if (closed) {
            throw new InternalException("this Strata client is closed", null);
        }
    }

    /** The catalog's current record of a collection; NotFoundException once it is deleted. */
    CollectionRecord record(UUID id) {
        checkOpen();
        return Errors.call(() -> catalog.getCollection(id));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (maintenance != null) {
            maintenance.stopCompaction();
        }
        synchronized (refreshLock) { // a refresh in progress finishes before the runtimes close
            runtimes.values().forEach(CollectionRuntime::close);
            runtimes.clear();
        }
        List<AutoCloseable> all = new ArrayList<>(List.of(store, kv, cache, catalog));
        for (AutoCloseable part : new AutoCloseable[] {lease, wal, uploadedLog, maintenance}) {
            if (part != null) {
                all.add(part);
            }
        }
        closeAll(all);
    }

    /** Closes in reverse order of opening, continuing past failures. */
    private static void closeAll(List<? extends AutoCloseable> opened) {
        RuntimeException first = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = new InternalException("Error while closing Strata: " + e.getMessage(), e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
