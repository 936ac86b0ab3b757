package dev.strata.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Clustering for a clustered (IVF) index, in libstrata: k-means training and nearest-centroid
 * assignment. Vectors are row-major float32 segments (off-heap block buffers are passed by address;
 * heap segments are copied off-heap first for the long calls, which cannot take heap memory). Centroids
 * are small and live on the heap as one row-major {@code float[k * dim]}.
 *
 * <p>Training clusters by squared l2 whatever the metric; for {@link Space#COSINE} (unit-normalized
 * vectors expected) centroids are renormalized after each update. For {@link Space#IP} place stored
 * vectors with {@code assign(Space.L2, ...)} (tightest clusters) and probe queries with IP. See
 * docs/native.md.
 */
public final class KMeans {
    /**
     * Assignments up to this many multiply-adds (about a millisecond) run as critical downcalls over
     * heap arrays without copies; larger ones as plain downcalls, so the JVM can reach safepoints.
     */
    static final long CRITICAL_WORK = 1L << 22;

    private KMeans() {}

    /** k centroids (row-major, k * dim floats) of n vectors, deterministic for a seed. */
    public static float[] train(Space metric, MemorySegment vectors, long n, int dim, int k, int iterations, long seed) {
        return train(metric, vectors, n, dim, k, iterations, seed, null);
    }

    /**
     * The same, also writing each vector's centroid under the final centroids into outAssign (n int32s;
     * null for none). n &lt;= k gives centroid j = vector j % n and vector i in cluster i.
     */
    public static float[] train(Space metric, MemorySegment vectors, long n, int dim, int k, int iterations, long seed,
            MemorySegment outAssign) {
        checkVectors(metric, vectors, n, dim);
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        long assignBytes = n * Integer.BYTES;
        if (outAssign != null) {
            DistanceKernels.requireBytes(outAssign, assignBytes, "outAssign");
        }
        float[] centroids = new float[Math.multiplyExact(k, dim)];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT, centroids.length);
            MemorySegment assign = outAssign == null ? MemorySegment.NULL
                    : outAssign.isNative() ? outAssign : arena.allocate(Math.max(1, assignBytes), Integer.BYTES);
            NativeException.check(StrataNative.strata_kmeans(metric.code(), offHeap(vectors, n * dim * Float.BYTES, arena),
                    n, dim, k, iterations, seed, out, assign));
            MemorySegment.copy(out, ValueLayout.JAVA_FLOAT, 0, centroids, 0, centroids.length);
            if (outAssign != null && assign != outAssign) {
                MemorySegment.copy(assign, 0, outAssign, 0, assignBytes);
            }
        }
        return centroids;
    }

    /** Each vector's {@code nearest} closest centroids, nearest first (see {@link Assignment}). */
    public static Assignment assign(Space metric, MemorySegment vectors, long n, int dim, float[] centroids,
            int nearest) {
        if (nearest <= 0) {
            throw new IllegalArgumentException("nearest must be positive, got " + nearest);
        }
        int[] ids = new int[Math.multiplyExact(Math.toIntExact(n), nearest)];
        float[] distances = new float[ids.length];
        assign(metric, vectors, n, dim, centroids, nearest, MemorySegment.ofArray(ids), MemorySegment.ofArray(distances));
        return new Assignment(nearest, ids, distances);
    }

    /**
     * The same into caller-owned outputs of n * nearest int32 ids and float distances (row i's j-th nearest
     * at i * nearest + j; -1 / +inf past the number of centroids).
     */
    public static void assign(Space metric, MemorySegment vectors, long n, int dim, float[] centroids, int nearest,
            MemorySegment outIds, MemorySegment outDistances) {
        checkVectors(metric, vectors, n, dim);
        long k = centroidCount(centroids, dim);
        if (nearest <= 0) {
            throw new IllegalArgumentException("nearest must be positive, got " + nearest);
        }
        long outBytes = n * nearest * 4L;
        DistanceKernels.requireBytes(outIds, outBytes, "outIds");
        DistanceKernels.requireBytes(outDistances, outBytes, "outDistances");
        if (n * k * dim <= CRITICAL_WORK) {
            NativeException.check(StrataNative.strata_assign_critical(metric.code(), vectors, n, dim,
                    MemorySegment.ofArray(centroids), k, nearest, outIds, outDistances));
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ids = outIds.isNative() ? outIds : arena.allocate(outBytes, Integer.BYTES);
            MemorySegment distances = outDistances.isNative() ? outDistances : arena.allocate(outBytes, Float.BYTES);
            NativeException.check(StrataNative.strata_assign(metric.code(), offHeap(vectors, n * dim * Float.BYTES, arena),
                    n, dim, offHeap(MemorySegment.ofArray(centroids), centroids.length * (long) Float.BYTES, arena), k,
                    nearest, ids, distances));
            if (ids != outIds) {
                MemorySegment.copy(ids, 0, outIds, 0, outBytes);
            }
            if (distances != outDistances) {
                MemorySegment.copy(distances, 0, outDistances, 0, outBytes);
            }
        }
    }

    /**
     * A query's nprobe nearest centroids, nearest first (ids are centroid numbers; fewer when there are
     * fewer centroids): the clusters an IVF search scans.
     */
    public static Neighbors probe(Space metric, float[] query, float[] centroids, int nprobe) {
        if (query == null) {
            throw new IllegalArgumentException("query is null");
        }
        long k = centroidCount(centroids, query.length);
        Assignment a = assign(metric, MemorySegment.ofArray(query), 1, query.length, centroids, nprobe);
        int found = (int) Math.min(nprobe, k);
        long[] ids = new long[found];
        float[] distances = new float[found];
        for (int j = 0; j < found; j++) {
            ids[j] = a.id(0, j);
            distances[j] = a.distance(0, j);
        }
        return new Neighbors(ids, distances);
    }

    /**
     * The result of {@link #assign}: for row i, its j-th nearest centroid (j &lt; nearest) is
     * {@code ids[i * nearest + j]} at {@code distances[i * nearest + j]} (exact distance of the metric);
     * -1 / +inf past the number of centroids.
     */
    public record Assignment(int nearest, int[] ids, float[] distances) {
        public int id(long row, int j) {
            return ids[Math.toIntExact(row * nearest + j)];
        }

        public float distance(long row, int j) {
            return distances[Math.toIntExact(row * nearest + j)];
        }

        public long rows() {
            return ids.length / nearest;
        }
    }

    private static long centroidCount(float[] centroids, int dim) {
        if (centroids == null || dim <= 0 || centroids.length == 0 || centroids.length % dim != 0) {
            throw new IllegalArgumentException("centroids must hold k >= 1 rows of dimension " + dim + ", got "
                    + (centroids == null ? "null" : centroids.length + " floats"));
        }
        return centroids.length / dim;
    }

    private static void checkVectors(Space metric, MemorySegment vectors, long n, int dim) {
        if (metric == null) {
            throw new IllegalArgumentException("metric is null");
        }
        if (dim <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
        if (n < 0) {
            throw new IllegalArgumentException("vector count must not be negative, got " + n);
        }
        DistanceKernels.requireBytes(vectors, n * dim * Float.BYTES, "vectors");
    }

    /** The segment itself when off-heap; otherwise a copy of its first bytes in arena (plain downcalls refuse heap memory). */
    static MemorySegment offHeap(MemorySegment segment, long bytes, Arena arena) {
        if (segment.isNative()) {
            return segment;
        }
        MemorySegment copy = arena.allocate(Math.max(1, bytes), 64);
        MemorySegment.copy(segment, 0, copy, 0, bytes);
        return copy;
    }
}
