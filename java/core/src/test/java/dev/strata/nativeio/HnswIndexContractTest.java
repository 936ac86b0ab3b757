package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deletion, replacement, growth, argument checks, lifecycle and concurrency of HnswIndex. */
class HnswIndexContractTest {
    static final int DIM = 16;

    private static HnswIndex small(Space space, int n) {
        HnswIndex index = HnswIndex.create(space, DIM, 8, 50, 16, 1);
        index.add(TestVectors.labels(n), TestVectors.uniform(n, DIM, 3));
        index.setEf(50);
        return index;
    }

    @Test
    void markDeletedLabelsAreNeverReturned() {
        float[][] rows = TestVectors.uniform(2000, DIM, 3);
        try (HnswIndex index = small(Space.L2, 2000)) {
            long[] deleted = LongStream.range(0, 2000).filter(l -> l % 2 == 0).toArray();
            index.markDeleted(deleted);
            assertThat(index.count()).isEqualTo(1000);
            for (int q = 0; q < 50; q++) {
                Neighbors hits = index.search(rows[q * 2], 10);
                assertThat(hits.size()).isEqualTo(10);
                assertThat(LongStream.of(hits.ids()).allMatch(l -> l % 2 == 1)).as("only odd labels in %s", java.util.Arrays.toString(hits.ids())).isTrue();
            }
            // Filters and deletions combine: an allow-list of deleted labels yields nothing.
            assertThat(index.search(rows[0], 10, new long[] {0, 2, 4}).size()).isZero();
            // Re-adding a deleted label brings it back.
            index.add(new long[] {0}, new float[][] {rows[0]});
            assertThat(index.search(rows[0], 1).ids()).containsExactly(0);
            assertThat(index.count()).isEqualTo(1001);
        }
    }

    @Test
    void allowListsNoLongerThanEfAreScannedExactly() {
        float[][] rows = TestVectors.uniform(2000, DIM, 3);
        try (HnswIndex index = small(Space.COSINE, 2000)) {
            long[] allowed = LongStream.range(0, 2000).filter(l -> l % 50 == 3).toArray(); // 40 labels, ef 50
            index.markDeleted(53);
            java.util.function.IntPredicate live = i -> i % 50 == 3 && i != 53;
            for (int q = 0; q < 20; q++) {
                long[] exact = TestVectors.exactTopK(Space.COSINE, rows[q], rows, 10, live);
                assertThat(index.search(rows[q], 10, allowed).ids()).containsExactly(exact);
                org.roaringbitmap.RoaringBitmap bitmap = new org.roaringbitmap.RoaringBitmap();
                LongStream.of(allowed).forEach(l -> bitmap.add((int) l));
                assertThat(index.search(rows[q], 10, bitmap).ids()).containsExactly(exact);
            }
            assertThat(index.search(rows[0], 100, allowed).size()).isEqualTo(39);
        }
    }

    @Test
    void aLargeBatchInsertedOnSeveralThreadsHoldsEveryVectorUnderItsLabel() {
        // 6000 rows: above the native side's threshold for a multi-threaded insert.
        int n = 6000;
        float[][] rows = TestVectors.uniform(n, DIM, 11);
        try (HnswIndex index = HnswIndex.create(Space.L2, DIM, 16, 100, n, 1)) {
            index.add(TestVectors.labels(n), rows);
            index.setEf(100);
            assertThat(index.count()).isEqualTo(n);
            int selfFirst = 0;
            for (int i = 0; i < n; i += 7) {
                Neighbors hit = index.search(rows[i], 1);
                if (hit.ids()[0] == i && hit.distances()[0] == 0f) {
                    selfFirst++;
                }
            }
            assertThat(selfFirst).as("rows found under their own label at distance 0").isGreaterThanOrEqualTo((n / 7) * 99 / 100);
        }
    }

    @Test
    void aLargeBatchNamingALabelTwiceKeepsItsLastRow() {
        int n = 5000;
        float[][] rows = TestVectors.uniform(n, DIM, 12);
        long[] labels = TestVectors.labels(n);
        labels[n - 1] = 3; // the last row replaces the fourth: one label, its last vector
        try (HnswIndex index = HnswIndex.create(Space.L2, DIM, 16, 100, n, 1)) {
            index.add(labels, rows);
            index.setEf(100);
            assertThat(index.count()).isEqualTo(n - 1);
            Neighbors hit = index.search(rows[n - 1], 1);
            assertThat(hit.ids()).containsExactly(3);
            assertThat(hit.distances()[0]).isZero();
        }
    }

    @Test
    void churnOfReplacedAndDeletedVectorsNeverHidesALiveOne() {
        // The crash loop's pattern: a small set of records whose vectors are replaced and which are deleted
        // and re-added under new labels, compaction after compaction. hnswlib's in-place update lost 1.3%
        // of exact lookups under this; replacement as delete + insert, and a rebuild once most of the
        // graph is deleted nodes, keeps every live vector findable by itself.
        int dim = 8;
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        java.util.Map<Integer, Long> labelOf = new java.util.HashMap<>();
        java.util.Map<Long, float[]> live = new java.util.HashMap<>();
        long nextLabel = 0;
        int misses = 0;
        int rebuilds = 0;
        try (HnswIndex index = HnswIndex.create(Space.L2, dim, 16, 100, 64, 1)) {
            index.setEf(100);
            for (int round = 0; round < 600; round++) {
                List<Long> addLabels = new ArrayList<>();
                List<float[]> addVectors = new ArrayList<>();
                List<Long> deleted = new ArrayList<>();
                java.util.Set<Integer> touched = new java.util.HashSet<>();
                for (int j = 0; j < 4; j++) {
                    int id = random.nextInt(120);
                    if (!touched.add(id)) {
                        continue;
                    }
                    float[] v = new float[dim];
                    for (int d = 0; d < dim; d++) {
                        v[d] = (float) random.nextDouble(-1, 1);
                    }
                    Long current = labelOf.get(id);
                    if (current == null) {
                        labelOf.put(id, nextLabel);
                        live.put(nextLabel, v);
                        addLabels.add(nextLabel++);
                        addVectors.add(v);
                    } else if (random.nextInt(3) == 0) {
                        labelOf.remove(id);
                        live.remove(current);
                        deleted.add(current);
                    } else {
                        live.put(current, v);
                        addLabels.add(current);
                        addVectors.add(v);
                    }
                }
                if (!addLabels.isEmpty()) {
                    index.add(addLabels.stream().mapToLong(Long::longValue).toArray(), addVectors.toArray(float[][]::new));
                }
                if (!deleted.isEmpty()) {
                    index.markDeleted(deleted.stream().mapToLong(Long::longValue).sorted().toArray());
                }
                rebuilds += index.compact(0.5) ? 1 : 0;
                assertThat(index.count()).isEqualTo(live.size());
                for (var e : live.entrySet()) {
                    Neighbors n = index.search(e.getValue(), 1);
                    if (n.ids().length == 0 || n.ids()[0] != e.getKey()) {
                        misses++;
                    }
                }
            }
        }
        assertThat(misses).as("live vectors not found by themselves").isZero();
        assertThat(rebuilds).as("rebuilds once deleted nodes were the larger part").isPositive();
    }

    @Test
    void aReplacedVectorSurvivesSaveAndLoadUnderItsLabel(@TempDir Path dir) {
        float[] far = new float[DIM];
        java.util.Arrays.fill(far, 100f);
        Path file = dir.resolve("replaced.hnsw");
        try (HnswIndex index = small(Space.L2, 300)) {
            index.add(new long[] {7}, new float[][] {far}); // the old element of 7 stays as a deleted node
            index.save(file);
        }
        try (HnswIndex loaded = HnswIndex.load(file, Space.L2, DIM, 0)) {
            assertThat(loaded.count()).isEqualTo(300);
            Neighbors hit = loaded.search(far, 1);
            assertThat(hit.ids()).containsExactly(7);
            assertThat(hit.distances()[0]).isZero();
            loaded.markDeleted(7);
            assertThat(loaded.count()).isEqualTo(299);
            assertThat(loaded.search(far, 5).ids()).doesNotContain(7);
        }
    }

    @Test
    void compactRebuildsOnlyPastTheDeletedFractionAndKeepsLabelsAndCount() {
        try (HnswIndex index = small(Space.COSINE, 400)) {
            index.markDeleted(LongStream.range(0, 100).toArray());
            assertThat(index.compact(0.5)).isFalse();
            index.markDeleted(LongStream.range(100, 300).toArray());
            float[][] rows = TestVectors.uniform(400, DIM, 3);
            assertThat(index.compact(0.5)).isTrue();
            assertThat(index.count()).isEqualTo(100);
            assertThat(index.search(rows[350], 1).ids()).containsExactly(350);
            assertThat(index.search(rows[350], 1).distances()[0]).isCloseTo(0f, org.assertj.core.api.Assertions.within(1e-5f));
            assertThat(index.compact(0.5)).isFalse();
            assertThatThrownBy(() -> index.compact(1.5)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void addingAnExistingLabelReplacesItsVector() {
        try (HnswIndex index = small(Space.L2, 500)) {
            float[] far = new float[DIM];
            java.util.Arrays.fill(far, 100f);
            index.add(new long[] {7}, new float[][] {far});
            assertThat(index.count()).isEqualTo(500);
            Neighbors hit = index.search(far, 1);
            assertThat(hit.ids()).containsExactly(7);
            assertThat(hit.distances()[0]).isZero();
        }
    }

    @Test
    void deletionsSurviveSaveAndLoadAndUnwritablePathsFail(@TempDir Path dir) {
        float[][] rows = TestVectors.uniform(300, DIM, 3);
        Path file = dir.resolve("deleted.hnsw");
        try (HnswIndex index = small(Space.L2, 300)) {
            index.markDeleted(5, 6, 7);
            index.save(file);
            assertThatThrownBy(() -> index.save(dir.resolve("no/such/dir/x.hnsw")))
                    .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.status()).isEqualTo(NativeStatus.IO));
        }
        try (HnswIndex loaded = HnswIndex.load(file, Space.L2, DIM, 1000)) {
            assertThat(loaded.count()).isEqualTo(297);
            assertThat(loaded.capacity()).isEqualTo(1000);
            assertThat(loaded.search(rows[5], 10).ids()).doesNotContain(5, 6, 7);
            loaded.add(new long[] {1000}, new float[][] {rows[5]});
            assertThat(loaded.search(rows[5], 1).ids()).containsExactly(1000);
        }
    }

    @Test
    void loadsFromTheFileBytesInNativeMemoryAsFromTheFile(@TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("mem.hnsw");
        float[] query = TestVectors.uniform(1, DIM, 9)[0];
        Neighbors expected;
        try (HnswIndex index = small(Space.L2, 200)) {
            index.markDeleted(3);
            index.save(file);
            expected = index.search(query, 10);
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, offHeap, ValueLayout.JAVA_BYTE, 0, bytes.length);
            try (HnswIndex loaded = HnswIndex.load(offHeap, "mem-object", Space.L2, DIM, 0)) {
                loaded.setEf(50);
                assertThat(loaded.count()).isEqualTo(199);
                assertThat(loaded.search(query, 10).ids()).containsExactly(expected.ids());
            }
            offHeap.set(ValueLayout.JAVA_BYTE, bytes.length / 2, (byte) (bytes[bytes.length / 2] ^ 1));
            assertThatThrownBy(() -> HnswIndex.load(offHeap, "mem-object", Space.L2, DIM, 0))
                    .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.status()).isEqualTo(NativeStatus.CORRUPT))
                    .hasMessageContaining("mem-object").hasMessageContaining("checksum mismatch");
            assertThatThrownBy(() -> HnswIndex.load(offHeap.asSlice(0, 20), "short", Space.L2, DIM, 0))
                    .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.status()).isEqualTo(NativeStatus.CORRUPT));
        }
        assertThatThrownBy(() -> HnswIndex.load(MemorySegment.ofArray(bytes), "heap", Space.L2, DIM, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHugeKReturnsEverythingWithoutAllocatingK() {
        try (HnswIndex index = small(Space.L2, 30)) {
            assertThat(index.search(new float[DIM], Integer.MAX_VALUE).size()).isEqualTo(30);
        }
    }

    @Test
    void growsBeyondItsCapacityAndResizes() {
        try (HnswIndex index = small(Space.IP, 100)) {
            assertThat(index.capacity()).isGreaterThanOrEqualTo(100);
            index.resize(5000);
            assertThat(index.capacity()).isEqualTo(5000);
            assertThatThrownBy(() -> index.resize(10)).isInstanceOf(NativeException.class)
                    .hasMessageContaining("below");
        }
    }

    @Test
    void badArgumentsRaiseClearExceptions(@TempDir Path dir) {
        try (HnswIndex index = small(Space.COSINE, 50)) {
            assertThatThrownBy(() -> index.search(new float[DIM + 1], 5)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dimension 17, index has 16");
            assertThatThrownBy(() -> index.search(new float[DIM], 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("k must be positive");
            assertThatThrownBy(() -> index.add(new long[] {1, 2}, new float[][] {new float[DIM]}))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> index.search(new float[DIM], 5, new long[] {5, 3}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
            assertThatThrownBy(() -> index.markDeleted(12345)).isInstanceOfSatisfying(NativeException.class,
                    e -> assertThat(e.status()).isEqualTo(NativeStatus.NOT_FOUND)).hasMessageContaining("12345");
            assertThatThrownBy(() -> index.setEf(0)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Space.of("manhattan")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("manhattan");
        assertThat(Space.of("Cosine")).isEqualTo(Space.COSINE);
        assertThatThrownBy(() -> HnswIndex.create(null, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HnswIndex.create(Space.L2, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HnswIndex.load(dir.resolve("missing.hnsw"), Space.L2, 8, 0))
                .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.status()).isEqualTo(NativeStatus.NOT_FOUND));
    }

    @Test
    void nonFiniteVectorsAndQueriesAreRejected() {
        try (HnswIndex index = small(Space.L2, 20)) {
            float[] bad = new float[DIM];
            bad[3] = Float.NaN;
            assertThatThrownBy(() -> index.add(new long[] {99}, new float[][] {bad}))
                    .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.status()).isEqualTo(NativeStatus.INVALID_ARGUMENT))
                    .hasMessageContaining("non-finite value at position 3");
            assertThat(index.count()).isEqualTo(20);
            bad[3] = Float.POSITIVE_INFINITY;
            assertThatThrownBy(() -> index.search(bad, 3)).isInstanceOf(NativeException.class)
                    .hasMessageContaining("query 0");
        }
    }

    @Test
    void addsAndSearchesMayOverlap() throws Exception {
        float[][] rows = TestVectors.uniform(2000, DIM, 8);
        try (HnswIndex index = HnswIndex.create(Space.IP, DIM, 8, 40, 10, 1)) {
            index.add(new long[] {0}, new float[][] {rows[0]});
            ExecutorService pool = Executors.newFixedThreadPool(3);
            Future<?> writer = pool.submit(() -> {
                for (int start = 1; start < 2000; start += 100) {
                    long[] labels = LongStream.range(start, Math.min(2000, start + 100)).toArray();
                    float[][] batch = java.util.Arrays.copyOfRange(rows, start, start + labels.length);
                    index.add(labels, batch);
                }
            });
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    while (!writer.isDone()) {
                        Neighbors hits = index.search(rows[7], 5);
                        assertThat(hits.size()).isBetween(1, 5);
                        assertThat(LongStream.of(hits.ids()).allMatch(l -> l >= 0 && l < 2000)).isTrue();
                    }
                }));
            }
            writer.get();
            for (Future<?> r : readers) {
                r.get();
            }
            pool.shutdown();
            assertThat(index.count()).isEqualTo(2000);
        }
    }

    @Test
    void useAfterCloseIsAnIllegalStateException() {
        HnswIndex index = small(Space.L2, 10);
        index.close();
        index.close(); // idempotent
        assertThatThrownBy(() -> index.search(new float[DIM], 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(index::count).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.add(new long[] {1}, new float[][] {new float[DIM]}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rawCallsOnFreedOrNullHandlesReturnErrors() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            assertThat(StrataNative.strata_hnsw_create(0, 4, 8, 20, 10, 1, out)).isZero();
            MemorySegment handle = out.get(ValueLayout.ADDRESS, 0);
            assertThat(StrataNative.strata_hnsw_free(handle)).isZero();
            MemorySegment count = arena.allocate(ValueLayout.JAVA_LONG);
            assertThat(StrataNative.strata_hnsw_count(handle, count)).isEqualTo(StrataNative.STRATA_ERR_CLOSED);
            assertThat(StrataNative.lastError()).contains("closed");
            assertThat(StrataNative.strata_hnsw_free(handle)).isEqualTo(StrataNative.STRATA_ERR_CLOSED);
            assertThat(StrataNative.strata_hnsw_add(MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 1, 4))
                    .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
            assertThat(StrataNative.strata_hnsw_create(5, 4, 8, 20, 10, 1, out)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
            assertThat(StrataNative.lastError()).contains("unknown space 5");
            assertThat(StrataNative.strata_hnsw_create(0, 4, 8, 20, 10, 1, out)).isZero();
            handle = out.get(ValueLayout.ADDRESS, 0);
            assertThat(StrataNative.strata_hnsw_add(handle, MemorySegment.NULL, MemorySegment.NULL, 3, 4))
                    .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
            assertThat(StrataNative.strata_hnsw_search(handle, MemorySegment.NULL, 1, 5, 3, 0, MemorySegment.NULL, 0,
                    MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
            assertThat(StrataNative.lastError()).contains("dimension 5");
            assertThat(StrataNative.strata_hnsw_free(handle)).isZero();
        }
    }

    @Test
    void concurrentSearchesAgreeAndCloseWaitsForThem() throws Exception {
        float[][] rows = TestVectors.uniform(1000, DIM, 3);
        HnswIndex index = small(Space.L2, 1000);
        long[] expected = index.search(rows[5], 10).ids();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch running = new CountDownLatch(4);
        AtomicInteger closedSeen = new AtomicInteger();
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                running.countDown();
                int done = 0;
                while (true) {
                    try {
                        assertThat(index.search(rows[5], 10).ids()).containsExactly(expected);
                        done++;
                    } catch (IllegalStateException closed) {
                        closedSeen.incrementAndGet();
                        return done;
                    }
                }
            }));
        }
        running.await();
        Thread.sleep(100);
        index.close();
        int total = 0;
        for (Future<Integer> w : workers) {
            total += w.get();
        }
        pool.shutdown();
        assertThat(closedSeen).hasValue(4);
        assertThat(total).isPositive();
    }
}
