package dev.strata.nativeio;


import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * Exact distances of one query against n contiguous float32 vectors (row-major), in libstrata's
 * SIMD kernels. Segments may be off-heap or heap arrays (the calls are critical: no copy either way).
 */
public final class DistanceKernels {
    private DistanceKernels() {}

    /** Distances of query to each of the n vectors of dimension dim, written into out (n floats). */
    public static void distances(Space metric, MemorySegment query, MemorySegment vectors, long n, int dim,
            MemorySegment out) {
        checkRows(metric, query, vectors, n, dim);
        requireBytes(out, n * Float.BYTES, "out");
        NativeException.check(StrataNative.strata_distances(metric.code(), query, vectors, n, dim, out));
    }

    public static float[] distances(Space metric, float[] query, MemorySegment vectors, long n) {
        float[] out = new float[Math.toIntExact(n)];
        distances(metric, MemorySegment.ofArray(query), vectors, n, query.length, MemorySegment.ofArray(out));
        return out;
    }

    /** The k nearest of the n vectors, nearest first; ids are row indexes. */
    public static Neighbors topK(Space metric, MemorySegment query, MemorySegment vectors, long n, int dim, int k) {
        checkRows(metric, query, vectors, n, dim);
        checkK(k);
        long[] ids = new long[k];
        float[] distances = new float[k];
        long[] count = new long[1];
        NativeException.check(StrataNative.strata_topk(metric.code(), query, vectors, n, dim, k,
                MemorySegment.ofArray(ids), MemorySegment.ofArray(distances), MemorySegment.ofArray(count)));
        return trimmed(ids, distances, (int) count[0]);
    }

    public static Neighbors topK(Space metric, float[] query, MemorySegment vectors, long n, int k) {
        return topK(metric, MemorySegment.ofArray(query), vectors, n, query.length, k);
    }

    /** Distances of query to each row of an Arrow FixedSizeList&lt;float32&gt;, passed by C Data Interface. */
    public static float[] distances(Space metric, float[] query, FixedSizeListVector vectors) {
        checkMetric(metric);
        checkQuery(query, vectors.getListSize());
        try (Arena arena = Arena.ofConfined()) {
            ArrowBridge.Exported exported = ArrowBridge.export(vectors, arena);
            float[] out = new float[exported.rows()];
            NativeException.check(StrataNative.strata_distances_arrow(metric.code(), MemorySegment.ofArray(query),
                    query.length, exported.array(), exported.schema(), MemorySegment.ofArray(out)));
            return out;
        }
    }

    public static Neighbors topK(Space metric, float[] query, FixedSizeListVector vectors, int k) {
        checkMetric(metric);
        checkQuery(query, vectors.getListSize());
        checkK(k);
        try (Arena arena = Arena.ofConfined()) {
            ArrowBridge.Exported exported = ArrowBridge.export(vectors, arena);
            long[] ids = new long[k];
            float[] distances = new float[k];
            long[] count = new long[1];
            NativeException.check(StrataNative.strata_topk_arrow(metric.code(), MemorySegment.ofArray(query),
                    query.length, exported.array(), exported.schema(), k, MemorySegment.ofArray(ids),
                    MemorySegment.ofArray(distances), MemorySegment.ofArray(count)));
            return trimmed(ids, distances, (int) count[0]);
        }
    }

    /** The kernel implementation in use. */
    public static Dispatch dispatch() {
        int[] out = new int[1];
        NativeException.check(StrataNative.strata_get_dispatch(MemorySegment.ofArray(out)));
        return Dispatch.of(out[0]);
    }

    /** Forces an implementation for the whole process (tests, benchmarks); AVX2 fails on CPUs without it. */
    public static void useDispatch(Dispatch dispatch) {
        NativeException.check(StrataNative.strata_set_dispatch(dispatch.code()));
    }

    static Neighbors trimmed(long[] ids, float[] distances, int count) {
        return count == ids.length ? new Neighbors(ids, distances)
                : new Neighbors(Arrays.copyOf(ids, count), Arrays.copyOf(distances, count));
    }

    private static void checkMetric(Space metric) {
        if (metric == null) {
            throw new IllegalArgumentException("metric is null");
        }
    }

    private static void checkK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
    }

    private static void checkQuery(float[] query, int dim) {
        if (query == null || query.length != dim) {
            throw new IllegalArgumentException("query has dimension " + (query == null ? "null" : query.length)
                    + ", vectors have " + dim);
        }
    }

    private static void checkRows(Space metric, MemorySegment query, MemorySegment vectors, long n, int dim) {
        checkMetric(metric);
        if (dim <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
        if (n < 0) {
            throw new IllegalArgumentException("vector count must not be negative, got " + n);
        }
        requireBytes(query, (long) dim * Float.BYTES, "query");
        requireBytes(vectors, n * dim * Float.BYTES, "vectors");
    }

    static void requireBytes(MemorySegment segment, long bytes, String what) {
        if (segment == null || segment.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (segment.byteSize() < bytes) {
            throw new IllegalArgumentException(what + " holds " + segment.byteSize() + " bytes, needs " + bytes);
        }
    }
}
