package dev.strata.ivf;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A thread's reusable buffer for packing vectors into contiguous rows for one kernel call. Balancing a segment's
 * clusters packs a cluster's members thousands of times: with a fresh array each time that was a quarter of all the
 * garbage a bulk load made (3 of 12 GB over a 100k ingest, JFR), and the young collections it forced paused queries.
 * The rows are valid until the same thread packs again.
 */
final class PackedRows {

    /** Buffers up to this many floats (4 MiB) are kept for the thread's next call; larger ones are not. */
    static final int MAX_KEPT_FLOATS = 1 << 20;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private PackedRows() {}

    /** The vectors {@code ids} of {@code vectors}, each {@code dim} floats, packed from row 0 of the returned array. */
    static float[] of(List<float[]> vectors, int[] ids, int dim) {
        int floats = Math.multiplyExact(ids.length, dim);
        float[] rows = SCRATCH.get();
        if (rows.length < floats) {
            rows = new float[floats];
            if (floats <= MAX_KEPT_FLOATS) {
                SCRATCH.set(rows);
            }
        }
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(vectors.get(ids[i]), 0, rows, i * dim, dim);
        }
        return rows;
    }

    /** The packed rows as a segment of exactly {@code rows * dim} floats. */
    static MemorySegment segment(float[] packed, int rows, int dim) {
        return MemorySegment.ofArray(packed).asSlice(0, (long) rows * dim * Float.BYTES);
    }
}
