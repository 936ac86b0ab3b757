package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nativeio.Space;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** The warm graphs built beside the clustered index: what they answer, what a new version costs them, their budget. */
class WarmIndexesTest {

    private static final int DIM = 16;
    private static final int K = 10;
    private static final long BUDGET = 64L << 20;

    @TempDir
    Path dir;

    private final Random random = new Random(7);

    @Test
    void aBuiltGraphAnswersItsVersionWithTheExactNeighboursDistances() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, BUDGET)) {
            CompactedVersion v = f.apply(adds(0, 3000));
            assertThat(f.warm.awaitIdle(60_000)).isTrue();
            assertThat(f.warm.holds(f.collection, v.version())).isTrue();
            assertThat(f.warm.bytes()).isEqualTo(3000 * WarmIndex.bytesPerVector(new VectorParams(Space.L2, DIM, 16, 100, 100)));
            double hits = 0;
            for (int q = 0; q < 30; q++) {
                float[] query = vector();
                List<VersionView.Neighbor> graph = f.warm.nearest(f.collection, v.version(), query, K, null, v.liveOffsets());
                assertThat(graph).hasSize(K);
                Set<String> exact = exactIds(f, query, null, v);
                for (VersionView.Neighbor n : graph) {
                    String id = idOf(v, n.offset());
                    hits += exact.contains(id) ? 1 : 0;
                    assertThat(n.distance()).isCloseTo(l2(query, f.expected.get(id).embedding()), org.assertj.core.data.Offset.offset(1e-3f));
                }
                // The version answers from the graph now: the same neighbours.
                assertThat(v.nearest(query, K, null)).isEqualTo(graph);
            }
            assertThat(hits / (30.0 * K)).isGreaterThanOrEqualTo(0.95);
            // Not the version it holds: no answer, the caller uses the clustered index.
            assertThat(f.warm.nearest(f.collection, v.version() + 1, vector(), K, null, v.liveOffsets())).isNull();
        }
    }

    @Test
    void aNewVersionCostsTheGraphOnlyWhatChangedAndDeletedRecordsLeaveIt() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, BUDGET)) {
            f.apply(adds(0, 3000));
            assertThat(f.warm.awaitIdle(60_000)).isTrue();
            int next = 3000;
            for (int round = 0; round < 4; round++) {
                long before = f.warm.vectorsInserted();
                List<String> live = new ArrayList<>(f.expected.keySet());
                java.util.Collections.shuffle(live, random);
                List<String> replaced = live.subList(0, 100);
                List<String> deleted = live.subList(100, 200);
                float[][] moved = new float[replaced.size()][];
                for (int i = 0; i < moved.length; i++) {
                    moved[i] = vector();
                }
                CompactedVersion v = f.apply(adds(next, next + 250),
                        new LogBatch(LogOperation.UPDATE, List.copyOf(replaced), moved, null, null, null),
                        LogBatch.delete(List.copyOf(deleted)));
                next += 250;
                assertThat(f.warm.awaitIdle(60_000)).isTrue();
                assertThat(f.warm.holds(f.collection, v.version())).isTrue();
                // 250 adds and 100 moved vectors, whatever segments the compaction merged.
                assertThat(f.warm.vectorsInserted() - before).as("round %d", round).isEqualTo(350);
                Set<String> gone = new HashSet<>(deleted);
                for (int i = 0; i < replaced.size(); i += 10) {
                    List<VersionView.Neighbor> found = v.nearest(moved[i], 1, null);
                    assertThat(idOf(v, found.getFirst().offset())).isEqualTo(replaced.get(i));
                    assertThat(found.getFirst().distance()).isLessThan(1e-4f);
                }
                for (int q = 0; q < 20; q++) {
                    for (VersionView.Neighbor n : v.nearest(vector(), 50, null)) {
                        assertThat(gone).doesNotContain(idOf(v, n.offset()));
                    }
                }
            }
        }
    }

    /**
     * Queries answered by the clustered index cache its posting blocks; once the graph holds the version they leave
     * the memory tier (the graph holds every vector), and the version still answers from the graph.
     */
    @Test
    void postingBlocksLeaveTheMemoryTierOnceTheGraphHoldsTheirVersion() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, 0)) {
            CompactedVersion v = f.apply(adds(0, 3000));
            List<String> postings = new ArrayList<>();
            for (var segment : v.clusteredIndex().segments()) {
                List<String> keys = dev.strata.blockfile.BlockfileReader.objectKeysOf(f.cache, segment.files().postingsRoot());
                postings.addAll(keys.subList(1, keys.size())); // the root first, then its blocks
            }
            assertThat(postings).isNotEmpty();
            for (int q = 0; q < 20; q++) {
                v.nearest(vector(), K, null);
            }
            long cachedBefore = postings.stream().filter(f.cache::isCached).count();
            assertThat(cachedBefore).as("the clustered index's queries cached posting blocks").isPositive();
            try (WarmIndexes warm = new WarmIndexes(BUDGET, 0)) {
                warm.offer(f.collection, v.version(), VectorParams.fromMap(v.manifest().vector()), v.clusteredIndex(),
                        v.liveOffsets());
                assertThat(warm.awaitIdle(60_000)).isTrue();
                assertThat(warm.holds(f.collection, v.version())).isTrue();
                assertThat(postings).as("no posting block left in the memory tier").noneMatch(f.cache::isCached);
                float[] query = f.expected.get("r123").embedding();
                List<VersionView.Neighbor> found = warm.nearest(f.collection, v.version(), query, K, null, v.liveOffsets());
                assertThat(idOf(v, found.getFirst().offset())).isEqualTo("r123");
            }
        }
    }

    @Test
    void anAllowListIsHonouredByTheGraph() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.COSINE, 1 << 16, BUDGET)) {
            CompactedVersion v = f.apply(adds(0, 3000));
            assertThat(f.warm.awaitIdle(60_000)).isTrue();
            RoaringBitmap half = new RoaringBitmap();
            v.liveOffsets().forEach((int o) -> {
                if (o % 2 == 0) {
                    half.add(o);
                }
            });
            RoaringBitmap allButThree = v.liveOffsets().clone();
            allButThree.remove(half.first());
            allButThree.remove(half.last());
            allButThree.remove(1);
            for (RoaringBitmap allowed : List.of(half, allButThree)) {
                for (int q = 0; q < 10; q++) {
                    List<VersionView.Neighbor> graph = f.warm.nearest(f.collection, v.version(), vector(), K, allowed, v.liveOffsets());
                    assertThat(graph).hasSize(K).allMatch(n -> allowed.contains(n.offset()));
                }
            }
        }
    }

    @Test
    void aCollectionLargerThanTheBudgetIsServedByTheClusteredIndexAlone() throws Exception {
        long tooSmall = 1000 * WarmIndex.bytesPerVector(new VectorParams(Space.L2, DIM, 16, 100, 100));
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, tooSmall)) {
            CompactedVersion v = f.apply(adds(0, 3000));
            assertThat(f.warm.awaitIdle(60_000)).isTrue();
            assertThat(f.warm.holds(f.collection, v.version())).isFalse();
            assertThat(f.warm.bytes()).isZero();
            float[] query = vector();
            Set<String> exact = exactIds(f, query, null, v);
            long hits = v.nearest(query, K, null).stream().filter(n -> exact.contains(idOf(v, n.offset()))).count();
            assertThat(hits).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void theLagIsWhatTheGraphHasYetToTakeInAndAWriterStartsADelayedFirstBuildAtOnce() throws Exception {
        // A first build ten minutes away: only expedite can start it within the test.
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, BUDGET, 600_000)) {
            CompactedVersion v = f.apply(adds(0, 3000));
            assertThat(f.warm.lag(f.collection)).as("a first build is not waited for").isZero();
            assertThat(f.warm.awaitIdle(300)).as("the first build waits for its delay").isFalse();
            f.warm.expedite(f.collection);
            assertThat(f.warm.awaitIdle(60_000)).isTrue();
            assertThat(f.warm.holds(f.collection, v.version())).isTrue();
            assertThat(f.warm.lag(f.collection)).isZero();
            f.apply(adds(3000, 3500));
            assertThat(f.warm.lag(f.collection)).as("at most the new vectors").isBetween(0L, 500L);
            assertThat(f.warm.awaitIdle(60_000)).isTrue();
            assertThat(f.warm.lag(f.collection)).isZero();
            assertThat(f.warm.lag(java.util.UUID.randomUUID())).as("a collection without a graph").isZero();
        }
        long tooSmall = 1000 * WarmIndex.bytesPerVector(new VectorParams(Space.L2, DIM, 16, 100, 100));
        try (SegmentFixture f = new SegmentFixture(dir.resolve("small"), Space.L2, 1 << 16, tooSmall, 600_000)) {
            f.apply(adds(0, 3000));
            assertThat(f.warm.lag(f.collection)).as("no graph is due over the budget: nothing to wait for").isZero();
        }
    }

    @Test
    void aForgottenCollectionsGraphIsClosed() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, BUDGET)) {
            CompactedVersion v = f.apply(adds(0, 500));
            assertThat(f.warm.awaitIdle(60_000)).isTrue();
            assertThat(f.warm.holds(f.collection, v.version())).isTrue();
            f.warm.forget(f.collection);
            assertThat(f.warm.holds(f.collection, v.version())).isFalse();
            assertThat(f.warm.bytes()).isZero();
            assertThat(v.nearest(vector(), K, null)).hasSize(K);
        }
    }

    /** Builds the version's graph in a node's warm indexes and closes them, which saves it in {@code folder}. */
    private static VectorParams saveGraphOf(SegmentFixture f, CompactedVersion v, Path folder) throws Exception {
        VectorParams params = VectorParams.fromMap(v.manifest().vector());
        try (WarmIndexes first = new WarmIndexes(BUDGET, 0, folder)) {
            first.offer(f.collection, v.version(), params, v.clusteredIndex(), v.liveOffsets());
            assertThat(first.awaitIdle(60_000)).isTrue();
            assertThat(first.vectorsInserted()).isEqualTo(v.liveOffsets().getLongCardinality());
        }
        assertThat(folder.resolve(f.collection + ".graph.describe")).exists();
        return params;
    }

    @Test
    void aGraphSavedAtCloseIsLoadedAtTheNextStartAndBroughtForwardByWhatChanged() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, 0)) {
            CompactedVersion v1 = f.apply(adds(0, 2000));
            Path folder = dir.resolve("warm");
            VectorParams params = saveGraphOf(f, v1, folder);
            CompactedVersion v2 = f.apply(adds(2000, 2300), LogBatch.delete(List.of("r5", "r6")));
            try (WarmIndexes second = new WarmIndexes(BUDGET, 60_000, folder)) {
                // No delay: a saved graph is loaded from local disk, then only the 300 new vectors are inserted.
                second.offer(f.collection, v2.version(), params, v2.clusteredIndex(), v2.liveOffsets());
                assertThat(second.awaitIdle(30_000)).isTrue();
                assertThat(second.holds(f.collection, v2.version())).isTrue();
                assertThat(second.vectorsInserted()).isEqualTo(300);
                float[] query = f.expected.get("r2100").embedding();
                List<VersionView.Neighbor> found = second.nearest(f.collection, v2.version(), query, K, null, v2.liveOffsets());
                assertThat(idOf(v2, found.getFirst().offset())).isEqualTo("r2100");
                for (VersionView.Neighbor n : second.nearest(f.collection, v2.version(), f.expected.get("r7").embedding(), 50,
                        null, v2.liveOffsets())) {
                    assertThat(idOf(v2, n.offset())).isNotIn("r5", "r6");
                }
                second.forget(f.collection);
            }
            assertThat(folder.resolve(f.collection + ".graph.describe")).doesNotExist();
        }
    }

    @Test
    void queriesAreNotHeldUpWhileASavedGraphIsReadAndAForgottenCollectionsGraphIsDroppedOnceRead() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, 0)) {
            CompactedVersion v = f.apply(adds(0, 2000));
            Path folder = dir.resolve("warm");
            VectorParams params = saveGraphOf(f, v, folder);
            for (boolean forgetWhileReading : new boolean[] {false, true}) {
                try (WarmIndexes restarted = new WarmIndexes(BUDGET, 0, folder)) {
                    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
                    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
                    restarted.beforeLoad(() -> {
                        reading.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    restarted.offer(f.collection, v.version(), params, v.clusteredIndex(), v.liveOffsets());
                    assertThat(reading.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                    // The builder is reading the saved graph: a query asks for it, is not held up, and gets no answer
                    // from it (the clustered index answers).
                    float[] query = vector();
                    var during = java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> restarted.nearest(f.collection, v.version(), query, K, null, v.liveOffsets()));
                    assertThat(during.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNull();
                    assertThat(restarted.holds(f.collection, v.version())).isFalse();
                    if (forgetWhileReading) {
                        restarted.forget(f.collection);
                    }
                    release.countDown();
                    assertThat(restarted.awaitIdle(30_000)).isTrue();
                    assertThat(restarted.vectorsInserted()).isZero();
                    if (forgetWhileReading) {
                        assertThat(restarted.holds(f.collection, v.version())).isFalse();
                        assertThat(restarted.bytes()).isZero();
                    } else {
                        assertThat(restarted.holds(f.collection, v.version())).isTrue();
                        assertThat(restarted.nearest(f.collection, v.version(), query, K, null, v.liveOffsets())).hasSize(K);
                    }
                }
            }
        }
    }

    @Test
    void aGraphIsSavedAsSoonAsItIsBuiltSoANodeThatCrashesLoadsItInsteadOfBuildingItAgain() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, 0)) {
            CompactedVersion v1 = f.apply(adds(0, 2000));
            Path folder = dir.resolve("warm");
            Path describe = folder.resolve(f.collection + ".graph.describe");
            VectorParams params = VectorParams.fromMap(v1.manifest().vector());
            long hour = 3_600_000;
            WarmIndexes crashed = new WarmIndexes(BUDGET, 0, folder, 0, hour);
            try {
                crashed.offer(f.collection, v1.version(), params, v1.clusteredIndex(), v1.liveOffsets());
                assertThat(crashed.awaitIdle(60_000)).isTrue();
                assertThat(describe).as("saved when built, long before any close").exists();
                String atBuild = WarmIndex.graphNameOf(describe);
                CompactedVersion v2 = f.apply(adds(2000, 2300));
                crashed.offer(f.collection, v2.version(), params, v2.clusteredIndex(), v2.liveOffsets());
                assertThat(crashed.awaitIdle(30_000)).isTrue();
                assertThat(crashed.holds(f.collection, v2.version())).isTrue();
                assertThat(WarmIndex.graphNameOf(describe)).as("not saved again within the interval").isEqualTo(atBuild);

                // The node died without closing: the next one finds the graph of version 1 and inserts only the 300.
                try (WarmIndexes next = new WarmIndexes(BUDGET, 60_000, folder, 0, hour)) {
                    next.offer(f.collection, v2.version(), params, v2.clusteredIndex(), v2.liveOffsets());
                    assertThat(next.awaitIdle(30_000)).isTrue();
                    assertThat(next.holds(f.collection, v2.version())).isTrue();
                    assertThat(next.vectorsInserted()).isEqualTo(300);
                    float[] query = f.expected.get("r2200").embedding();
                    List<VersionView.Neighbor> found = next.nearest(f.collection, v2.version(), query, K, null, v2.liveOffsets());
                    assertThat(idOf(v2, found.getFirst().offset())).isEqualTo("r2200");
                }
            } finally {
                crashed.close();
            }
        }
    }

    @Test
    void eachCheckpointReplacesTheCollectionsGraphFileAndClearsOnesACrashLeftHalfWritten() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, 0)) {
            CompactedVersion v1 = f.apply(adds(0, 1500));
            Path folder = dir.resolve("warm");
            Path describe = folder.resolve(f.collection + ".graph.describe");
            VectorParams params = VectorParams.fromMap(v1.manifest().vector());
            java.nio.file.Files.createDirectories(folder);
            Path halfWritten = folder.resolve(f.collection + "." + java.util.UUID.randomUUID() + ".graph");
            java.nio.file.Files.write(halfWritten, new byte[] {1, 2, 3});
            try (WarmIndexes warm = new WarmIndexes(BUDGET, 0, folder, 0, 0)) {
                warm.offer(f.collection, v1.version(), params, v1.clusteredIndex(), v1.liveOffsets());
                assertThat(warm.awaitIdle(60_000)).isTrue();
                String first = WarmIndex.graphNameOf(describe);
                assertThat(first).isNotNull();
                assertThat(halfWritten).doesNotExist();
                CompactedVersion v2 = f.apply(adds(1500, 1600));
                warm.offer(f.collection, v2.version(), params, v2.clusteredIndex(), v2.liveOffsets());
                assertThat(warm.awaitIdle(30_000)).isTrue();
                String second = WarmIndex.graphNameOf(describe);
                assertThat(second).isNotEqualTo(first);
                try (var graphs = java.nio.file.Files.list(folder)) {
                    assertThat(graphs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".graph")))
                            .containsExactly(second);
                }
            }
        }
    }

    @Test
    void equalVectorsHashEquallyAndAChangedFloatShows() {
        float[] a = vector();
        float[] b = a.clone();
        assertThat(WarmIndex.hash(java.lang.foreign.MemorySegment.ofArray(a)))
                .isEqualTo(WarmIndex.hash(java.lang.foreign.MemorySegment.ofArray(b)));
        b[DIM - 1] = Math.nextUp(b[DIM - 1]);
        assertThat(WarmIndex.hash(java.lang.foreign.MemorySegment.ofArray(a)))
                .isNotEqualTo(WarmIndex.hash(java.lang.foreign.MemorySegment.ofArray(b)));
    }

    /**
     * A graph that holds an older version answers a newer one for the segments it holds whole, the clustered index for
     * the rest: before its sync starts and while it runs, every answer names current records at their current vectors'
     * distances, a replaced vector is found where it moved, a deleted record never, and recall stays high.
     */
    @Test
    void aNewerVersionIsAnsweredFromTheSegmentsTheGraphHoldsBeforeAndDuringItsSync() throws Exception {
        try (SegmentFixture f = new SegmentFixture(dir, Space.L2, 1 << 16, 0)) {
            CompactedVersion v1 = f.apply(adds(0, 4000));
            VectorParams params = VectorParams.fromMap(v1.manifest().vector());
            try (WarmIndex g = new WarmIndex(params)) {
                g.sync(v1.version(), params.efSearch(), v1.clusteredIndex(), v1.liveOffsets(), () -> false);
                assertThat(g.version()).isEqualTo(v1.version());

                List<String> ids = new ArrayList<>(f.expected.keySet());
                java.util.Collections.shuffle(ids, random);
                List<String> replaced = List.copyOf(ids.subList(0, 150));
                List<String> deleted = List.copyOf(ids.subList(150, 250));
                float[][] moved = new float[replaced.size()][];
                for (int i = 0; i < moved.length; i++) {
                    moved[i] = vector();
                }
                CompactedVersion v2 = f.apply(adds(4000, 4600),
                        new LogBatch(LogOperation.UPDATE, replaced, moved, null, null, null), LogBatch.delete(deleted));
                Set<String> gone = new HashSet<>(deleted);
                assertThat(g.nearest(v2.version(), vector(), K, null, v2.liveOffsets())).as("not the version it holds").isNull();

                // Before the sync: the graph holds v1's segments, which v2 keeps (less what moved or went).
                double hits = 0;
                for (int q = 0; q < 40; q++) {
                    float[] query = vector();
                    List<VersionView.Neighbor> got = g.nearestCovering(v2.version(), v2.clusteredIndex(), v2.liveOffsets(), query, K, null);
                    assertThat(got).hasSize(K);
                    hits += checkAndCountHits(f, v2, query, got, gone);
                }
                assertThat(hits / (40.0 * K)).as("recall@10 before the sync").isGreaterThanOrEqualTo(0.9);
                for (int i = 0; i < replaced.size(); i += 15) {
                    VersionView.Neighbor first = g.nearestCovering(v2.version(), v2.clusteredIndex(), v2.liveOffsets(), moved[i], 1, null).getFirst();
                    assertThat(idOf(v2, first.offset())).isEqualTo(replaced.get(i));
                    assertThat(first.distance()).isLessThan(1e-4f);
                }
                // A filter applies to both parts.
                RoaringBitmap allowed = new RoaringBitmap();
                v2.liveOffsets().forEach((int o) -> {
                    if (o % 3 == 0) {
                        allowed.add(o);
                    }
                });
                for (VersionView.Neighbor n : g.nearestCovering(v2.version(), v2.clusteredIndex(), v2.liveOffsets(), vector(), K, allowed)) {
                    assertThat(n.offset() % 3).isZero();
                }

                // During the sync: answers stay right while the replaced vectors' labels are rewritten.
                java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
                Thread sync = Thread.ofPlatform().start(() ->
                        g.sync(v2.version(), params.efSearch(), v2.clusteredIndex(), v2.liveOffsets(), () -> false));
                while (sync.isAlive() || answered.get() == 0) {
                    float[] query = vector();
                    List<VersionView.Neighbor> got = g.nearestCovering(v2.version(), v2.clusteredIndex(), v2.liveOffsets(), query, K, null);
                    if (got != null) {
                        checkAndCountHits(f, v2, query, got, gone);
                        answered.incrementAndGet();
                    }
                }
                sync.join();
                assertThat(answered.get()).isPositive();
                assertThat(g.version()).isEqualTo(v2.version());
                assertThat(g.nearestCovering(v1.version(), v1.clusteredIndex(), v1.liveOffsets(), vector(), K, null))
                        .as("an older version than the graph has reached: its labels may be newer").isNull();
            }
        }
    }

    /** Checks every neighbour is current, not deleted, at its current vector's distance; returns how many are exact hits. */
    private static int checkAndCountHits(SegmentFixture f, CompactedVersion v, float[] query, List<VersionView.Neighbor> got,
            Set<String> gone) {
        Set<String> exact = exactIds(f, query, null, v);
        int hits = 0;
        float last = -1;
        for (VersionView.Neighbor n : got) {
            String id = idOf(v, n.offset());
            assertThat(gone).doesNotContain(id);
            assertThat(n.distance()).as(id).isCloseTo(l2(query, f.expected.get(id).embedding()), org.assertj.core.data.Offset.offset(1e-3f));
            assertThat(n.distance()).isGreaterThanOrEqualTo(last);
            last = n.distance();
            hits += exact.contains(id) ? 1 : 0;
        }
        return hits;
    }

    private LogBatch adds(int from, int to) {
        float[][] vectors = new float[to - from][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = vector();
        }
        return SegmentFixture.adds(from, to, i -> vectors[i - from], i -> Map.of("n", (long) i));
    }

    private float[] vector() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static String idOf(CompactedVersion v, int offset) {
        return v.read(new int[] {offset}, VersionView.Fields.NONE).getFirst().id();
    }

    private static Set<String> exactIds(SegmentFixture f, float[] query, RoaringBitmap allowed, CompactedVersion v) {
        Set<String> out = new HashSet<>();
        f.expected.entrySet().stream()
                .filter(e -> allowed == null || allowed.contains(v.offsetOf(e.getKey())))
                .sorted(Comparator.comparingDouble(e -> l2(query, e.getValue().embedding())))
                .limit(K)
                .forEach(e -> out.add(e.getKey()));
        return out;
    }

    private static float l2(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
