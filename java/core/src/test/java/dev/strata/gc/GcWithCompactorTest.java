package dev.strata.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.catalog.CollectionRecord;
import dev.strata.compaction.Compactor;
import dev.strata.segment.CompactedVersion;
import dev.strata.segment.CompactedVersions;
import dev.strata.segment.LogBatch;
import dev.strata.segment.LogBatchCodec;
import dev.strata.segment.LogOperation;
import dev.strata.segment.Record;
import dev.strata.segment.VectorIndexes;
import dev.strata.segment.VersionView;
import dev.strata.wal.WalOptions;
import dev.strata.wal.WriteAheadLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GC in a loop against the real write path: log appends, the segment layer's Compactor (blocks, roots, HNSW index
 * files, manifest, catalog swing, log truncation) and readers that open the current version (which pins it) and
 * read every record and search the index, some of them holding the version past the grace period. No read may
 * fail, and GC must delete meanwhile.
 */
class GcWithCompactorTest {

    /** Shorter than a compaction on a loaded machine: files of a compaction in flight must survive anyway. */
    private static final long GRACE_MS = 500;
    private static final long RUN_MS = 3_500;
    private static final int DIMENSION = 8;

    @TempDir
    Path dir;

    @Test
    void queriesNeverMissAnObjectWhileCompactionsAndGcRun() throws Exception {
        try (GcFixture node = new GcFixture(dir);
             WriteAheadLog wal = WriteAheadLog.open(dir.resolve("wal"), node.kv, node.store,
                     WalOptions.defaults().withSegmentAgeMs(100).withUploadIntervalMs(50));
             VectorIndexes indexes = new VectorIndexes(node.store, dir.resolve("hnsw"))) {
            UUID id = node.newCollection("busy").id;
            CompactedVersions versions = new CompactedVersions(node.cache, indexes, node.pins);
            Compactor compactor = new Compactor(node.catalog, wal, versions);
            GarbageCollector gc = new GarbageCollector(node.catalog, node.cache, node.pins, wal,
                    new GcOptions(1, 0, GRACE_MS, 1_000), Clock.systemUTC());
            write(wal, id, 0);
            compactor.compact(id);

            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            AtomicLong deleted = new AtomicLong();
            AtomicLong slowestCompactionMs = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            threads.add(Thread.ofPlatform().name("compactor").start(() -> guard(failures, () -> {
                for (int round = 1; !stop.get(); round++) {
                    write(wal, id, round);
                    long t0 = System.nanoTime();
                    compactor.compact(id);
                    slowestCompactionMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                }
            })));
            for (int r = 0; r < 3; r++) {
                long holdMs = r == 0 ? GRACE_MS + 300 : 0; // a slow query holds its version past the grace period
                threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> guard(failures, () -> {
                    while (!stop.get()) {
                        query(node, versions, id, holdMs);
                        reads.incrementAndGet();
                    }
                })));
            }
            threads.add(Thread.ofPlatform().name("gc").start(() -> guard(failures, () -> {
                while (!stop.get()) {
                    GcReport report = gc.runOnce();
                    report.failures().forEach(f -> failures.add("gc: " + f.error()));
                    deleted.addAndGet(report.objectsDeleted());
                }
            })));
            Thread.sleep(RUN_MS);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).as("slowest compaction %d ms", slowestCompactionMs.get()).isEmpty();
            assertThat(reads.get()).isPositive();
            assertThat(deleted.get()).as("GC deleted superseded objects meanwhile").isPositive();
        }
    }

    /** Upserts ten of fifty ids per round, so each compaction rewrites part of the blocks and shares the rest. */
    private static void write(WriteAheadLog wal, UUID id, int round) {
        List<String> ids = new ArrayList<>();
        float[][] embeddings = new float[10][];
        List<Map<String, Object>> metadatas = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = (round * 10 + i) % 50;
            ids.add("id-" + n);
            embeddings[i] = new float[DIMENSION];
            embeddings[i][n % DIMENSION] = 1 + round;
            metadatas.add(Map.of("round", (long) round));
            documents.add("document " + n + " of round " + round);
        }
        LogBatch batch = new LogBatch(LogOperation.UPSERT, ids, embeddings, documents, metadatas, null);
        wal.append(Compactor.logName(id), LogBatchCodec.encode(batch));
    }

    /** What a query does: open (and so pin) the current version, read every record, search the index. */
    private static void query(GcFixture node, CompactedVersions versions, UUID id, long holdMs)
            throws InterruptedException {
        CollectionRecord current = node.catalog.getCollection(id);
        try (CompactedVersion v = versions.open(current.versionKey())) {
            Thread.sleep(holdMs);
            List<Record> records = v.read(v.liveOffsets().toArray(), VersionView.Fields.ALL);
            assertThat(records).hasSize(v.count());
            assertThat(v.nearest(new float[DIMENSION], 5, v.liveOffsets())).isNotEmpty();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void guard(ConcurrentLinkedQueue<String> failures, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            failures.add(Thread.currentThread().getName() + ": " + e);
        }
    }
}
