package dev.strata.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * 8-bit scalar quantization (SQ8) per dimension, in libstrata: {@code code = round((v - min) / scale)}
 * clamped to 0..255, decoded as {@code min + scale * code}. A code row is dim bytes (a quarter of the
 * float row). {@link #topK} scores a query against code rows without decoding them: the distances are
 * those between the query and the decoded rows, an approximation of the exact ones (per dimension the
 * decoded value is within scale / 2 of the original inside the trained range), so callers take a few
 * times k candidates and rerank them with exact distances. See docs/native.md for measured errors.
 *
 * @param min   per dimension, the trained minimum
 * @param scale per dimension, (max - min) / 255 (0 for a constant dimension)
 */
public record ScalarQuantizer(float[] min, float[] scale) {
    /** Rows per critical encode call (about a millisecond of work at dim 384). */
    private static final long ENCODE_VALUES_PER_CALL = 1L << 20;

    public ScalarQuantizer {
        if (min == null || scale == null || min.length == 0 || min.length != scale.length) {
            throw new IllegalArgumentException("min and scale must be non-empty and of one length");
        }
    }

    public int dim() {
        return min.length;
    }

    /** Trains on n vectors of dimension dim (each dimension's min and max; non-finite values are refused). */
    public static ScalarQuantizer train(MemorySegment vectors, long n, int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
        if (n < 0) {
            throw new IllegalArgumentException("vector count must not be negative, got " + n);
        }
        DistanceKernels.requireBytes(vectors, n * dim * Float.BYTES, "vectors");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment min = arena.allocate(ValueLayout.JAVA_FLOAT, dim);
            MemorySegment scale = arena.allocate(ValueLayout.JAVA_FLOAT, dim);
            NativeException.check(StrataNative.strata_sq8_train(KMeans.offHeap(vectors, n * dim * Float.BYTES, arena), n,
                    dim, min, scale));
            return new ScalarQuantizer(min.toArray(ValueLayout.JAVA_FLOAT), scale.toArray(ValueLayout.JAVA_FLOAT));
        }
    }

    /**
     * The quantizer of per-dimension ranges found by the caller (e.g. streamed over more vectors than fit one
     * segment): the same min and scale {@link #train} computes for vectors spanning exactly these ranges.
     */
    public static ScalarQuantizer ofRange(float[] min, float[] max) {
        if (min == null || max == null || min.length != max.length) {
            throw new IllegalArgumentException("min and max must be of one length");
        }
        float[] scale = new float[min.length];
        for (int j = 0; j < min.length; j++) {
            if (!Float.isFinite(min[j]) || !Float.isFinite(max[j]) || max[j] < min[j]) {
                throw new IllegalArgumentException("dimension " + j + " has range " + min[j] + " .. " + max[j]);
            }
            float s = (float) (((double) max[j] - min[j]) / 255.0);
            scale[j] = Float.isFinite(s) ? s : Float.MAX_VALUE / 255.0f;
        }
        return new ScalarQuantizer(min.clone(), scale);
    }

    /** Encodes n vectors into outCodes (n * dim bytes, row-major). Either segment may be on or off the heap. */
    public void encode(MemorySegment vectors, long n, MemorySegment outCodes) {
        encode(vectors, n, outCodes, false);
    }

    /**
     * Encodes n vectors brought to unit length (the cosine space's codes) into outCodes, leaving the vectors as
     * they are. Bit for bit the codes of {@link #encode(float[])} over each row multiplied by
     * {@code (float) (1 / Math.sqrt(sum of (double) x * x))} (1 for a zero row), the normalization done in the
     * native library.
     */
    public void encodeUnit(MemorySegment vectors, long n, MemorySegment outCodes) {
        encode(vectors, n, outCodes, true);
    }

    private void encode(MemorySegment vectors, long n, MemorySegment outCodes, boolean unit) {
        int dim = dim();
        if (n < 0) {
            throw new IllegalArgumentException("vector count must not be negative, got " + n);
        }
        DistanceKernels.requireBytes(vectors, n * dim * Float.BYTES, "vectors");
        DistanceKernels.requireBytes(outCodes, n * dim, "outCodes");
        MemorySegment minSegment = MemorySegment.ofArray(min);
        MemorySegment scaleSegment = MemorySegment.ofArray(scale);
        long rowsPerCall = Math.max(1, ENCODE_VALUES_PER_CALL / dim);
        long row = 0;
        do { // at least one call, so a bad quantizer fails even for n = 0
            long rows = Math.min(rowsPerCall, n - row);
            MemorySegment in = vectors.asSlice(row * dim * Float.BYTES, rows * dim * Float.BYTES);
            MemorySegment out = outCodes.asSlice(row * dim, rows * dim);
            NativeException.check(unit
                    ? StrataNative.strata_sq8_encode_unit(in, rows, dim, minSegment, scaleSegment, out)
                    : StrataNative.strata_sq8_encode(in, rows, dim, minSegment, scaleSegment, out));
            row += rows;
        } while (row < n);
    }

    /** One vector's code. */
    public byte[] encode(float[] vector) {
        checkQuery(vector);
        byte[] code = new byte[dim()];
        encode(MemorySegment.ofArray(vector), 1, MemorySegment.ofArray(code));
        return code;
    }

    /** The k nearest of n code rows to query (approximate distances, nearest first; row indexes as ids). */
    public Neighbors topK(Space metric, float[] query, MemorySegment codes, long n, int k) {
        return topK(metric, query, codes, n, k, MemorySegment.NULL);
    }

    /** The same over the rows whose bit is set in allowBits ((n + 63) / 64 words; bit i % 64 of word i / 64). */
    public Neighbors topK(Space metric, float[] query, MemorySegment codes, long n, int k, long[] allowBits) {
        if (allowBits == null) {
            throw new IllegalArgumentException("allowBits is null");
        }
        return topK(metric, query, codes, n, k, MemorySegment.ofArray(allowBits));
    }

    /** The same with the bitset in a segment; {@link MemorySegment#NULL} scans every row. */
    public Neighbors topK(Space metric, float[] query, MemorySegment codes, long n, int k, MemorySegment allowBits) {
        checkK(k);
        long[] ids = new long[k];
        float[] distances = new float[k];
        int found = topK(metric, query, codes, n, k, allowBits, ids, distances);
        return DistanceKernels.trimmed(ids, distances, found);
    }

    /**
     * As {@link #topK(Space, float[], MemorySegment, long, int, MemorySegment)} into the caller's arrays (at
     * least k long each, reused across the calls of a scan): returns how many rows were found, nearest first.
     */
    public int topK(Space metric, float[] query, MemorySegment codes, long n, int k, MemorySegment allowBits,
            long[] outIds, float[] outDistances) {
        if (metric == null) {
            throw new IllegalArgumentException("metric is null");
        }
        checkQuery(query);
        checkK(k);
        if (n < 0) {
            throw new IllegalArgumentException("row count must not be negative, got " + n);
        }
        if (outIds.length < k || outDistances.length < k) {
            throw new IllegalArgumentException("outputs of " + outIds.length + " and " + outDistances.length + " for k " + k);
        }
        DistanceKernels.requireBytes(codes, n * dim(), "codes");
        if (allowBits == null) {
            throw new IllegalArgumentException("allowBits is null (MemorySegment.NULL scans every row)");
        }
        if (!allowBits.equals(MemorySegment.NULL)) {
            DistanceKernels.requireBytes(allowBits, (n + 63) / 64 * Long.BYTES, "allowBits");
        }
        long[] found = new long[1];
        NativeException.check(StrataNative.strata_sq8_topk(metric.code(), MemorySegment.ofArray(query), dim(),
                MemorySegment.ofArray(min), MemorySegment.ofArray(scale), codes, n, allowBits, k,
                MemorySegment.ofArray(outIds), MemorySegment.ofArray(outDistances), MemorySegment.ofArray(found)));
        return (int) found[0];
    }

    private static void checkK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
    }

    private void checkQuery(float[] query) {
        if (query == null || query.length != dim()) {
            throw new IllegalArgumentException("vector has dimension " + (query == null ? "null" : query.length)
                    + ", the quantizer has " + dim());
        }
    }
}
