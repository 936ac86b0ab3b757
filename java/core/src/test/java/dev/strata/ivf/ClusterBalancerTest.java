package dev.strata.ivf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.nativeio.Space;
import dev.strata.storage.BlockCache;
import dev.strata.storage.LocalObjectStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class ClusterBalancerTest {

    static final int DIM = 16;

    @TempDir
    Path dir;

    /** {@code count} points around {@code centre} with spread {@code sigma}. */
    static void blob(List<float[]> out, float[] centre, int count, double sigma, Random r) {
        for (int i = 0; i < count; i++) {
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = centre[j] + (float) (r.nextGaussian() * sigma);
            }
            out.add(v);
        }
    }

    static float[] at(float value) {
        float[] c = new float[DIM];
        Arrays.fill(c, value);
        return c;
    }

    static int[] sizes(ClusterBalancer.Clustering c) {
        int[] sizes = new int[c.clusters(DIM)];
        for (int a : c.assignment()) {
            sizes[a]++;
        }
        return sizes;
    }

    static double meanDistance(Space space, List<float[]> vectors, float[] centroids, int[] assignment) {
        double sum = 0;
        for (int i = 0; i < vectors.size(); i++) {
            float[] c = Arrays.copyOfRange(centroids, assignment[i] * DIM, (assignment[i] + 1) * DIM);
            sum += ClusteredIndexTest.dist(space, vectors.get(i), c);
        }
        return sum / vectors.size();
    }

    /** A large cluster (a dense region k-means gave one centroid) and a cluster of three outliers. */
    @Test
    void aLargeClusterIsSplitUnderTheBoundAndATinyOneIsMergedIntoItsNeighbours() {
        for (Space space : new Space[] {Space.L2, Space.COSINE}) {
            Random r = new Random(7);
            List<float[]> vectors = new ArrayList<>();
            blob(vectors, at(1), 1000, 0.5, r);
            blob(vectors, at(-1), 120, 0.5, r);
            blob(vectors, at(3), 3, 0.1, r);
            float[] centroids = new float[3 * DIM];
            System.arraycopy(at(1), 0, centroids, 0, DIM);
            System.arraycopy(at(-1), 0, centroids, DIM, DIM);
            System.arraycopy(at(3), 0, centroids, 2 * DIM, DIM);
            int[] assignment = new int[vectors.size()];
            for (int i = 1000; i < 1120; i++) {
                assignment[i] = 1;
            }
            for (int i = 1120; i < 1123; i++) {
                assignment[i] = 2;
            }
            IvfParams params = new IvfParams(space, DIM, 100, 8, 50, 150, 4);

            ClusterBalancer.Clustering out = ClusterBalancer.balance(params, vectors, centroids, assignment, 1);

            int[] sizes = sizes(out);
            assertThat(Arrays.stream(sizes).sum()).isEqualTo(vectors.size());
            assertThat(Arrays.stream(sizes).boxed().toList()).as("no cluster over the bound, no empty cluster, in %s", space).allMatch(s -> s >= 1 && s <= 150);
            assertThat(sizes.length).isGreaterThanOrEqualTo(1123 / 150 + 1);
            // The three outliers no longer form a cluster of their own: they joined a cluster of at least the lower bound.
            for (int i = 1120; i < 1123; i++) {
                assertThat(sizes[out.assignment()[i]]).isGreaterThanOrEqualTo(50);
            }
            // No vector of the large cluster ends in the cluster of the 120 (they were far apart, and reassignment
            // moves a vector only to a nearer centroid).
            int small = out.assignment()[1000];
            for (int i = 0; i < 1000; i++) {
                assertThat(out.assignment()[i]).isNotEqualTo(small);
            }
            if (space == Space.L2) {
                assertThat(meanDistance(space, vectors, out.centroids(), out.assignment()))
                        .as("the splits cut the distance of vectors to their centroid")
                        .isLessThan(meanDistance(space, vectors, centroids, assignment));
            }
        }
    }

    @Test
    void clustersWithinTheBoundsKeepTheirMembers() {
        Random r = new Random(3);
        List<float[]> vectors = new ArrayList<>();
        blob(vectors, at(1), 80, 0.3, r);
        blob(vectors, at(-1), 120, 0.3, r);
        float[] centroids = new float[2 * DIM];
        System.arraycopy(at(1), 0, centroids, 0, DIM);
        System.arraycopy(at(-1), 0, centroids, DIM, DIM);
        int[] assignment = new int[200];
        Arrays.fill(assignment, 80, 200, 1);

        ClusterBalancer.Clustering out = ClusterBalancer.balance(new IvfParams(Space.L2, DIM, 100, 8, 50, 150, 4),
                vectors, centroids, assignment, 1);

        assertThat(out.assignment()).containsExactly(assignment);
        // Each centroid is now its members' mean.
        assertThat(out.centroids()[0]).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.1f));
        assertThat(out.centroids()[DIM]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(0.1f));
    }

    @Test
    void innerProductClustersAreLeftAsKMeansMadeThem() {
        List<float[]> vectors = new ArrayList<>();
        blob(vectors, at(1), 400, 0.3, new Random(1));
        int[] assignment = new int[400];
        ClusterBalancer.Clustering out = ClusterBalancer.balance(new IvfParams(Space.IP, DIM, 60, 8, 40, 100, 8),
                vectors, at(1), assignment, 1);
        assertThat(out.assignment()).containsExactly(assignment);
    }

    @Test
    void equalVectorsAreStillSplitUnderTheBound() {
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            vectors.add(at(2));
        }
        ClusterBalancer.Clustering out = ClusterBalancer.balance(new IvfParams(Space.L2, DIM, 60, 8, 40, 100, 8),
                vectors, at(2), new int[500], 1);

        assertThat(Arrays.stream(sizes(out)).boxed().toList()).allMatch(s -> s >= 1 && s <= 100);
        assertThat(Arrays.stream(sizes(out)).sum()).isEqualTo(500);
    }

    @Test
    void theSameSeedGivesTheSameClustering() {
        Random r = new Random(11);
        List<float[]> vectors = new ArrayList<>();
        blob(vectors, at(0), 2000, 1.0, r);
        float[] centroids = KMeans.train(Space.L2, DIM, vectors, 4, 5);
        int[] assignment = KMeans.assign(Space.L2, DIM, centroids, 4, vectors);
        IvfParams params = new IvfParams(Space.L2, DIM, 100, 8, 60, 140, 16);

        ClusterBalancer.Clustering a = ClusterBalancer.balance(params, vectors, centroids, assignment, 9);
        ClusterBalancer.Clustering b = ClusterBalancer.balance(params, vectors, centroids, assignment, 9);

        assertThat(a.assignment()).containsExactly(b.assignment());
        assertThat(a.centroids()).containsExactly(b.centroids());
        assertThat(Arrays.stream(sizes(a)).boxed().toList()).allMatch(s -> s <= 140);
    }

    /** Through the segment writer: every written cluster is within the upper bound, and the index still finds. */
    @Test
    void aWrittenSegmentsClustersAreWithinTheBoundAndSearchKeepsItsRecall() {
        try (BlockCache cache = new BlockCache(new LocalObjectStore(dir), 64L << 20)) {
            IvfParams params = new IvfParams(Space.L2, ClusteredIndexTest.DIM, 64, 16);
            Map<Integer, float[]> vectors = ClusteredIndexTest.clustered(0, 6000, 5);
            IndexUpdate.Result result = new IndexUpdate(cache, "c/test/", 64 << 10, params)
                    .apply(null, RoaringBitmap.bitmapOfRange(0, 6000), vectors, new RoaringBitmap(), 1);
            ClusterSegment segment = ClusterSegment.open(cache, result.segments().getFirst(), params.space(), ClusteredIndexTest.DIM);
            int total = 0;
            for (int c = 0; c < segment.clusterCount(); c++) {
                assertThat(segment.clusterSize(c)).isBetween(1, params.maxCluster());
                total += segment.clusterSize(c);
            }
            assertThat(total).isEqualTo(6000);

            ClusteredIndex index = ClusteredIndex.open(cache, params, result.segments(), RoaringBitmap.bitmapOfRange(0, 6000));
            Random r = new Random(2);
            double recall = 0;
            for (int q = 0; q < 30; q++) {
                float[] query = vectors.get(r.nextInt(6000)).clone();
                query[0] += 0.5f;
                int[] expected = ClusteredIndexTest.exactTop(Space.L2, query, vectors, null, 10);
                recall += ClusteredIndexTest.recall(expected, index.nearest(query, 10, null).offsets());
            }
            assertThat(recall / 30).isGreaterThanOrEqualTo(0.95);
        }
    }
}
