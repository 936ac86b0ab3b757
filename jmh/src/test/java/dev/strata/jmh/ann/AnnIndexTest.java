package dev.strata.jmh.ann;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The adapters map ids and similarity alike, so a recall measured through them means the same for each library. */
class AnnIndexTest {
    static final int K = 10;
    static AnnDataset data;

    @BeforeAll
    static void generate() {
        data = AnnDataset.generate(5, 3000, 32, 50, K);
    }

    @AfterAll
    static void close() {
        data.close();
    }

    @Test
    void truthIsTheExactTopKByDotProduct() {
        for (int q = 0; q < 5; q++) {
            float[] query = data.queries()[q];
            double[] dots = new double[data.size()];
            for (int i = 0; i < data.size(); i++) {
                for (int j = 0; j < data.dim(); j++) {
                    dots[i] += (double) query[j] * data.vectors()[i][j];
                }
            }
            long[] truth = data.truth(q);
            assertThat(truth).hasSize(K).doesNotHaveDuplicates();
            double worstInTruth = Double.MAX_VALUE;
            for (long id : truth) {
                worstInTruth = Math.min(worstInTruth, dots[(int) id]);
            }
            for (int i = 0; i < data.size(); i++) {
                final int row = i;
                if (java.util.Arrays.stream(truth).noneMatch(id -> id == row)) {
                    assertThat(dots[i]).isLessThanOrEqualTo(worstInTruth + 1e-5);
                }
            }
        }
    }

    @Test
    void vectorsAreUnitLength() {
        for (float[] v : data.vectors()) {
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    @Test
    void recallCountsExactIdsInAnyOrder() {
        long[] truth = data.truth(0);
        long[] reversed = new long[truth.length];
        for (int i = 0; i < truth.length; i++) {
            reversed[i] = truth[truth.length - 1 - i];
        }
        assertThat(data.recall(0, reversed)).isEqualTo(1.0);
        assertThat(data.recall(0, java.util.Arrays.copyOf(truth, 3))).isEqualTo(0.3);
        assertThat(data.recall(0, new long[] {-1, -2})).isZero();
    }

    @Test
    void sameSeedSameVectors() {
        assertThat(new ClusteredVectors(9, 16).next(20)).isDeepEqualTo(new ClusteredVectors(9, 16).next(20));
        assertThat(new ClusteredVectors(9, 16).next(20)).isNotEqualTo(new ClusteredVectors(10, 16).next(20));
    }

    @ParameterizedTest
    @ValueSource(strings = {"strata", "lucene", "jvector", "clustered"})
    void eachEngineReachesTheTargetAndReturnsDataSetIds(String engine) {
        try (AnnIndex index = AnnIndex.build(engine, data, 8, 50)) {
            BreadthTuner.Choice choice = BreadthTuner.choose(index, data, K, 0.9);
            assertThat(choice.recall()).isGreaterThanOrEqualTo(0.9);
            index.setBreadth(choice.breadth());
            assertThat(BreadthTuner.recall(index, data, K)).isEqualTo(choice.recall());
            long[] ids = index.ids(index.search(0, K));
            assertThat(ids).hasSize(K).doesNotHaveDuplicates();
            assertThat(java.util.Arrays.stream(ids).allMatch(id -> id >= 0 && id < data.size())).isTrue();
            // The nearest is found first: the adapters keep each library's best-first order.
            assertThat(ids[0]).isEqualTo(data.truth(0)[0]);
        }
    }

    @Test
    void unknownEngineIsRefusedByName() {
        assertThatThrownBy(() -> AnnIndex.build("faiss", data, 8, 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faiss");
    }

    @Test
    void unreachableTargetFailsWithTheBestRecall() {
        try (AnnIndex index = AnnIndex.build("strata", data, 8, 50)) {
            assertThatThrownBy(() -> BreadthTuner.choose(index, data, K, 1.01))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not reached");
        }
    }
}
