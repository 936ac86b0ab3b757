package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** k-means and nearest-centroid assignment against brute force and known clusters, on both dispatch paths. */
class KMeansTest {
    @AfterEach
    void restoreDispatch() {
        DistanceKernels.useDispatch(TestVectors.INITIAL_DISPATCH);
    }

    static Stream<Arguments> dispatchAndSpace() {
        return Stream.of(Dispatch.values()).flatMap(d -> Stream.of(Space.values()).map(s -> Arguments.of(d, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dispatchAndSpace")
    void recoversWellSeparatedClusters(Dispatch dispatch, Space space) {
        TestVectors.useDispatch(dispatch);
        int clusters = 12, perCluster = 150, dim = 24;
        Random random = new Random(7);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian() * 10;
            }
        }
        int[] truth = new int[clusters * perCluster];
        float[][] rows = new float[truth.length][dim];
        for (int i = 0; i < rows.length; i++) {
            truth[i] = random.nextInt(clusters);
            for (int j = 0; j < dim; j++) {
                rows[i][j] = centres[truth[i]][j] + 0.2f * (float) random.nextGaussian();
            }
        }
        if (space == Space.COSINE) {
            rows = TestVectors.normalized(rows);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment assign = arena.allocate(ValueLayout.JAVA_INT, rows.length);
            float[] centroids = KMeans.train(space, TestVectors.offHeap(rows, arena), rows.length, dim, clusters, 25, 42,
                    assign);
            // Each true cluster lands in exactly one centroid, and no two true clusters share one.
            int[] centroidOf = new int[clusters];
            Arrays.fill(centroidOf, -1);
            for (int i = 0; i < rows.length; i++) {
                int c = assign.getAtIndex(ValueLayout.JAVA_INT, i);
                assertThat(centroidOf[truth[i]] == -1 || centroidOf[truth[i]] == c).as("vector %d", i).isTrue();
                centroidOf[truth[i]] = c;
            }
            assertThat(Arrays.stream(centroidOf).distinct().count()).isEqualTo(clusters);
            // The returned assignment is the nearest centroid under the returned centroids.
            KMeans.Assignment check = KMeans.assign(Space.L2, TestVectors.offHeap(rows, arena), rows.length, dim,
                    centroids, 1);
            for (int i = 0; i < rows.length; i++) {
                assertThat(check.id(i, 0)).isEqualTo(assign.getAtIndex(ValueLayout.JAVA_INT, i));
            }
            if (space == Space.COSINE) {
                for (int c = 0; c < clusters; c++) {
                    float[] centroid = Arrays.copyOfRange(centroids, c * dim, (c + 1) * dim);
                    assertThat(TestVectors.reference(Space.IP, centroid, centroid)).isCloseTo(0, Offset.offset(1e-4));
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameCentroids() {
        float[][] rows = TestVectors.clustered(3000, 16, 20, 3);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vectors = TestVectors.offHeap(rows, arena);
            float[] first = KMeans.train(Space.L2, vectors, rows.length, 16, 40, 10, 99);
            float[] second = KMeans.train(Space.L2, vectors, rows.length, 16, 40, 10, 99);
            assertThat(second).containsExactly(first);
            // Heap input (copied off-heap for the call) gives the same result as off-heap input.
            float[] fromHeap = KMeans.train(Space.L2, DistanceKernelsTest.packed(rows), rows.length, 16, 40, 10, 99);
            assertThat(fromHeap).containsExactly(first);
        }
    }

    static Stream<Arguments> assignCases() {
        // (n, k, dim): the first are small enough for the critical path, the last runs as a plain downcall on threads.
        return dispatchAndSpace().flatMap(a -> Stream.of(new int[] {300, 37, 17}, new int[] {200, 5, 3},
                new int[] {3000, 150, 64}).map(c -> Arguments.of(a.get()[0], a.get()[1], c[0], c[1], c[2])));
    }

    @ParameterizedTest(name = "{0} {1} n {2} k {3} dim {4}")
    @MethodSource("assignCases")
    void assignMatchesBruteForce(Dispatch dispatch, Space space, int n, int k, int dim) {
        TestVectors.useDispatch(dispatch);
        float[][] rows = TestVectors.uniform(n, dim, n + dim);
        float[][] centres = TestVectors.uniform(k, dim, -k);
        if (space == Space.COSINE) {
            rows = TestVectors.normalized(rows);
            centres = TestVectors.normalized(centres);
        }
        float[] centroids = new float[k * dim];
        for (int c = 0; c < k; c++) {
            System.arraycopy(centres[c], 0, centroids, c * dim, dim);
        }
        int nearest = 3;
        KMeans.Assignment got;
        try (Arena arena = Arena.ofConfined()) {
            got = KMeans.assign(space, TestVectors.offHeap(rows, arena), n, dim, centroids, nearest);
        }
        Space reference = space == Space.COSINE ? Space.IP : space; // unit vectors: cosine distance = 1 - dot
        for (int i = 0; i < n; i++) {
            float[] row = rows[i];
            float[][] cs = centres;
            int[] expected = IntStream.range(0, k).boxed()
                    .sorted(Comparator.comparingDouble(c -> TestVectors.reference(reference, row, cs[c])))
                    .limit(nearest).mapToInt(Integer::intValue).toArray();
            for (int j = 0; j < nearest; j++) {
                double exact = TestVectors.reference(reference, row, cs[got.id(i, j)]);
                assertThat((double) got.distance(i, j)).as("row %d rank %d", i, j)
                        .isCloseTo(exact, Offset.offset(1e-4 * Math.max(1, Math.abs(exact))));
                double expectedDistance = TestVectors.reference(reference, row, cs[expected[j]]);
                // Same centroid, or a tie within float rounding.
                assertThat(exact).as("row %d rank %d", i, j)
                        .isCloseTo(expectedDistance, Offset.offset(1e-5 * Math.max(1, Math.abs(expectedDistance))));
            }
            assertThat(got.distance(i, 0)).isLessThanOrEqualTo(got.distance(i, 1));
            assertThat(got.distance(i, 1)).isLessThanOrEqualTo(got.distance(i, 2));
        }
    }

    @Test
    void probeGivesTheNearestCentroidsAndPadsPastK() {
        float[] centroids = {0, 0, 10, 0, 0, 10};
        Neighbors probe = KMeans.probe(Space.L2, new float[] {9, 1}, centroids, 5);
        assertThat(probe.ids()).containsExactly(1, 0, 2);
        assertThat(probe.distances()).containsExactly(2f, 82f, 162f);
        KMeans.Assignment padded = KMeans.assign(Space.L2, MemorySegment.ofArray(new float[] {9, 1}), 1, 2, centroids, 5);
        assertThat(padded.ids()).containsExactly(1, 0, 2, -1, -1);
        assertThat(padded.distance(0, 4)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void fewerVectorsThanCentroidsMakesEachVectorACentroid() {
        float[][] rows = TestVectors.uniform(3, 4, 5);
        MemorySegment assign = MemorySegment.ofArray(new int[3]);
        float[] centroids = KMeans.train(Space.L2, DistanceKernelsTest.packed(rows), 3, 4, 5, 10, 1, assign);
        for (int c = 0; c < 5; c++) {
            assertThat(Arrays.copyOfRange(centroids, c * 4, c * 4 + 4)).containsExactly(rows[c % 3]);
        }
        assertThat(assign.toArray(ValueLayout.JAVA_INT)).containsExactly(0, 1, 2);
        // The copies tie with their originals and lose: nothing is assigned to them.
        KMeans.Assignment a = KMeans.assign(Space.L2, DistanceKernelsTest.packed(rows), 3, 4, centroids, 1);
        assertThat(a.ids()).containsExactly(0, 1, 2);
    }

    @ParameterizedTest
    @EnumSource(Space.class)
    void duplicatePointsLeaveNoCentroidBehind(Space space) {
        // 400 vectors but only 6 distinct ones, k = 10: seeding and Lloyd meet coinciding points and empty clusters.
        float[][] distinct = TestVectors.normalized(TestVectors.uniform(6, 8, 2));
        float[][] rows = new float[400][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = distinct[i % 6];
        }
        MemorySegment assign = MemorySegment.ofArray(new int[rows.length]);
        float[] centroids = KMeans.train(space, DistanceKernelsTest.packed(rows), rows.length, 8, 10, 20, 5, assign);
        for (float x : centroids) {
            assertThat(Float.isFinite(x)).isTrue();
        }
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < rows.length; i++) {
            int c = assign.getAtIndex(ValueLayout.JAVA_INT, i);
            used.add(c);
            float[] centroid = Arrays.copyOfRange(centroids, c * 8, c * 8 + 8);
            assertThat(TestVectors.reference(Space.L2, rows[i], centroid)).isCloseTo(0, Offset.offset(1e-6));
        }
        assertThat(used).hasSize(6);
    }

    @Test
    void badArgumentsAreErrorsNotCrashes() {
        MemorySegment vectors = DistanceKernelsTest.packed(TestVectors.uniform(10, 4, 1));
        assertThatThrownBy(() -> KMeans.train(Space.L2, vectors, 0, 4, 3, 5, 1))
                .isInstanceOf(NativeException.class).hasMessageContaining("at least one vector")
                .extracting(e -> ((NativeException) e).status()).isEqualTo(NativeStatus.INVALID_ARGUMENT);
        assertThatThrownBy(() -> KMeans.train(Space.L2, vectors, 10, 4, 3, -1, 1))
                .isInstanceOf(NativeException.class).hasMessageContaining("iterations");
        float[] withNaN = new float[40];
        withNaN[17] = Float.NaN;
        assertThatThrownBy(() -> KMeans.train(Space.L2, MemorySegment.ofArray(withNaN), 10, 4, 3, 5, 1))
                .isInstanceOf(NativeException.class).hasMessageContaining("vector 4 has a non-finite value");
        assertThatThrownBy(() -> KMeans.train(Space.L2, vectors, 11, 4, 3, 5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vectors holds");
        assertThatThrownBy(() -> KMeans.assign(Space.L2, vectors, 10, 4, new float[6], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("centroids must hold");
        assertThatThrownBy(() -> KMeans.assign(Space.L2, vectors, 10, 4, new float[8], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearest must be positive");
        // Raw calls with what the wrappers refuse: statuses, not crashes.
        MemorySegment out = MemorySegment.ofArray(new float[64]);
        MemorySegment ids = MemorySegment.ofArray(new int[64]);
        try (Arena arena = Arena.ofConfined()) { // plain downcalls: native memory only
            MemorySegment offHeap = TestVectors.offHeap(TestVectors.uniform(10, 4, 1), arena);
            MemorySegment centroids = arena.allocate(64 * Float.BYTES);
            assertThat(StrataNative.strata_kmeans(0, MemorySegment.NULL, 10, 4, 3, 5, 1, centroids, MemorySegment.NULL))
                    .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
            assertThat(StrataNative.lastError()).contains("vector is null");
            assertThat(StrataNative.strata_kmeans(7, offHeap, 10, 4, 3, 5, 1, centroids, MemorySegment.NULL))
                    .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
            assertThat(StrataNative.strata_kmeans(0, offHeap, 10, 4, 0, 5, 1, centroids, MemorySegment.NULL))
                    .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
            assertThat(StrataNative.strata_kmeans(0, offHeap, 10, 4, 3, 5, 1, MemorySegment.NULL, MemorySegment.NULL))
                    .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        }
        assertThat(StrataNative.strata_assign_critical(0, vectors, 10, 4, MemorySegment.NULL, 2, 1, ids, out))
                .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.strata_assign_critical(0, vectors, 10, 4, out, 2, 1, MemorySegment.NULL, out))
                .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
        assertThat(StrataNative.strata_assign_critical(0, vectors, 10, 0, out, 2, 1, ids, out))
                .isEqualTo(StrataNative.STRATA_ERR_INVALID_ARGUMENT);
    }
}
