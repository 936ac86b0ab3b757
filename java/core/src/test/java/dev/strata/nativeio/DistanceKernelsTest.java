package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.foreign.MemorySegment;
import java.util.Comparator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The native kernels against a scalar double-precision Java reference, on both dispatch paths. */
class DistanceKernelsTest {
    private static final Dispatch INITIAL = TestVectors.INITIAL_DISPATCH;

    @AfterEach
    void restoreDispatch() {
        DistanceKernels.useDispatch(INITIAL);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Dispatch.values()).flatMap(d -> Stream.of(Space.values())
                .flatMap(s -> IntStream.of(1, 3, 7, 8, 9, 15, 16, 17, 31, 128, 384).mapToObj(dim -> Arguments.of(d, s, dim))));
    }

    @ParameterizedTest(name = "{0} {1} dim {2}")
    @MethodSource("cases")
    void distancesMatchTheScalarReference(Dispatch dispatch, Space space, int dim) {
        use(dispatch);
        float[][] rows = TestVectors.uniform(200, dim, dim);
        float[] query = TestVectors.uniform(1, dim, -dim)[0];
        float[] got = DistanceKernels.distances(space, query, packed(rows), rows.length);
        for (int i = 0; i < rows.length; i++) {
            double expected = TestVectors.reference(space, query, rows[i]);
            assertThat((double) got[i]).as("row %d", i).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(1e-4 * Math.max(1.0, Math.abs(expected))));
        }
    }

    @ParameterizedTest(name = "{0} {1} dim {2}")
    @MethodSource("cases")
    void topKIsTheKSmallestInOrder(Dispatch dispatch, Space space, int dim) {
        use(dispatch);
        float[][] rows = TestVectors.uniform(3000, dim, 11L * dim);
        float[] query = TestVectors.uniform(1, dim, 5)[0];
        float[] all = DistanceKernels.distances(space, query, packed(rows), rows.length);
        Neighbors top = DistanceKernels.topK(space, query, packed(rows), rows.length, 10);
        long[] expected = IntStream.range(0, rows.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> all[i]).thenComparing(i -> i))
                .limit(10).mapToLong(Integer::longValue).toArray();
        assertThat(top.ids()).containsExactly(expected);
        assertThat(top.distances()).isSorted();
    }

    @Test
    void topKOfFewerVectorsThanKReturnsAllOfThem() {
        float[][] rows = TestVectors.uniform(3, 4, 1);
        assertThat(DistanceKernels.topK(Space.L2, rows[0], packed(rows), 3, 10).ids()).containsExactly(0, 1, 2)
                .hasSize(3);
    }

    @Test
    void cosineOfAZeroVectorIsOne() {
        float[] zero = new float[8];
        float[][] rows = TestVectors.uniform(2, 8, 3);
        assertThat(DistanceKernels.distances(Space.COSINE, zero, packed(rows), 2)).containsExactly(1f, 1f);
    }

    @Test
    void badArgumentsAreRejectedBeforeTheDowncall() {
        float[][] rows = TestVectors.uniform(4, 8, 1);
        MemorySegment vectors = packed(rows);
        assertThatThrownBy(() -> DistanceKernels.topK(Space.L2, rows[0], vectors, 4, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be positive");
        assertThatThrownBy(() -> DistanceKernels.distances(Space.L2, rows[0], vectors, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vectors holds");
        assertThatThrownBy(() -> DistanceKernels.distances(null, rows[0], vectors, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rawCallsWithNullPointersReturnErrorsInsteadOfCrashing() {
        int status = StrataNative.strata_distances(0, MemorySegment.NULL, MemorySegment.NULL, 10, 8, MemorySegment.NULL);
        assertThat(status).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.lastError()).contains("query is null");
        assertThat(StrataNative.strata_distances(9, MemorySegment.ofArray(new float[8]), MemorySegment.ofArray(new float[8]),
                1, 8, MemorySegment.ofArray(new float[1]))).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.lastError()).contains("unknown metric 9");
        assertThat(StrataNative.strata_set_dispatch(7)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.version()).matches("\\d+\\.\\d+\\.\\d+");
    }

    private static void use(Dispatch dispatch) {
        if (dispatch == Dispatch.AVX2) {
            assumeThat(INITIAL).as("CPU has AVX2+FMA").isEqualTo(Dispatch.AVX2);
        }
        DistanceKernels.useDispatch(dispatch);
        assertThat(DistanceKernels.dispatch()).isEqualTo(dispatch);
    }

    static MemorySegment packed(float[][] rows) {
        int dim = rows[0].length;
        float[] flat = new float[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * dim, dim);
        }
        return MemorySegment.ofArray(flat);
    }
}
