package dev.strata.examples;

import dev.strata.nativeio.AllowList;
import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.HnswIndex;
import dev.strata.nativeio.Neighbors;
import dev.strata.nativeio.Space;
import dev.strata.nativeio.StrataNative;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

/**
 * scripts/demo: builds an HNSW index of random vectors in libstrata, queries it, and prints recall
 * against the brute-force kernel with timings. The vectors are random points around 100 random
 * centres (embeddings cluster; uniform noise in 128 dimensions has no meaningful neighbours).
 * Arguments: [vectors] [dim] [queries].
 */
public final class NativeDemo {
    private NativeDemo() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int nq = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int k = 10;
        Random random = new Random(2026);
        System.out.printf("libstrata %s, kernels: %s%n", StrataNative.version(), DistanceKernels.dispatch());

        try (Arena arena = Arena.ofConfined(); HnswIndex index = HnswIndex.create(Space.L2, dim, 16, 100, n, 100)) {
            float[][] centres = new float[100][dim];
            for (float[] c : centres) {
                for (int j = 0; j < dim; j++) {
                    c[j] = (float) random.nextGaussian();
                }
            }
            MemorySegment vectors = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * dim);
            for (int i = 0; i < n; i++) {
                float[] c = centres[random.nextInt(centres.length)];
                for (int j = 0; j < dim; j++) {
                    vectors.setAtIndex(ValueLayout.JAVA_FLOAT, (long) i * dim + j, c[j] + 0.4f * (float) random.nextGaussian());
                }
            }
            float[][] queries = new float[nq][dim];
            for (float[] q : queries) {
                float[] c = centres[random.nextInt(centres.length)];
                for (int j = 0; j < dim; j++) {
                    q[j] = c[j] + 0.4f * (float) random.nextGaussian();
                }
            }

            long t0 = System.nanoTime();
            index.add(LongStream.range(0, n).toArray(), vectors);
            long t1 = System.nanoTime();
            System.out.printf("built HNSW (l2, M=16, ef_construction=100) of %,d x %d in %.2f s (%,.0f vectors/s)%n",
                    n, dim, seconds(t0, t1), n / seconds(t0, t1));

            // One untimed pass so the timings below measure search, not JIT compilation.
            index.search(queries, k, AllowList.ALL);
            DistanceKernels.topK(Space.L2, queries[0], vectors, n, k);

            for (int ef : new int[] {10, 50, 100, 200}) {
                index.setEf(ef);
                long s0 = System.nanoTime();
                List<Neighbors> found = index.search(queries, k, AllowList.ALL);
                long s1 = System.nanoTime();
                double recall = 0;
                long b0 = System.nanoTime();
                for (int q = 0; q < nq; q++) {
                    recall += overlap(DistanceKernels.topK(Space.L2, queries[q], vectors, n, k).ids(), found.get(q).ids());
                }
                long b1 = System.nanoTime();
                System.out.printf("ef=%-3d recall@%d %.3f   hnsw %.1f us/query   brute force %.1f us/query%n", ef, k,
                        recall / nq / k, micros(s0, s1) / nq, micros(b0, b1) / nq);
            }

            long[] allowed = LongStream.range(0, n).filter(l -> l % 100 == 0).toArray();
            long f0 = System.nanoTime();
            Neighbors filtered = index.search(queries[0], k, allowed);
            long f1 = System.nanoTime();
            System.out.printf("filtered search (1%% of labels allowed): %s in %.1f us%n",
                    Arrays.toString(filtered.ids()), micros(f0, f1));
        }
    }

    private static double overlap(long[] truth, long[] found) {
        return Arrays.stream(found).filter(f -> Arrays.stream(truth).anyMatch(t -> t == f)).count();
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    private static double micros(long from, long to) {
        return (to - from) / 1e3;
    }
}
