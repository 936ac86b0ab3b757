package dev.strata.engine;

import dev.strata.api.Settings;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CollectionRecord;
import dev.strata.compaction.CompactionFailures;
import dev.strata.compaction.CompactionPolicy;
import dev.strata.compaction.CompactionResult;
import dev.strata.compaction.CompactionScheduler;
import dev.strata.compaction.CompactionStats;
import dev.strata.compaction.Compactor;
import dev.strata.gc.GarbageCollector;
import dev.strata.gc.GcOptions;
import dev.strata.gc.GcReport;
import dev.strata.gc.GcScheduler;
import dev.strata.gc.GcStats;
import dev.strata.query.EmptyVersion;
import dev.strata.segment.CompactedVersions;
import dev.strata.segment.VectorIndexes;
import dev.strata.segment.VersionManifest;
import dev.strata.segment.VersionPins;
import dev.strata.segment.WarmIndexes;
import dev.strata.storage.BlockCache;
import dev.strata.storage.ObjectStore;
import dev.strata.wal.WriteAheadLog;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.ToLongFunction;

/**
 * The node's composition root for the layers below the engine: the segment layer's versions and the background
 * maintenance of one node. It lives in the engine because the embedded client is the node (DESIGN.md: the API
 * layer, which the engine implements, sits above compaction and GC, and {@code Strata.open} must start them
 * with no server or CLI around it). Opens compacted versions
 * for the engine (pinned while read, so GC keeps their files), and once started (on the writer only)
 * turns collections' logs into new versions past the settings' thresholds (telling the engine through
 * {@link EmbeddedStrata#publish}), and collects the files no kept or pinned version names.
 */
final class Maintenance implements AutoCloseable {

    private static final long POLL_INTERVAL_MS = 1_000;

    private final VersionPins pins = new VersionPins();
    private final VectorIndexes indexes;
    private final WarmIndexes warm;
    private final CompactedVersions versions;
    private final CompactionFailures failures;
    private CompactionScheduler scheduler;
    private GcScheduler gc;
    private Compactor compactor;

    Maintenance(Path path, ObjectStore store, BlockCache cache, long warmIndexBytes) {
        this.failures = new CompactionFailures(store);
        this.indexes = new VectorIndexes(store, path.resolve("cache").resolve("hnsw"));
        this.warm = new WarmIndexes(warmIndexBytes, WarmIndexes.FIRST_BUILD_DELAY_MS, path.resolve("cache").resolve("warm"),
                WarmIndexes.MIN_VECTORS);
        this.versions = new CompactedVersions(cache, indexes, pins, warm);
    }

    /** The node's in-memory graphs over its collections' clustered indexes. */
    WarmIndexes warm() {
        return warm;
    }

    /** Opens the version a catalog record names: version 0 is empty, others come from their manifest. */
    VersionOpener opener() {
        return record -> record.version() == 0 ? EmptyVersion.INSTANCE : versions.open(record.versionKey());
    }

    /** Reads the current manifests of these collections ahead of their first query (see CompactedVersions#readAhead). */
    void readAhead(java.util.Collection<CollectionRecord> collections) {
        versions.readAhead(collections.stream().filter(c -> c.version() > 0).map(CollectionRecord::versionKey).toList());
    }

    VersionPins pins() {
        return pins;
    }

    /** Starts background compaction; committed versions go to the engine, backlog measured by it. */
    void start(EmbeddedStrata strata, Catalog catalog, WriteAheadLog wal, Settings settings,
               ToLongFunction<CollectionRecord> backlog) {
        compactor = new Compactor(catalog, wal, versions);
        compactor.addListener((committed, manifest) -> strata.publish(committed));
        CompactionPolicy policy = new CompactionPolicy(settings.compactionThresholdRecords(),
                settings.compactionIntervalMs(), Math.min(POLL_INTERVAL_MS, settings.compactionIntervalMs()));
        scheduler = new CompactionScheduler(compactor, catalog, policy, backlog, failures).start();
        GcOptions gcOptions = GcOptions.defaults().withKeepVersions(settings.gcKeepVersions())
                .withVersionTtlMs(settings.gcTtlMs()).withVersionSpacingMs(settings.gcVersionSpacingMs())
                .withGraceMs(settings.gcGraceMs())
                .withIntervalMs(settings.gcIntervalMs());
        gc = GcScheduler.start(new GarbageCollector(catalog, versions.cache(), pins, wal, gcOptions));
    }

    /** The collections whose compaction keeps failing (empty on a node that does not compact). */
    CompactionFailures failures() {
        return failures;
    }

    /** What this node's compactions have done (nothing on a node that does not compact). */
    CompactionStats compactionStats() {
        return compactor == null ? new CompactionStats(0, 0, 0) : compactor.stats();
    }

    /** What this node's garbage collection runs have done. */
    GcStats gcStats() {
        return gc == null ? new GcStats(0, 0, 0, 0) : gc.stats();
    }

    /** Compactions running now. */
    int compactionsRunning() {
        return scheduler == null ? 0 : scheduler.running();
    }

    /** Runs garbage collection now, on the caller's thread. */
    GcReport collectGarbage() {
        return gc.runOnce();
    }

    /** Asks the compaction thread for a pass now. */
    void wakeCompaction() {
        if (scheduler != null) {
            scheduler.wake();
        }
    }

    /** Compacts a collection now, on the caller's thread. */
    CompactionResult compactNow(UUID collection) {
        return scheduler.compactNow(collection);
    }

    /**
     * Writes the first version manifest of a fork: the version at {@code sourceKey} (pinned by the caller) owned
     * by {@code fork}, naming the same objects. Returns its key. Written before the catalog names it, so a crash
     * in between leaves only this one small object.
     */
    String writeForkManifest(String sourceKey, UUID fork) {
        ObjectStore store = versions.cache().store();
        VersionManifest forked = VersionManifest.decode(sourceKey, store.get(sourceKey))
                .forkedAs(fork, System.currentTimeMillis());
        store.putIfAbsent(forked.objectKey(), forked.encode());
        return forked.objectKey();
    }

    /** Stops background compaction and GC after the runs in progress, if any. */
    void stopCompaction() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (gc != null) {
            gc.close();
        }
    }

    /** Releases the loaded vector indexes; the engine's versions must be closed first. */
    @Override
    public void close() {
        stopCompaction();
        warm.close();
        indexes.close();
    }
}
