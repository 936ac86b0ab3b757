package dev.strata.nativeio;

import java.lang.foreign.MemorySegment;
import org.roaringbitmap.RoaringBitmap;

/**
 * Makes the native calls of a node's first queries once, on a few tiny vectors: loading libstrata and linking each
 * downcall (the FFM linker spins a class per call shape) took 230-480 ms of a fresh JVM's first query.
 */
public final class NativeWarmup {

    private static final int DIM = 8;
    private static final int ROWS = 32;
    private static final int K = 4;

    private NativeWarmup() {}

    /** Distances and top-k in every space, the 8-bit codes and their scan, a small graph built and searched. */
    public static void run() {
        float[] rows = new float[ROWS * DIM];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) Math.sin(i * 0.7) + 1.5f; // deterministic, no two rows equal
        }
        float[] query = java.util.Arrays.copyOf(rows, DIM);
        MemorySegment vectors = MemorySegment.ofArray(rows);
        for (Space space : Space.values()) {
            DistanceKernels.topK(space, query, vectors, ROWS, K);
            DistanceKernels.distances(space, query, vectors, ROWS);
        }
        ScalarQuantizer quantizer = ScalarQuantizer.train(vectors, ROWS, DIM);
        byte[] codes = new byte[ROWS * DIM];
        quantizer.encode(vectors, ROWS, MemorySegment.ofArray(codes));
        quantizer.encodeUnit(vectors, ROWS, MemorySegment.ofArray(codes));
        quantizer.topK(Space.COSINE, query, MemorySegment.ofArray(codes), ROWS, K, new long[] {-1L});
        try (HnswIndex graph = HnswIndex.create(Space.COSINE, DIM)) {
            long[] labels = new long[ROWS];
            for (int i = 0; i < ROWS; i++) {
                labels[i] = i;
            }
            graph.add(labels, vectors);
            graph.search(query, K);
            graph.search(query, K, RoaringBitmap.bitmapOf(1, 2, 3, 5, 8, 13));
        }
    }
}
