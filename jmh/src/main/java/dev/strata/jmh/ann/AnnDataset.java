package dev.strata.jmh.ann;

import dev.strata.nativeio.DistanceKernels;
import dev.strata.nativeio.Space;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The vectors and queries every engine of a comparison sees: clustered, normalized to unit length
 * (so dot product, Lucene's DOT_PRODUCT, JVector's DOT_PRODUCT and Strata's ip rank alike), with
 * the exact top-k of each query as the ground truth. Row i of the vectors has id i in every engine.
 * The rows are also kept off-heap, the form Strata's index is fed from.
 */
public final class AnnDataset implements AutoCloseable {
    private final int dim;
    private final float[][] vectors;
    private final float[][] queries;
    private final long[][] truth;
    private final Arena arena;
    private final MemorySegment rows;

    private AnnDataset(float[][] vectors, float[][] queries, int k) {
        this.dim = vectors[0].length;
        this.vectors = vectors;
        this.queries = queries;
        this.arena = Arena.ofShared();
        this.rows = arena.allocate(ValueLayout.JAVA_FLOAT, (long) vectors.length * dim);
        for (int i = 0; i < vectors.length; i++) {
            MemorySegment.copy(vectors[i], 0, rows, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
        }
        this.truth = new long[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            // A full scan is exact; ip distance 1 - dot orders unit vectors as the dot product does.
            truth[q] = DistanceKernels.topK(Space.IP, queries[q], rows, vectors.length, k).ids();
        }
    }

    /** size unit vectors and queryCount unit queries drawn from the same clusters, with the exact top-k. */
    public static AnnDataset generate(long seed, int size, int dim, int queryCount, int k) {
        if (size < k || queryCount <= 0) {
            throw new IllegalArgumentException("need at least k=" + k + " vectors and one query, got " + size + " and " + queryCount);
        }
        ClusteredVectors generator = new ClusteredVectors(seed, dim);
        float[][] vectors = normalized(generator.next(size));
        float[][] queries = normalized(generator.next(queryCount));
        return new AnnDataset(vectors, queries, k);
    }

    public int dim() {
        return dim;
    }

    public int size() {
        return vectors.length;
    }

    /** Row i is vector id i; callers must not modify them. */
    public float[][] vectors() {
        return vectors;
    }

    public float[][] queries() {
        return queries;
    }

    /** The vectors row-major in native memory, valid until close. */
    public MemorySegment rows() {
        return rows;
    }

    /** Exact nearest ids of query q, nearest first (k of them). */
    public long[] truth(int q) {
        return truth[q];
    }

    /** The fraction of the exact top-k of query q found in found (ids in any order). */
    public double recall(int q, long[] found) {
        long[] exact = truth[q];
        int hits = 0;
        for (long id : exact) {
            for (long f : found) {
                if (f == id) {
                    hits++;
                    break;
                }
            }
        }
        return (double) hits / exact.length;
    }

    @Override
    public void close() {
        arena.close();
    }

    private static float[][] normalized(float[][] rows) {
        for (float[] row : rows) {
            double norm = 0;
            for (float x : row) {
                norm += (double) x * x;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < row.length; j++) {
                row[j] *= scale;
            }
        }
        return rows;
    }
}
