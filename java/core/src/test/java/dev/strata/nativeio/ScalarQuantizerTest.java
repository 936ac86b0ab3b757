package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SQ8: encoding bounds, code-domain distances against decoded ones, recall of a reranking budget, allow-bits. */
class ScalarQuantizerTest {
    @AfterEach
    void restoreDispatch() {
        DistanceKernels.useDispatch(TestVectors.INITIAL_DISPATCH);
    }

    static Stream<Arguments> recallCases() {
        return Stream.of(Dispatch.values()).flatMap(d -> Stream.of(Space.values()).flatMap(s -> Stream.of("uniform", "clustered")
                .flatMap(data -> IntStream.of(128, 384).mapToObj(dim -> Arguments.of(d, s, data, dim)))));
    }

    /** The reranking budget an IVF search would use: R = 4k SQ8 candidates hold the exact top 10. */
    @ParameterizedTest(name = "{0} {1} {2} dim {3}")
    @MethodSource("recallCases")
    void fourTimesKCandidatesHoldTheExactTopTen(Dispatch dispatch, Space space, String data, int dim) {
        TestVectors.useDispatch(dispatch);
        int n = 4000, queries = 20, k = 10;
        float[][] all = data.equals("uniform") ? TestVectors.uniform(n + queries, dim, dim)
                : TestVectors.clustered(n + queries, dim, 40, dim);
        if (space == Space.COSINE) {
            all = TestVectors.normalized(all);
        }
        float[][] rows = Arrays.copyOf(all, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vectors = TestVectors.offHeap(rows, arena);
            ScalarQuantizer sq = ScalarQuantizer.train(vectors, n, dim);
            MemorySegment codes = arena.allocate((long) n * dim);
            sq.encode(vectors, n, codes);
            double recall = 0;
            for (int q = 0; q < queries; q++) {
                float[] query = all[n + q];
                long[] exact = TestVectors.exactTopK(space, query, rows, k, i -> true);
                Neighbors candidates = sq.topK(space, query, codes, n, 4 * k);
                assertThat(candidates.size()).isEqualTo(4 * k);
                assertThat(candidates.distances()).isSorted();
                recall += TestVectors.recall(exact, candidates.ids());
            }
            assertThat(recall / queries).isGreaterThanOrEqualTo(0.99);
        }
    }

    /**
     * The unit encode equals the Java writer's (each row times (float) (1 / sqrt of its double squared norm), then
     * encoded) byte for byte: codes derived at decode must equal codes a writer stored. Rows of very different
     * magnitudes, a zero row, odd dimensions and more rows than one native chunk (64).
     */
    @ParameterizedTest(name = "dim {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 17, 384})
    void unitEncodeEqualsNormalizingInJavaThenEncoding(int dim) {
        int n = 203;
        float[][] rows = TestVectors.uniform(n, dim, 11L * dim);
        for (int i = 0; i < n; i++) {
            float magnitude = (float) Math.pow(10, (i % 13) - 6);
            for (int j = 0; j < dim; j++) {
                rows[i][j] *= magnitude;
            }
        }
        Arrays.fill(rows[5], 0f);
        float[][] unit = new float[n][];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (float x : rows[i]) {
                norm += (double) x * x;
            }
            float scale = norm == 0 ? 1f : (float) (1 / Math.sqrt(norm));
            unit[i] = new float[dim];
            for (int j = 0; j < dim; j++) {
                unit[i][j] = rows[i][j] * scale;
            }
        }
        MemorySegment units = DistanceKernelsTest.packed(unit);
        ScalarQuantizer sq = ScalarQuantizer.train(units, n, dim);
        byte[] expected = new byte[n * dim];
        sq.encode(units, n, MemorySegment.ofArray(expected));
        MemorySegment given = DistanceKernelsTest.packed(rows);
        float[] before = given.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT);
        byte[] actual = new byte[n * dim];
        sq.encodeUnit(given, n, MemorySegment.ofArray(actual));
        assertThat(actual).isEqualTo(expected);
        assertThat(given.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT)).isEqualTo(before); // rows left as given
    }

    static Stream<Arguments> exactnessCases() {
        return Stream.of(Dispatch.values()).flatMap(d -> Stream.of(Space.values())
                .flatMap(s -> IntStream.of(1, 7, 8, 15, 16, 17, 33, 384).mapToObj(dim -> Arguments.of(d, s, dim))));
    }

    /** The code-domain scores equal the distances to the decoded rows (no row is decoded natively). */
    @ParameterizedTest(name = "{0} {1} dim {2}")
    @MethodSource("exactnessCases")
    void distancesAreThoseToTheDecodedRows(Dispatch dispatch, Space space, int dim) {
        TestVectors.useDispatch(dispatch);
        float[][] rows = TestVectors.uniform(300, dim, 3L * dim);
        float[] query = TestVectors.uniform(1, dim, 77)[0];
        if (space == Space.COSINE) {
            rows = TestVectors.normalized(rows);
            query = TestVectors.normalized(new float[][] {query})[0];
        }
        MemorySegment vectors = DistanceKernelsTest.packed(rows);
        ScalarQuantizer sq = ScalarQuantizer.train(vectors, rows.length, dim);
        byte[] codes = new byte[rows.length * dim];
        sq.encode(vectors, rows.length, MemorySegment.ofArray(codes));
        Neighbors all = sq.topK(space, query, MemorySegment.ofArray(codes), rows.length, rows.length);
        assertThat(all.size()).isEqualTo(rows.length);
        Space reference = space == Space.COSINE ? Space.IP : space;
        for (int r = 0; r < all.size(); r++) {
            int row = (int) all.ids()[r];
            float[] decoded = decode(sq, Arrays.copyOfRange(codes, row * dim, (row + 1) * dim));
            double expected = TestVectors.reference(reference, query, decoded);
            assertThat((double) all.distances()[r]).as("row %d", row)
                    .isCloseTo(expected, Offset.offset(1e-4 * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void encodingIsWithinHalfAStepAndClampsOutsideTheTrainedRange() {
        float[][] rows = TestVectors.uniform(500, 9, 4);
        for (float[] row : rows) {
            row[8] = 2.5f; // a constant dimension
        }
        ScalarQuantizer sq = ScalarQuantizer.train(DistanceKernelsTest.packed(rows), rows.length, 9);
        assertThat(sq.scale()[8]).isZero();
        assertThat(sq.min()[8]).isEqualTo(2.5f);
        for (float[] row : rows) {
            float[] decoded = decode(sq, sq.encode(row));
            for (int j = 0; j < 9; j++) {
                assertThat(decoded[j]).isCloseTo(row[j], Offset.offset(sq.scale()[j] / 2 + 1e-6f));
            }
        }
        float[] outside = new float[9];
        for (int j = 0; j < 9; j++) {
            outside[j] = j % 2 == 0 ? -100 : 100;
        }
        byte[] code = sq.encode(outside);
        for (int j = 0; j < 8; j++) {
            assertThat(Byte.toUnsignedInt(code[j])).isEqualTo(j % 2 == 0 ? 0 : 255);
        }
        assertThat(code[8]).isZero();
    }

    @Test
    void encodingManyRowsInChunksMatchesOneAtATime() {
        int dim = 384, n = 6000; // several critical calls of at most 2^20 values each
        float[][] rows = TestVectors.clustered(n, dim, 10, 8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vectors = TestVectors.offHeap(rows, arena);
            ScalarQuantizer sq = ScalarQuantizer.train(vectors, n, dim);
            MemorySegment codes = arena.allocate((long) n * dim);
            sq.encode(vectors, n, codes);
            for (int i = 0; i < n; i += 997) {
                assertThat(codes.asSlice((long) i * dim, dim).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                        .as("row %d", i).containsExactly(sq.encode(rows[i]));
            }
        }
    }

    @Test
    void onlyAllowedRowsAreScanned() {
        int n = 1000, dim = 32;
        float[][] rows = TestVectors.clustered(n, dim, 5, 6);
        MemorySegment vectors = DistanceKernelsTest.packed(rows);
        ScalarQuantizer sq = ScalarQuantizer.train(vectors, n, dim);
        MemorySegment codes = MemorySegment.ofArray(new byte[n * dim]);
        sq.encode(vectors, n, codes);
        long[] odd = new long[(n + 63) / 64];
        Arrays.fill(odd, 0xAAAAAAAAAAAAAAAAL); // odd rows; the last word's bits past n must be ignored
        float[] query = rows[10];
        Neighbors got = sq.topK(Space.L2, query, codes, n, 20, odd);
        assertThat(got.size()).isEqualTo(20);
        assertThat(Arrays.stream(got.ids()).allMatch(id -> id % 2 == 1 && id < n)).isTrue();
        Neighbors all = sq.topK(Space.L2, query, codes, n, n);
        long[] expected = Arrays.stream(all.ids()).filter(id -> id % 2 == 1).limit(20).toArray();
        assertThat(got.ids()).containsExactly(expected);
        // Few allowed rows: fewer results than k, nothing padded into the Java result.
        long[] three = new long[odd.length];
        three[0] = 0b1011;
        three[15] = 1L << 39; // row 999
        assertThat(sq.topK(Space.IP, query, codes, n, 10, three).ids()).containsExactlyInAnyOrder(0, 1, 3, 999);
        assertThat(sq.topK(Space.L2, query, codes, n, 10, new long[odd.length]).size()).isZero();
        assertThat(sq.topK(Space.L2, query, codes, 0, 10).size()).isZero();
    }

    @Test
    void badArgumentsAreErrorsNotCrashes() {
        float[][] rows = TestVectors.uniform(10, 4, 1);
        MemorySegment vectors = DistanceKernelsTest.packed(rows);
        float[] withInf = new float[40];
        withInf[5] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> ScalarQuantizer.train(MemorySegment.ofArray(withInf), 10, 4))
                .isInstanceOf(NativeException.class).hasMessageContaining("vector 1 has a non-finite value");
        assertThatThrownBy(() -> ScalarQuantizer.train(vectors, 0, 4))
                .isInstanceOf(NativeException.class).hasMessageContaining("at least one vector");
        ScalarQuantizer negative = new ScalarQuantizer(new float[4], new float[] {1, -1, 1, 1});
        MemorySegment codes = MemorySegment.ofArray(new byte[40]);
        assertThatThrownBy(() -> negative.encode(vectors, 10, codes))
                .isInstanceOf(NativeException.class).hasMessageContaining("scale >= 0");
        assertThatThrownBy(() -> negative.topK(Space.L2, rows[0], codes, 10, 3))
                .isInstanceOf(NativeException.class).hasMessageContaining("scale >= 0");
        ScalarQuantizer sq = ScalarQuantizer.train(vectors, 10, 4);
        assertThatThrownBy(() -> sq.topK(Space.L2, rows[0], codes, 11, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codes holds");
        assertThatThrownBy(() -> sq.topK(Space.L2, new float[3], codes, 10, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> sq.topK(Space.L2, rows[0], codes, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be positive");
        assertThatThrownBy(() -> sq.topK(Space.L2, rows[0], MemorySegment.ofArray(new byte[130 * 4]), 130, 3, new long[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowBits holds");
        // Raw calls with what the wrappers refuse: statuses, not crashes.
        MemorySegment min = MemorySegment.ofArray(sq.min());
        MemorySegment scale = MemorySegment.ofArray(sq.scale());
        MemorySegment ids = MemorySegment.ofArray(new long[4]);
        MemorySegment dists = MemorySegment.ofArray(new float[4]);
        MemorySegment found = MemorySegment.ofArray(new long[1]);
        MemorySegment query = MemorySegment.ofArray(rows[0]);
        assertThat(StrataNative.strata_sq8_topk(0, MemorySegment.NULL, 4, min, scale, codes, 10, MemorySegment.NULL, 4,
                ids, dists, found)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.lastError()).contains("query is null");
        assertThat(StrataNative.strata_sq8_topk(0, query, 4, min, scale, MemorySegment.NULL, 10, MemorySegment.NULL, 4,
                ids, dists, found)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.strata_sq8_topk(5, query, 4, min, scale, codes, 10, MemorySegment.NULL, 4, ids, dists,
                found)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.strata_sq8_topk(0, query, 4, min, scale, codes, 10, MemorySegment.NULL, 0, ids, dists,
                found)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.strata_sq8_topk(0, query, 4, MemorySegment.NULL, scale, codes, 10, MemorySegment.NULL, 4,
                ids, dists, found)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.strata_sq8_encode(vectors, 10, 4, min, scale, MemorySegment.NULL))
                .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        try (Arena arena = Arena.ofConfined()) { // a plain downcall: native memory only
            assertThat(StrataNative.strata_sq8_train(TestVectors.offHeap(rows, arena), 10, 4, MemorySegment.NULL,
                    MemorySegment.NULL)).isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        }
    }

    /** min + scale * code, as the kernels define it. */
    static float[] decode(ScalarQuantizer sq, byte[] code) {
        float[] out = new float[code.length];
        for (int j = 0; j < code.length; j++) {
            out[j] = sq.min()[j] + sq.scale()[j] * Byte.toUnsignedInt(code[j]);
        }
        return out;
    }
}
