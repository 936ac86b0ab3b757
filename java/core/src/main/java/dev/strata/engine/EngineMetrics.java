package dev.strata.engine;

import dev.strata.query.QueryStages;
import dev.strata.storage.BlockCacheStats;
import dev.strata.storage.RequestStats;
import dev.strata.wal.WalStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The engine's meters, read from the layers' own counters when scraped (nothing is counted twice):
 * object-store requests and bytes per operation, block cache hits and misses per tier, the
 * write-ahead log's appends, fsyncs, uploads and bytes not yet in the object store, open collections, and the
 * process's resident memory by part ({@link MemoryGauges}).
 * In Prometheus: strata_object_store_requests_total{op="get"}, strata_cache_hits_total{tier="memory"}, ...
 */
final class EngineMetrics {

    private EngineMetrics() {}

    static void bind(EmbeddedStrata strata, MeterRegistry registry) {
        for (RequestStats.Op op : RequestStats.Op.values()) {
            String tag = op.name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder("strata.object.store.requests", strata, s -> s.store().stats().requests(op))
                    .tag("op", tag).description("object store requests").register(registry);
            FunctionCounter.builder("strata.object.store.bytes", strata, s -> s.store().stats().bytes(op))
                    .tag("op", tag).baseUnit("bytes").description("object store bytes transferred").register(registry);
        }
        cacheCounter(registry, strata, "strata.cache.hits", "memory", BlockCacheStats::memoryHits);
        cacheCounter(registry, strata, "strata.cache.misses", "memory", BlockCacheStats::memoryMisses);
        cacheCounter(registry, strata, "strata.cache.hits", "disk", BlockCacheStats::diskHits);
        cacheCounter(registry, strata, "strata.cache.misses", "disk", BlockCacheStats::diskMisses);
        Gauge.builder("strata.cache.bytes", strata, s -> s.cache().stats().memoryBytes()).tag("tier", "memory")
                .baseUnit("bytes").register(registry);
        Gauge.builder("strata.cache.bytes", strata, s -> s.cache().stats().diskBytes()).tag("tier", "disk")
                .baseUnit("bytes").register(registry);
        Gauge.builder("strata.collections.open", strata, s -> s.openCollections())
                .description("collections with a runtime (log tail) in memory").register(registry);
        Gauge.builder("strata.tail.records", strata, s -> s.tailRecords())
                .description("records in the uncompacted log tails of open collections (scanned exactly by queries)")
                .register(registry);
        Gauge.builder("strata.compaction.failing.collections", strata, s -> s.compactionFailures().size())
                .description("collections whose compaction keeps failing (strata stats and the log say why)")
                .register(registry);
        Gauge.builder("strata.compaction.running", strata, s -> s.compactionsRunning())
                .description("compactions running now").register(registry);
        FunctionCounter.builder("strata.compaction.failures", strata, s -> s.failedCompactions())
                .description("failed compaction attempts").register(registry);
        FunctionCounter.builder("strata.compaction.runs", strata, s -> s.compactionStats().runs())
                .description("compactions that committed versions or failed").register(registry);
        FunctionCounter.builder("strata.compaction.changes", strata, s -> s.compactionStats().changes())
                .description("record changes (adds, updates, deletes) compactions folded into versions").register(registry);
        FunctionCounter.builder("strata.compaction.time", strata, s -> s.compactionStats().seconds())
                .description("time compactions took").baseUnit("seconds").register(registry);
        FunctionCounter.builder("strata.gc.runs", strata, s -> s.gcStats().runs())
                .description("garbage collection runs").register(registry);
        FunctionCounter.builder("strata.gc.time", strata, s -> s.gcStats().seconds())
                .description("time garbage collection runs took").baseUnit("seconds").register(registry);
        FunctionCounter.builder("strata.gc.deleted.objects", strata, s -> s.gcStats().objectsDeleted())
                .description("objects garbage collection deleted").register(registry);
        FunctionCounter.builder("strata.gc.deleted.bytes", strata, s -> s.gcStats().bytesDeleted())
                .description("bytes of the objects garbage collection deleted").baseUnit("bytes").register(registry);
        Gauge.builder("strata.warm.index.bytes", strata, s -> s.warmIndexBytes())
                .description("estimated memory of the in-memory HNSW graphs beside the clustered indexes")
                .baseUnit("bytes").register(registry);
        FunctionCounter.builder("strata.warm.index.inserted", strata, s -> s.warmIndexInserted())
                .description("vectors inserted into warm graphs (builds and incremental updates)").register(registry);
        FunctionCounter.builder("strata.writes.paced", strata, s -> s.pacingStats().writes())
                .description("writes that waited for a warm graph to catch up (STRATA_MAX_INDEX_LAG_RECORDS)")
                .register(registry);
        FunctionCounter.builder("strata.write.pacing.time", strata, s -> s.pacingStats().seconds())
                .description("time writes waited for warm graphs to catch up").baseUnit("seconds").register(registry);
        MemoryGauges.bind(strata, registry);
        if (strata.wal() == null) {
            return; // a read-only node has no log of its own
        }
        walCounter(registry, strata, "strata.wal.appends", WalStats::appends);
        walCounter(registry, strata, "strata.wal.fsyncs", WalStats::fsyncs);
        walCounter(registry, strata, "strata.wal.uploads", WalStats::uploads);
        Gauge.builder("strata.wal.unsynced.bytes", strata, s -> s.wal().stats().unsyncedBytes())
                .description("log bytes not yet in the object store").baseUnit("bytes").register(registry);
        Gauge.builder("strata.wal.local.bytes", strata, s -> s.wal().stats().localBytes())
                .description("log bytes in local segment files").baseUnit("bytes").register(registry);
    }

    /** Name of the timer of a query's stages; the server adds its own stages (parse, convert, write) under it. */
    static final String QUERY_STAGE = "strata.query.stage";

    /** The engine's query stages as timers tagged {@code stage} (p50 and p99 published). */
    static QueryStages queryStages(MeterRegistry registry) {
        java.util.EnumMap<QueryStages.Stage, Timer> timers = new java.util.EnumMap<>(QueryStages.Stage.class);
        for (QueryStages.Stage stage : QueryStages.Stage.values()) {
            timers.put(stage, queryStageTimer(registry, stage.label()));
        }
        return (stage, nanos) -> timers.get(stage).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static Timer queryStageTimer(MeterRegistry registry, String stage) {
        return Timer.builder(QUERY_STAGE).description("time of one stage of a k-NN query")
                .tag("stage", stage).publishPercentiles(0.5, 0.99).register(registry);
    }

    private static void cacheCounter(MeterRegistry registry, EmbeddedStrata strata, String name, String tier,
            ToDoubleFunction<BlockCacheStats> field) {
        FunctionCounter.builder(name, strata, s -> field.applyAsDouble(s.cache().stats())).tag("tier", tier)
                .register(registry);
    }

    private static void walCounter(MeterRegistry registry, EmbeddedStrata strata, String name,
            ToDoubleFunction<WalStats> field) {
        FunctionCounter.builder(name, strata, s -> field.applyAsDouble(s.wal().stats())).register(registry);
    }
}
