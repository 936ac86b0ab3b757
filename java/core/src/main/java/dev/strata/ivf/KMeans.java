package dev.strata.ivf;

import dev.strata.platform.ThreadPriority;
import java.util.concurrent.ForkJoinPool;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Seeded k-means (k-means++ start, Lloyd iterations) over a bounded sample, with every distance computed
 * by the native SIMD kernels. Deterministic for a seed. For the cosine space, centroids are kept at unit
 * length (spherical k-means), so the kernel's 1 - cos ranks them as the search does.
 */
final class KMeans {

    /**
     * The parallel distance work of k-means (compaction and merges only) runs on workers of its own at maintenance
     * priority: in the common fork-join pool it would run at normal priority, ahead of the server's reads.
     */
    static final ForkJoinPool WORKERS = ThreadPriority.loweredPool("strata-kmeans",
            Runtime.getRuntime().availableProcessors(), ThreadPriority.MAINTENANCE);

    /** Lloyd iterations: clustering quality flattens after a handful, and each costs a pass over the sample. */
    static final int ITERATIONS = 8;
    /** Vectors sampled per centroid to train on, and the sample's cap: bounds the training's time and memory. */
    static final int SAMPLES_PER_CENTROID = 40;
    static final int MAX_SAMPLES = 25_000;

    private KMeans() {}

    /** k centroids (row-major, k x dim) trained on a sample of {@code vectors}; k is clipped to the vectors' count. */
    static float[] train(Space space, int dim, List<float[]> vectors, int k, long seed) {
        int n = vectors.size();
        k = Math.max(1, Math.min(k, n));
        SplittableRandom random = new SplittableRandom(seed);
        int sampleSize = Math.min(n, Math.min(MAX_SAMPLES, Math.max(k * SAMPLES_PER_CENTROID, k)));
        int[] picks = sample(n, sampleSize, random);
        float[] samples = new float[sampleSize * dim];
        for (int i = 0; i < sampleSize; i++) {
            System.arraycopy(vectors.get(picks[i]), 0, samples, i * dim, dim);
        }
        float[] centroids = seedPlusPlus(space, dim, samples, sampleSize, k, random);
        int[] assignment = new int[sampleSize];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            assign(space, dim, centroids, k, samples, sampleSize, assignment);
            centroids = update(space, dim, samples, sampleSize, assignment, k, centroids, random);
        }
        return centroids;
    }

    /** The nearest centroid of each vector (ties to the lower index). */
    static int[] assign(Space space, int dim, float[] centroids, int k, List<float[]> vectors) {
        MemorySegment c = MemorySegment.ofArray(centroids);
        return WORKERS.submit(() -> IntStream.range(0, vectors.size()).parallel()
                .map(i -> nearest(space, dim, c, k, MemorySegment.ofArray(vectors.get(i))))
                .toArray()).join();
    }

    private static void assign(Space space, int dim, float[] centroids, int k, float[] samples, int n, int[] out) {
        MemorySegment c = MemorySegment.ofArray(centroids);
        MemorySegment all = MemorySegment.ofArray(samples);
        WORKERS.submit(() -> IntStream.range(0, n).parallel().forEach(i ->
                out[i] = nearest(space, dim, c, k, all.asSlice((long) i * dim * Float.BYTES, (long) dim * Float.BYTES))))
                .join();
    }

    private static int nearest(Space space, int dim, MemorySegment centroids, int k, MemorySegment vector) {
        Neighbors n = DistanceKernels.topK(space, vector, centroids, k, dim, 1);
        return n.ids().length == 0 ? 0 : (int) n.ids()[0];
    }

    /** k-means++: each next centroid drawn with probability proportional to its distance from the chosen ones. */
    private static float[] seedPlusPlus(Space space, int dim, float[] samples, int n, int k, SplittableRandom random) {
        float[] centroids = new float[k * dim];
        int first = random.nextInt(n);
        System.arraycopy(samples, first * dim, centroids, 0, dim);
        float[] best = new float[n];
        java.util.Arrays.fill(best, Float.POSITIVE_INFINITY);
        float[] d = new float[n];
        MemorySegment all = MemorySegment.ofArray(samples);
        for (int c = 1; c < k; c++) {
            MemorySegment last = MemorySegment.ofArray(centroids).asSlice((long) (c - 1) * dim * Float.BYTES, (long) dim * Float.BYTES);
            DistanceKernels.distances(space, last, all, n, dim, MemorySegment.ofArray(d));
            double total = 0;
            for (int i = 0; i < n; i++) {
                // Distances in the ip and cosine spaces can be negative or near zero: weigh by the shifted value.
                float w = Math.max(0f, d[i]);
                if (w < best[i]) {
                    best[i] = w;
                }
                total += best[i];
            }
            int pick;
            if (total <= 0) {
                pick = random.nextInt(n);
            } else {
                double r = random.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    r -= best[i];
                    if (r <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            System.arraycopy(samples, pick * dim, centroids, c * dim, dim);
        }
        return centroids;
    }

    private static float[] update(Space space, int dim, float[] samples, int n, int[] assignment, int k, float[] previous,
            SplittableRandom random) {
        double[] sums = new double[k * dim];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            counts[c]++;
            int base = c * dim;
            int from = i * dim;
            for (int j = 0; j < dim; j++) {
                sums[base + j] += samples[from + j];
            }
        }
        float[] out = new float[k * dim];
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                // An empty cluster restarts at a random sample rather than staying a dead centroid.
                System.arraycopy(samples, random.nextInt(n) * dim, out, c * dim, dim);
                continue;
            }
            System.arraycopy(centre(space, sums, c * dim, dim, counts[c]), 0, out, c * dim, dim);
        }
        return out;
    }

    /**
     * The centroid of {@code count} vectors whose coordinates sum to {@code sums[from..from+dim)}: their mean, at unit
     * length in the cosine space (spherical k-means: there centroids are ranked by angle, as the search ranks them).
     */
    static float[] centre(Space space, double[] sums, int from, int dim, int count) {
        float[] out = new float[dim];
        double norm = 0;
        for (int j = 0; j < dim; j++) {
            double v = sums[from + j] / count;
            out[j] = (float) v;
            norm += v * v;
        }
        if (space == Space.COSINE && norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < dim; j++) {
                out[j] *= inv;
            }
        }
        return out;
    }

    private static int[] sample(int n, int size, SplittableRandom random) {
        if (size >= n) {
            return IntStream.range(0, n).toArray();
        }
        // Partial Fisher-Yates over the index range.
        int[] all = IntStream.range(0, n).toArray();
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, size);
    }
}
