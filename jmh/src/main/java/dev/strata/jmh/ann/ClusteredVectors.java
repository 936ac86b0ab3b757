package dev.strata.jmh.ann;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

/**
 * A stream of random points around a fixed set of random gaussian centres. Embeddings cluster, and
 * uniform noise in hundreds of dimensions has no meaningful neighbours (every graph search would
 * degrade towards a full scan), so every ANN benchmark draws its vectors and queries from here.
 * Deterministic for a seed: the same calls return the same vectors in every JVM.
 */
public final class ClusteredVectors {
    public static final int DEFAULT_CENTRES = 1000;
    public static final float DEFAULT_SPREAD = 0.4f;

    private final Random random;
    private final float[][] centres;
    private final float spread;

    public ClusteredVectors(long seed, int dim) {
        this(seed, dim, DEFAULT_CENTRES, DEFAULT_SPREAD);
    }

    public ClusteredVectors(long seed, int dim, int centreCount, float spread) {
        if (dim <= 0 || centreCount <= 0) {
            throw new IllegalArgumentException("dimension and centre count must be positive, got " + dim + " and " + centreCount);
        }
        this.random = new Random(seed);
        this.spread = spread;
        this.centres = new float[centreCount][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
    }

    public int dim() {
        return centres[0].length;
    }

    /** The next vector, written into out (length dim). */
    public void next(float[] out) {
        float[] c = centres[random.nextInt(centres.length)];
        for (int j = 0; j < c.length; j++) {
            out[j] = c[j] + spread * (float) random.nextGaussian();
        }
    }

    public float[][] next(int count) {
        float[][] rows = new float[count][dim()];
        for (float[] row : rows) {
            next(row);
        }
        return rows;
    }

    /** The next count vectors, row-major float32 into rows (which must hold count * dim floats). */
    public void fill(MemorySegment rows, int count) {
        int dim = dim();
        float[] row = new float[dim];
        for (int i = 0; i < count; i++) {
            next(row);
            MemorySegment.copy(row, 0, rows, ValueLayout.JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
        }
    }
}
