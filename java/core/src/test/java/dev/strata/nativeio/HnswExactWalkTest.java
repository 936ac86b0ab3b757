package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * libstrata's own level-0 walk (batched four-row kernels, prefetching) at ef >= n reaches every node,
 * so it must return exactly the brute-force top-k: same labels in the same order and, for l2 and ip,
 * the same distance bits as the single-row kernels (the batch kernels accumulate in the same order).
 * Deleted elements are walked through but never returned; k above the live count is padded.
 */
class HnswExactWalkTest {
    private static final Dispatch INITIAL = TestVectors.INITIAL_DISPATCH;
    // 45 = 2 x 16 + 8 + 5: every step of the kernels' loops, the 8-wide remainder and the scalar tail.
    static final int DIM = 45;
    static final int N = 300;
    static final int QUERIES = 20;

    @AfterEach
    void restoreDispatch() {
        DistanceKernels.useDispatch(INITIAL);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Dispatch.values()).flatMap(d -> Stream.of(Space.values()).map(s -> Arguments.of(d, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void walkAtEfAboveNReturnsTheBruteForceTopK(Dispatch dispatch, Space space) {
        use(dispatch); // the index keeps the kernels it was created with
        float[][] rows = TestVectors.clustered(N, DIM, 6, 11);
        float[][] queries = TestVectors.clustered(QUERIES, DIM, 6, 12);
        try (Arena arena = Arena.ofConfined(); HnswIndex index = exactIndex(space, rows)) {
            MemorySegment packed = pack(arena, rows);
            // Cosine: the index stores unit vectors, the kernel scans the raw rows, so compare a short
            // prefix (float rounding can swap near-equal neighbours far down the list).
            int k = space == Space.COSINE ? 10 : N;
            for (float[] q : queries) {
                Neighbors truth = DistanceKernels.topK(space, q, packed, N, k);
                Neighbors found = index.search(q, k);
                assertThat(found.ids()).containsExactly(truth.ids());
                if (space == Space.COSINE) {
                    for (int i = 0; i < k; i++) {
                        assertThat(found.distances()[i]).isCloseTo(truth.distances()[i], within(1e-5f));
                    }
                } else {
                    assertThat(found.distances()).containsExactly(truth.distances());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void deletedElementsAreWalkedThroughButNeverReturned(Space space) {
        float[][] rows = TestVectors.clustered(N, DIM, 6, 13);
        float[][] queries = TestVectors.clustered(QUERIES, DIM, 6, 14);
        long[] deleted = LongStream.range(0, N).filter(i -> i % 3 == 0).toArray();
        try (Arena arena = Arena.ofConfined(); HnswIndex index = exactIndex(space, rows)) {
            MemorySegment packed = pack(arena, rows);
            index.markDeleted(deleted);
            int live = N - deleted.length;
            for (float[] q : queries) {
                // The brute-force order over all rows with the deleted ones taken out.
                long[] truth = Arrays.stream(DistanceKernels.topK(space, q, packed, N, N).ids())
                        .filter(id -> id % 3 != 0).toArray();
                Neighbors found = index.search(q, N);
                assertThat(found.size()).isEqualTo(live);
                assertThat(found.ids()).doesNotContain(deleted);
                if (space == Space.COSINE) {
                    assertThat(found.ids()).containsExactlyInAnyOrder(truth);
                    assertThat(Arrays.copyOf(found.ids(), 10)).containsExactly(Arrays.copyOf(truth, 10));
                } else {
                    assertThat(found.ids()).containsExactly(truth);
                }
                assertThat(found.distances()).isSorted();
            }
        }
    }

    @Test
    void kAboveTheLiveCountIsPaddedWithMinusOneAndInfinity() {
        float[][] rows = TestVectors.clustered(40, DIM, 3, 15);
        int k = 50;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            assertThat(StrataNative.strata_hnsw_create(StrataNative.STRATA_SPACE_L2, DIM, 16, 100, 40, 1, out)).isZero();
            MemorySegment handle = out.get(ValueLayout.ADDRESS, 0);
            try {
                MemorySegment labels = arena.allocateFrom(ValueLayout.JAVA_LONG, TestVectors.labels(40));
                assertThat(StrataNative.strata_hnsw_add(handle, labels, pack(arena, rows), 40, DIM)).isZero();
                assertThat(StrataNative.strata_hnsw_mark_deleted(handle, arena.allocateFrom(ValueLayout.JAVA_LONG, 0L, 1L, 2L), 3))
                        .isZero();
                MemorySegment outLabels = arena.allocate(ValueLayout.JAVA_LONG, k);
                MemorySegment outDistances = arena.allocate(ValueLayout.JAVA_FLOAT, k);
                MemorySegment outCounts = arena.allocate(ValueLayout.JAVA_INT);
                outLabels.fill((byte) 0x55);
                outDistances.fill((byte) 0x55);
                assertThat(StrataNative.strata_hnsw_search(handle, pack(arena, new float[][] {rows[5]}), 1, DIM, k,
                        StrataNative.STRATA_FILTER_NONE, MemorySegment.NULL, 0, outLabels, outDistances, outCounts)).isZero();
                assertThat(outCounts.get(ValueLayout.JAVA_INT, 0)).isEqualTo(37);
                assertThat(outLabels.getAtIndex(ValueLayout.JAVA_LONG, 0)).isEqualTo(5);
                assertThat(outDistances.getAtIndex(ValueLayout.JAVA_FLOAT, 0)).isZero();
                for (int i = 37; i < k; i++) {
                    assertThat(outLabels.getAtIndex(ValueLayout.JAVA_LONG, i)).as("label %d", i).isEqualTo(-1);
                    assertThat(outDistances.getAtIndex(ValueLayout.JAVA_FLOAT, i)).as("distance %d", i)
                            .isEqualTo(Float.POSITIVE_INFINITY);
                }
            } finally {
                assertThat(StrataNative.strata_hnsw_free(handle)).isZero();
            }
        }
    }

    private static HnswIndex exactIndex(Space space, float[][] rows) {
        HnswIndex index = HnswIndex.create(space, DIM, 16, 100, N, 42);
        index.add(TestVectors.labels(rows.length), rows);
        index.setEf(N); // ef >= n: the walk cannot stop before it has seen every node
        return index;
    }

    private static MemorySegment pack(Arena arena, float[][] rows) {
        MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows.length * DIM);
        for (int i = 0; i < rows.length; i++) {
            MemorySegment.copy(rows[i], 0, out, ValueLayout.JAVA_FLOAT, (long) i * DIM * Float.BYTES, DIM);
        }
        return out;
    }

    private static void use(Dispatch dispatch) {
        if (dispatch == Dispatch.AVX2) {
            assumeThat(INITIAL).as("CPU has AVX2+FMA").isEqualTo(Dispatch.AVX2);
        }
        DistanceKernels.useDispatch(dispatch);
    }
}
