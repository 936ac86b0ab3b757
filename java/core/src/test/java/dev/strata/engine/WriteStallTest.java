package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Cancellation;
import dev.strata.api.Collection;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.WriteStalledException;
import dev.strata.ops.StatsCollector;
import dev.strata.storage.ForwardingObjectStore;
import dev.strata.storage.RequestStats;
import dev.strata.testing.FaultyStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes wait for compaction once a collection's tail reaches STRATA_MAX_TAIL_RECORDS. */
class WriteStallTest {

    @TempDir
    Path dir;

    static RecordSet records(int from, int to) {
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("r" + i);
            embeddings.add(new float[] {i, 1, 0});
        }
        return RecordSet.builder().ids(ids).embeddings(embeddings).build();
    }

    private Settings bounded(int maxTail, long timeoutMs) {
        // The threshold as high as the limit and no age trigger: only the stall's wake-up starts a compaction.
        return Settings.defaults(dir).withAll(Map.of("STRATA_MAX_TAIL_RECORDS", String.valueOf(maxTail),
                "STRATA_COMPACTION_THRESHOLD_RECORDS", String.valueOf(maxTail),
                "STRATA_COMPACTION_INTERVAL_MS", "3600000",
                "STRATA_WRITE_STALL_TIMEOUT_MS", String.valueOf(timeoutMs)));
    }

    @Test
    void theTailNeverGrowsPastTheLimitByMoreThanOneBatchAndEveryWriteLands() {
        try (EmbeddedStrata strata = EmbeddedStrata.open(bounded(40, 60_000))) {
            Collection c = strata.database().createCollection("stalled", null, null);
            int maxSeen = 0;
            for (int b = 0; b < 30; b++) {
                c.add(records(b * 10, b * 10 + 10));
                maxSeen = Math.max(maxSeen, strata.runtime(c.id()).tailSize());
            }
            assertThat(maxSeen).as("largest tail seen after a write").isLessThanOrEqualTo(40 + 10);
            assertThat(strata.catalog().getCollection(c.id()).version()).as("compactions made room").isPositive();
            assertThat(c.count()).isEqualTo(300);
        }
    }

    @Test
    void aWriteThatWaitsTooLongFailsWithNothingLoggedAndWritesResumeOnceCompactionCan() {
        FaultyStore[] faulty = new FaultyStore[1];
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(bounded(20, 300),
                store -> faulty[0] = new FaultyStore(store))) {
            Collection c = strata.database().createCollection("blocked", null, null);
            // Compaction cannot write its files: the tail cannot shrink.
            faulty[0].failKeys(key -> key.startsWith("c/") && !key.contains("/log/"));
            c.add(records(0, 20));
            long logged = strata.wal().lastSeq(CollectionRuntime.logName(c.id()));
            assertThatThrownBy(() -> c.add(records(20, 25)))
                    .isInstanceOf(WriteStalledException.class)
                    .hasMessageContaining("STRATA_MAX_TAIL_RECORDS")
                    .satisfies(e -> assertThat(((WriteStalledException) e).retryable()).isTrue());
            assertThat(strata.wal().lastSeq(CollectionRuntime.logName(c.id()))).as("nothing logged").isEqualTo(logged);
            assertThat(c.count()).isEqualTo(20);

            faulty[0].heal();
            // The write is retryable: as a client would, retry it while compaction (its failure backoff, then the
            // fold) makes room, which on a loaded machine can take longer than one 300 ms stall.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    c.add(records(20, 25));
                    break;
                } catch (WriteStalledException e) {
                    assertThat(System.nanoTime()).as("writes resume once compaction can").isLessThan(deadline);
                }
            }
            assertThat(c.count()).isEqualTo(25);
            assertThat(strata.catalog().getCollection(c.id()).version()).isPositive();
        }
    }

    @Test
    void aCollectionWhoseCompactionKeepsFailingIsVisibleAndItsWritesFailAtOnceNamingTheCause() {
        FaultyStore[] faulty = new FaultyStore[1];
        // A minute of write-stall timeout: the write below must fail long before it, because compaction is failing.
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(bounded(20, 60_000),
                store -> faulty[0] = new FaultyStore(store))) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            strata.bindMetrics(meters);
            Collection c = strata.database().createCollection("stuck", null, null);
            faulty[0].failKeys(key -> key.startsWith("c/") && !key.contains("/log/"));
            c.add(records(0, 20));
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.add(records(20, 25)))
                    .isInstanceOf(WriteStalledException.class)
                    .hasMessageContaining("compaction has failed")
                    .hasMessageContaining("injected failure");
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms before the write failed").isLessThan(15_000);
            assertThat(c.count()).isEqualTo(20);

            assertThat(strata.compactionFailures()).singleElement().satisfies(f -> {
                assertThat(f.collection()).isEqualTo(c.id());
                assertThat(f.cause()).contains("injected failure");
                assertThat(f.attempts()).isPositive();
            });
            assertThat(meters.get("strata.compaction.failing.collections").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("strata.compaction.failures").functionCounter().count()).isPositive();
            // What strata stats reads from the bucket.
            faulty[0].heal();
            assertThat(new StatsCollector(strata.store()).collect().collections()).singleElement()
                    .satisfies(s -> assertThat(s.compactionFailure()).contains("injected failure"));

            c.compact();
            assertThat(strata.compactionFailures()).isEmpty();
            assertThat(meters.get("strata.compaction.failing.collections").gauge().value()).isZero();
            assertThat(new StatsCollector(strata.store()).collect().collections()).singleElement()
                    .satisfies(s -> assertThat(s.compactionFailure()).isNull());
            c.add(records(20, 25));
            assertThat(c.count()).isEqualTo(25);
        }
    }

    /**
     * An Error in one collection's compaction (out of memory: the probe's million-record write took a 1 GiB heap past
     * its end) is that collection's failure: the compaction thread goes on and other collections compact.
     */
    @Test
    void aCompactionThatRunsOutOfMemoryFailsItsCollectionAndTheOthersGoOnCompacting() throws Exception {
        FaultyStore[] faulty = new FaultyStore[1];
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(bounded(20, 60_000),
                store -> faulty[0] = new FaultyStore(store))) {
            Collection sick = strata.database().createCollection("sick", null, null);
            Collection well = strata.database().createCollection("well", null, null);
            String sickFolder = "c/" + sick.id() + "/";
            // The version manifest is written on the compaction thread itself (block writes run on a pool of their own).
            String manifests = dev.strata.storage.ObjectLayout.versionManifest(sick.id(), 1);
            faulty[0].runOutOfMemoryOnKeys(key -> key.startsWith(manifests.substring(0, manifests.lastIndexOf('/') + 1)));
            sick.add(records(0, 20));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (strata.compactionFailures().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(strata.compactionFailures()).singleElement()
                    .satisfies(f -> assertThat(f.cause()).contains("OutOfMemoryError"));
            // The background thread survived: the other collection's backlog is compacted without being asked.
            well.add(records(0, 20));
            while (strata.catalog().getCollection(well.id()).version() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(strata.catalog().getCollection(well.id()).version()).as("the other collection compacted").isPositive();
            faulty[0].heal();
            sick.compact();
            assertThat(strata.compactionFailures()).isEmpty();
            assertThat(sick.count()).isEqualTo(20);
        }
    }

    /**
     * A write waiting for room stops waiting when its caller's Cancellation fires (the server cancels on stop), with
     * 429 naming why and nothing logged, instead of being cut off when the node closes. Compaction is held up (its
     * file writes wait), so room never comes meanwhile.
     */
    @Test
    void aWriteWaitingForRoomIsRefusedAtOnceWhenItsCallerCancels() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(bounded(20, 60_000), store -> new ForwardingObjectStore(store) {
                @Override
                protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
                    if ((op == RequestStats.Op.PUT || op == RequestStats.Op.PUT_CONDITIONAL) && key.startsWith("c/")
                            && !key.contains("/log/")) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return call.get();
                }

                @Override
                public String describe() {
                    return "held:" + store.describe();
                }
            })) {
            try {
                Collection c = strata.database().createCollection("held", null, null);
                c.add(records(0, 20));
                long logged = strata.wal().lastSeq(CollectionRuntime.logName(c.id()));
                Cancellation stopping = new Cancellation();
                Future<?> write = writer.submit(() -> stopping.run(() -> {
                    c.add(records(20, 25));
                    return null;
                }));
                Thread.sleep(300);
                assertThat(write.isDone()).as("the write waits for room").isFalse();

                long cancelledAt = System.nanoTime();
                stopping.cancel("the node is stopping");
                assertThatThrownBy(() -> write.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(WriteStalledException.class)
                        .hasMessageContaining("the node is stopping").hasMessageContaining("nothing was written");
                assertThat((System.nanoTime() - cancelledAt) / 1_000_000).as("ms until the write was refused")
                        .isLessThan(1_000);
                assertThat(strata.wal().lastSeq(CollectionRuntime.logName(c.id()))).as("nothing logged").isEqualTo(logged);
            } finally {
                release.countDown();
            }
        } finally {
            writer.shutdownNow();
        }
    }
}
