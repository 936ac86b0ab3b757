package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.roaringbitmap.RoaringBitmap;

/** Recall of HNSW against the brute-force kernel, filtered search, persistence. Indexes are built once. */
class HnswRecallTest {
    static final int N = 10_000;
    static final int DIM = 128;
    static final int K = 10;
    static final int QUERIES = 100;

    static float[][] data;
    static float[][] queries;
    static MemorySegment packed;
    static Arena arena;
    static final Map<Space, HnswIndex> indexes = new EnumMap<>(Space.class);

    @BeforeAll
    static void build() {
        data = TestVectors.clustered(N, DIM, 50, 1);
        queries = TestVectors.clustered(QUERIES, DIM, 50, 1);
        arena = Arena.ofShared();
        packed = arena.allocate(ValueLayout.JAVA_FLOAT, (long) N * DIM);
        for (int i = 0; i < N; i++) {
            MemorySegment.copy(data[i], 0, packed, ValueLayout.JAVA_FLOAT, (long) i * DIM * Float.BYTES, DIM);
        }
        for (Space space : Space.values()) {
            HnswIndex index = HnswIndex.create(space, DIM, 16, 100, 4096, 42);
            index.add(TestVectors.labels(N), packed); // grows past the initial capacity by itself
            index.setEf(64);
            indexes.put(space, index);
        }
    }

    @AfterAll
    static void close() {
        indexes.values().forEach(HnswIndex::close);
        arena.close();
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void recallAt10AgainstBruteForceKernel(Space space) {
        HnswIndex index = indexes.get(space);
        assertThat(index.count()).isEqualTo(N);
        List<Neighbors> found = index.search(queries, K, AllowList.ALL);
        double total = 0;
        for (int q = 0; q < QUERIES; q++) {
            Neighbors truth = DistanceKernels.topK(space, queries[q], packed, N, K);
            assertThat(found.get(q).size()).isEqualTo(K);
            assertThat(found.get(q).distances()).isSorted();
            total += TestVectors.recall(truth.ids(), found.get(q).ids());
        }
        assertThat(total / QUERIES).isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void distancesAreChromaDistances(Space space) {
        Neighbors hit = indexes.get(space).search(queries[0], K);
        for (int i = 0; i < hit.size(); i++) {
            double expected = TestVectors.reference(space, queries[0], data[(int) hit.ids()[i]]);
            assertThat((double) hit.distances()[i]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3 * Math.max(1, Math.abs(expected))));
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.30})
    void filteredSearchReturnsOnlyAllowedAndFindsTheirNearest(double selectivity) {
        Random random = new Random(7);
        long[] allowed = LongStream.range(0, N).filter(i -> random.nextDouble() < selectivity).toArray();
        RoaringBitmap bitmap = new RoaringBitmap();
        LongStream.of(allowed).forEach(l -> bitmap.add((int) l));
        IntPredicate isAllowed = i -> java.util.Arrays.binarySearch(allowed, i) >= 0;
        HnswIndex index = indexes.get(Space.L2);
        for (AllowList allow : List.of(AllowList.ofSorted(allowed), AllowList.of(bitmap))) {
            List<Neighbors> found = index.search(queries, K, allow);
            double total = 0;
            for (int q = 0; q < QUERIES; q++) {
                assertThat(LongStream.of(found.get(q).ids()).allMatch(l -> isAllowed.test((int) l))).isTrue();
                // A post-filtered top-ef would come back nearly empty at 1 %: the walk must fill k.
                assertThat(found.get(q).size()).isEqualTo(K);
                long[] truth = TestVectors.exactTopK(Space.L2, queries[q], data, K, isAllowed);
                total += TestVectors.recall(truth, found.get(q).ids());
            }
            assertThat(total / QUERIES).as("recall at selectivity %s with %s", selectivity, allow).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void singleQueryOverloadsTakeSortedLabelsAndBitmaps() {
        HnswIndex index = indexes.get(Space.COSINE);
        long[] allowed = {3, 500, 9_999};
        assertThat(index.search(queries[1], K, allowed).ids()).containsExactlyInAnyOrder(3, 500, 9_999);
        assertThat(index.search(queries[1], K, RoaringBitmap.bitmapOf(42)).ids()).containsExactly(42);
        assertThat(index.search(queries[1], K, new long[0]).size()).isZero();
    }

    @Test
    void saveAndLoadGiveTheSameAnswers(@TempDir Path dir) throws Exception {
        HnswIndex original = indexes.get(Space.IP);
        Path file = dir.resolve("ip.hnsw");
        original.save(file);
        try (HnswIndex loaded = HnswIndex.load(file, Space.IP, DIM, 0)) {
            loaded.setEf(64);
            assertThat(loaded.count()).isEqualTo(N);
            List<Neighbors> before = original.search(queries, K, AllowList.ALL);
            List<Neighbors> after = loaded.search(queries, K, AllowList.ALL);
            for (int q = 0; q < QUERIES; q++) {
                assertThat(after.get(q).ids()).containsExactly(before.get(q).ids());
                assertThat(after.get(q).distances()).containsExactly(before.get(q).distances());
            }
        }
        assertThatThrownBy(() -> HnswIndex.load(file, Space.L2, DIM, 0)).isInstanceOf(NativeException.class)
                .hasMessageContaining("space");
        assertThatThrownBy(() -> HnswIndex.load(file, Space.IP, DIM + 1, 0)).isInstanceOf(NativeException.class)
                .hasMessageContaining("dimension");

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Path corrupt = dir.resolve("corrupt.hnsw");
        Files.write(corrupt, bytes);
        assertThatThrownBy(() -> HnswIndex.load(corrupt, Space.IP, DIM, 0))
                .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.status()).isEqualTo(NativeStatus.CORRUPT))
                .hasMessageContaining("checksum").hasMessageContaining(corrupt.toString());
    }
}
