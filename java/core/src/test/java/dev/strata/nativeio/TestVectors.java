package dev.strata.nativeio;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/** Test data and scalar reference distances. */
final class TestVectors {
    private TestVectors() {}

    /** n vectors around `clusters` random centres: realistic neighbourhoods for HNSW recall. */
    static float[][] clustered(int n, int dim, int clusters, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[random.nextInt(clusters)];
            for (int j = 0; j < dim; j++) {
                out[i][j] = c[j] + 0.35f * (float) random.nextGaussian();
            }
        }
        return out;
    }

    static float[][] uniform(int n, int dim, long seed) {
        Random random = new Random(seed);
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            for (int j = 0; j < dim; j++) {
                row[j] = random.nextFloat() * 2 - 1;
            }
        }
        return out;
    }

    static double reference(Space space, float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0, l2 = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            double d = (double) a[i] - b[i];
            l2 += d * d;
        }
        return switch (space) {
            case L2 -> l2;
            case IP -> 1 - dot;
            case COSINE -> na == 0 || nb == 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
        };
    }

    /** Exact k nearest row indexes among the allowed rows, by the reference distance. */
    static long[] exactTopK(Space space, float[] q, float[][] rows, int k, java.util.function.IntPredicate allowed) {
        double[] distance = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            distance[i] = allowed.test(i) ? reference(space, q, rows[i]) : Double.NaN;
        }
        return IntStream.range(0, rows.length).filter(i -> !Double.isNaN(distance[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> distance[i]))
                .limit(k).mapToLong(Integer::longValue).toArray();
    }

    static double recall(long[] truth, long[] found) {
        long[] sorted = found.clone();
        Arrays.sort(sorted);
        long hits = Arrays.stream(truth).filter(t -> Arrays.binarySearch(sorted, t) >= 0).count();
        return (double) hits / truth.length;
    }

    /**
     * The dispatch the library starts with: the CPU's best (it reads no environment). Probed
     * rather than read, because this class may first load inside a test that switched to scalar (it did,
     * in DistanceKernelsTest: every AVX2 case of the IVF tests then skipped).
     */
    static final Dispatch INITIAL_DISPATCH = startDispatch();

    private static Dispatch startDispatch() {
        Dispatch current = DistanceKernels.dispatch();
        try {
            DistanceKernels.useDispatch(Dispatch.AVX2);
            return Dispatch.AVX2;
        } catch (NativeException unsupported) {
            return Dispatch.SCALAR;
        } finally {
            DistanceKernels.useDispatch(current);
        }
    }

    /** Switches the kernels to dispatch for a test; skips the test when the CPU lacks it. Restore with INITIAL_DISPATCH. */
    static void useDispatch(Dispatch dispatch) {
        if (dispatch == Dispatch.AVX2) {
            org.assertj.core.api.Assumptions.assumeThat(INITIAL_DISPATCH).as("CPU has AVX2+FMA").isEqualTo(Dispatch.AVX2);
        }
        DistanceKernels.useDispatch(dispatch);
    }

    /** The rows scaled to unit length (cosine callers of the IVF kernels pass unit vectors). */
    static float[][] normalized(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double norm2 = 0;
            for (float x : rows[i]) {
                norm2 += (double) x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm2));
            out[i] = rows[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] *= inv;
            }
        }
        return out;
    }

    /** The rows packed row-major into native memory of arena (as block buffers are). */
    static java.lang.foreign.MemorySegment offHeap(float[][] rows, java.lang.foreign.Arena arena) {
        int dim = rows[0].length;
        java.lang.foreign.MemorySegment out = arena.allocate((long) rows.length * dim * Float.BYTES, 64);
        for (int i = 0; i < rows.length; i++) {
            java.lang.foreign.MemorySegment.copy(rows[i], 0, out, java.lang.foreign.ValueLayout.JAVA_FLOAT,
                    (long) i * dim * Float.BYTES, dim);
        }
        return out;
    }

    static long[] labels(int n) {
        return IntStream.range(0, n).mapToLong(i -> i).toArray();
    }
}
