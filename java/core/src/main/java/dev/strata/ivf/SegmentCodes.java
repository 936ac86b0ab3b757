package dev.strata.ivf;

import dev.strata.blockfile.BlockfileReader;
import dev.strata.blockfile.BlockfileWriter;
import dev.strata.blockfile.VectorEncoder;
import dev.strata.nativeio.ScalarQuantizer;
import dev.strata.nativeio.Space;
import dev.strata.storage.CorruptObjectException;
import java.util.List;

/**
 * The 8-bit scalar codes (SQ8) of one index segment: its quantizer (per dimension min and scale, trained on
 * every vector of the segment) and how vectors and queries are prepared for it. The quantizer is stored in the
 * segment's centroid file under the prefix {@value #PREFIX} (keys 0: min, 1: scale), so it loads with the
 * segment's head. The codes themselves are computed from the posting blocks' vectors when a block is decoded
 * ({@link #encoder}): stored, they cost a quarter of the vectors' bytes in the store, in every cold read and
 * in the disk tier, and buy nothing a decode cannot recompute in a fraction of a millisecond. Segments written
 * from 2026-12-05 to 2026-12-07 store each code next to its vector, and are read as they are. For the cosine
 * space the codes are those of the unit vector (the float vectors stay as given), so the code scan's
 * {@code 1 - q·v} ranks as cosine does.
 */
final class SegmentCodes {

    static final String PREFIX = "sq8";
    private static final long MIN_KEY = 0;
    private static final long SCALE_KEY = 1;
    /** Rows of the centroid file that hold the quantizer. */
    static final int CENTROID_ROWS = 2;

    private final ScalarQuantizer quantizer;

    SegmentCodes(ScalarQuantizer quantizer) {
        this.quantizer = quantizer;
    }

    /** Set through {@link ClusteredIndex#useCodes} (the STRATA_IVF_CODES setting). */
    private static volatile boolean enabled = true;

    /** Whether new segments are written with codes and searched through them. */
    static boolean enabledByDefault() {
        return enabled;
    }

    static void enable(boolean on) {
        enabled = on;
    }

    /** The quantizer spanning every (prepared) vector's range, dimension by dimension. */
    static SegmentCodes train(Space space, int dim, List<float[]> vectors) {
        float[] min = new float[dim];
        float[] max = new float[dim];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (float[] v : vectors) {
            float scale = scale(space, v); // prepared without a copy per vector
            for (int j = 0; j < dim; j++) {
                min[j] = Math.min(min[j], v[j] * scale);
                max[j] = Math.max(max[j], v[j] * scale);
            }
        }
        return new SegmentCodes(ScalarQuantizer.ofRange(min, max));
    }

    ScalarQuantizer quantizer() {
        return quantizer;
    }

    /** A vector's code. */
    byte[] encode(Space space, float[] vector) {
        float scale = scale(space, vector);
        if (scale == 1f) {
            return quantizer.encode(vector);
        }
        float[] p = PREPARED.get();
        if (p.length != vector.length) {
            p = new float[vector.length];
            PREPARED.set(p);
        }
        for (int j = 0; j < vector.length; j++) {
            p[j] = vector[j] * scale;
        }
        return quantizer.encode(p);
    }

    /** A writer encodes every vector of a segment: each prepared into the thread's one buffer, not a new array. */
    private static final ThreadLocal<float[]> PREPARED = ThreadLocal.withInitial(() -> new float[0]);

    /** What {@link #prepared} multiplies a vector by: the inverse of its norm under cosine, else 1. */
    private static float scale(Space space, float[] v) {
        if (space != Space.COSINE) {
            return 1f;
        }
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        return unitScale(norm);
    }

    /**
     * The factor that brings a vector of this squared norm to unit length (1 for a zero vector). The native
     * {@code strata_sq8_encode_unit} computes it the same way, so a derived code equals the stored one bit for bit.
     */
    private static float unitScale(double squaredNorm) {
        return squaredNorm == 0 ? 1f : (float) (1 / Math.sqrt(squaredNorm));
    }

    /** A query as the code scan takes it. */
    static float[] prepared(Space space, float[] v) {
        float scale = scale(space, v);
        if (scale == 1f) {
            return v;
        }
        float[] out = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = v[j] * scale;
        }
        return out;
    }

    void writeTo(BlockfileWriter<float[]> centroids) {
        centroids.set(PREFIX, MIN_KEY, quantizer.min());
        centroids.set(PREFIX, SCALE_KEY, quantizer.scale());
    }

    /**
     * How a posting block's codes are computed when it is decoded (segments that do not store them): the
     * quantizer's bulk encode in the native library, of the unit vectors under cosine
     * ({@link ScalarQuantizer#encodeUnit}: the same bits as {@link #encode} of a vector {@link #prepared} here).
     */
    VectorEncoder encoder(Space space) {
        if (space != Space.COSINE) {
            return (vectors, rows, dim, codes) -> quantizer.encode(vectors, rows, codes);
        }
        // Normalized in the native library: in Java the loop ran interpreted in a new node's first queries, the
        // largest part of their CPU in a profile of a cold read.
        return (vectors, rows, dim, codes) -> quantizer.encodeUnit(vectors, rows, codes);
    }

    /** Whether a segment's centroid file holds a quantizer (its blocks are loaded with the head). */
    static boolean isIn(BlockfileReader<float[]> centroids) {
        return centroids.contains(PREFIX, MIN_KEY);
    }

    /** The quantizer a segment's centroid file holds (its blocks are loaded with the head). */
    static SegmentCodes readFrom(BlockfileReader<float[]> centroids) {
        float[] min = centroids.get(PREFIX, MIN_KEY).orElseThrow(() -> missing(centroids));
        float[] scale = centroids.get(PREFIX, SCALE_KEY).orElseThrow(() -> missing(centroids));
        return new SegmentCodes(new ScalarQuantizer(min, scale));
    }

    private static CorruptObjectException missing(BlockfileReader<float[]> centroids) {
        return new CorruptObjectException(centroids.rootKey(), "index segment centroids " + centroids.rootKey()
                + " hold no quantizer, but its postings hold codes");
    }
}
