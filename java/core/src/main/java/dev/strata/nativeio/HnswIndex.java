package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.roaringbitmap.RoaringBitmap;

/**
 * An HNSW index in libstrata. Thread-safe: searches run concurrently (writers are serialized in
 * native code); close waits for calls in flight, and any call after close throws
 * IllegalStateException. Labels are caller-chosen longs; adding an existing label replaces it.
 */
public final class HnswIndex implements AutoCloseable {
    public static final int DEFAULT_M = 16;
    public static final int DEFAULT_EF_CONSTRUCTION = 100;
    public static final long DEFAULT_CAPACITY = 1024;
    public static final long DEFAULT_SEED = 100;

    private final MemorySegment handle;
    private final Space space;
    private final int dim;
    // Read: every call (they may overlap). Write: close, which thereby waits for them.
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private HnswIndex(MemorySegment handle, Space space, int dim) {
        this.handle = handle;
        this.space = space;
        this.dim = dim;
    }

    public static HnswIndex create(Space space, int dim) {
        return create(space, dim, DEFAULT_M, DEFAULT_EF_CONSTRUCTION, DEFAULT_CAPACITY, DEFAULT_SEED);
    }

    /** capacity is a first allocation: the index grows by itself as vectors are added. */
    public static HnswIndex create(Space space, int dim, int m, int efConstruction, long capacity, long seed) {
        checkSpaceAndDim(space, dim);
        if (m < 2) {
            throw new IllegalArgumentException("M must be at least 2, got " + m);
        }
        if (efConstruction <= 0) {
            throw new IllegalArgumentException("ef_construction must be positive, got " + efConstruction);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            NativeException.check(StrataNative.strata_hnsw_create(space.code(), dim, m, efConstruction, capacity, seed, out));
            return new HnswIndex(out.get(ADDRESS, 0), space, dim);
        }
    }

    /**
     * Sets the threads of one insert batch of 2048 rows or more, for every index of the process: 1 to 256, or 0
     * for the default (every core, at most 8). A node passes its STRATA_INSERT_THREADS setting here.
     */
    public static void useInsertThreads(int threads) {
        NativeException.check(StrataNative.strata_hnsw_set_insert_threads(threads));
    }

    /** The insert threads in force (the default resolved). */
    public static int insertThreads() {
        int[] out = new int[1];
        NativeException.check(StrataNative.strata_hnsw_get_insert_threads(MemorySegment.ofArray(out)));
        return out[0];
    }

    /** Loads a file written by {@link #save}; space and dim must match it. capacity 0 keeps the saved one. */
    public static HnswIndex load(Path file, Space space, int dim, long capacity) {
        checkSpaceAndDim(space, dim);
        if (file == null) {
            throw new IllegalArgumentException("file is null");
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            NativeException.check(StrataNative.strata_hnsw_load(arena.allocateFrom(file.toString()), space.code(), dim,
                    capacity, out));
            return new HnswIndex(out.get(ADDRESS, 0), space, dim);
        }
    }

    /**
     * Loads an index from the bytes of a file {@link #save} wrote, in native memory (no file in between:
     * what a node that downloads an index into memory calls). Checked like {@link #load(Path, Space, int, long)};
     * {@code name} (the file or object the bytes came from) appears in errors. The bytes are copied, so
     * the caller may free them once this returns.
     */
    public static HnswIndex load(MemorySegment bytes, String name, Space space, int dim, long capacity) {
        checkSpaceAndDim(space, dim);
        if (bytes == null || !bytes.isNative()) {
            throw new IllegalArgumentException("bytes must be a native memory segment");
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            NativeException.check(StrataNative.strata_hnsw_load_memory(bytes, bytes.byteSize(),
                    arena.allocateFrom(name == null ? "" : name), space.code(), dim, capacity, out));
            return new HnswIndex(out.get(ADDRESS, 0), space, dim);
        }
    }

    public Space space() {
        return space;
    }

    public int dim() {
        return dim;
    }

    /** Adds labels.length vectors stored row-major in vectors (off-heap: passed by address; heap: copied). */
    public void add(long[] labels, MemorySegment vectors) {
        checkLabels(labels);
        DistanceKernels.requireBytes(vectors, (long) labels.length * dim * Float.BYTES, "vectors");
        call(arena -> {
            MemorySegment rows = vectors.isNative() ? vectors
                    : arena.allocate(JAVA_FLOAT, (long) labels.length * dim).copyFrom(vectors.asSlice(0, (long) labels.length * dim * Float.BYTES));
            return StrataNative.strata_hnsw_add(handle, arena.allocateFrom(JAVA_LONG, labels), rows, labels.length, dim);
        });
    }

    public void add(long[] labels, float[][] vectors) {
        checkLabels(labels);
        if (vectors == null || vectors.length != labels.length) {
            throw new IllegalArgumentException("expected " + labels.length + " vectors, got "
                    + (vectors == null ? "null" : vectors.length));
        }
        call(arena -> {
            MemorySegment rows = packed(arena, vectors);
            return StrataNative.strata_hnsw_add(handle, arena.allocateFrom(JAVA_LONG, labels), rows, labels.length, dim);
        });
    }

    /** Adds the rows of an Arrow FixedSizeList&lt;float32&gt;, passed through the C Data Interface without a copy. */
    public void add(long[] labels, FixedSizeListVector vectors) {
        checkLabels(labels);
        checkArrow(vectors);
        if (vectors.getValueCount() != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + vectors.getValueCount() + " vectors");
        }
        call(arena -> {
            ArrowBridge.Exported exported = ArrowBridge.export(vectors, arena);
            return StrataNative.strata_hnsw_add_arrow(handle, arena.allocateFrom(JAVA_LONG, labels), exported.array(),
                    exported.schema());
        });
    }

    /** Marks labels deleted: never returned again unless re-added. Unknown labels fail the whole batch. */
    public void markDeleted(long... labels) {
        checkLabels(labels);
        call(arena -> StrataNative.strata_hnsw_mark_deleted(handle, arena.allocateFrom(JAVA_LONG, labels), labels.length));
    }

    public void resize(long capacity) {
        call(arena -> StrataNative.strata_hnsw_resize(handle, capacity));
    }

    /** Search breadth: larger is slower and more accurate; a search uses max(ef, k). */
    public void setEf(int ef) {
        if (ef <= 0) {
            throw new IllegalArgumentException("ef must be positive, got " + ef);
        }
        call(arena -> StrataNative.strata_hnsw_set_ef(handle, ef));
    }

    /** Live (not deleted) vectors. */
    public long count() {
        return readLong(StrataNative::strata_hnsw_count);
    }

    public long capacity() {
        return readLong(StrataNative::strata_hnsw_capacity);
    }

    /**
     * Rebuilds the graph from its live vectors when deleted elements (deletions, and the old elements of
     * replaced vectors) are more than {@code maxDeletedFraction} of all: a graph that is mostly deleted
     * nodes still routes searches but starts to miss live elements. Returns whether it rebuilt.
     */
    public boolean compact(double maxDeletedFraction) {
        if (!(maxDeletedFraction >= 0 && maxDeletedFraction <= 1)) {
            throw new IllegalArgumentException("maxDeletedFraction must be in [0, 1], got " + maxDeletedFraction);
        }
        int[] rebuilt = new int[1];
        call(arena -> {
            // Not a critical downcall (it may run for seconds): the flag lives off-heap.
            MemorySegment out = arena.allocate(JAVA_INT);
            int status = StrataNative.strata_hnsw_compact(handle, maxDeletedFraction, out);
            rebuilt[0] = out.get(JAVA_INT, 0);
            return status;
        });
        return rebuilt[0] == 1;
    }

    public Neighbors search(float[] query, int k) {
        return search(new float[][] {query}, k, AllowList.ALL).getFirst();
    }

    public Neighbors search(float[] query, int k, long[] sortedAllowedLabels) {
        return search(new float[][] {query}, k, AllowList.ofSorted(sortedAllowedLabels)).getFirst();
    }

    public Neighbors search(float[] query, int k, RoaringBitmap allowedLabels) {
        return search(new float[][] {query}, k, AllowList.of(allowedLabels)).getFirst();
    }

    /** k-NN of each query among the allowed labels (a walk through the whole graph, not a post-filter). */
    public List<Neighbors> search(float[][] queries, int k, AllowList allowed) {
        if (queries == null) {
            throw new IllegalArgumentException("queries are null");
        }
        checkK(k);
        AllowList allow = allowed == null ? AllowList.ALL : allowed;
        return callSearch(queries.length, k, (arena, out, kk) -> StrataNative.strata_hnsw_search(handle,
                packed(arena, queries), queries.length, dim, kk, allow.kind(), allow.copyTo(arena), allow.length(),
                out.labels, out.distances, out.counts));
    }

    /** k-NN of nq queries stored row-major in an off-heap segment. */
    public List<Neighbors> search(MemorySegment queries, int nq, int k, AllowList allowed) {
        checkK(k);
        if (nq < 0) {
            throw new IllegalArgumentException("query count must not be negative");
        }
        DistanceKernels.requireBytes(queries, (long) nq * dim * Float.BYTES, "queries");
        if (!queries.isNative()) {
            throw new IllegalArgumentException("queries must be an off-heap segment; use search(float[][], ...) for arrays");
        }
        AllowList allow = allowed == null ? AllowList.ALL : allowed;
        return callSearch(nq, k, (arena, out, kk) -> StrataNative.strata_hnsw_search(handle, queries, nq, dim, kk,
                allow.kind(), allow.copyTo(arena), allow.length(), out.labels, out.distances, out.counts));
    }

    /** k-NN of each row of an Arrow FixedSizeList&lt;float32&gt;, passed through the C Data Interface. */
    public List<Neighbors> search(FixedSizeListVector queries, int k, AllowList allowed) {
        checkArrow(queries);
        checkK(k);
        AllowList allow = allowed == null ? AllowList.ALL : allowed;
        return callSearch(queries.getValueCount(), k, (arena, out, kk) -> {
            ArrowBridge.Exported exported = ArrowBridge.export(queries, arena);
            return StrataNative.strata_hnsw_search_arrow(handle, exported.array(), exported.schema(), kk, allow.kind(),
                    allow.copyTo(arena), allow.length(), out.labels, out.distances, out.counts);
        });
    }

    /** Writes the index to a file (atomically, with a CRC32C the loader verifies). */
    public void save(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("file is null");
        }
        call(arena -> StrataNative.strata_hnsw_save(handle, arena.allocateFrom(file.toAbsolutePath().toString())));
    }

    /** Frees the native index after the calls in flight finish. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                NativeException.check(StrataNative.strata_hnsw_free(handle));
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // ---- plumbing ----

    private record Outputs(MemorySegment labels, MemorySegment distances, MemorySegment counts) {}

    private interface SearchCall {
        int invoke(Arena arena, Outputs out, int k);
    }

    private List<Neighbors> callSearch(int nq, int requestedK, SearchCall search) {
        // No query can return more than the index holds: don't allocate nq * k for an absurd k.
        int k = (int) Math.min(requestedK, Math.max(1, capacity()));
        long[] labels = new long[Math.multiplyExact(nq, k)];
        float[] distances = new float[labels.length];
        int[] counts = new int[nq];
        call(arena -> {
            Outputs out = new Outputs(arena.allocate(JAVA_LONG, Math.max(1, labels.length)),
                    arena.allocate(JAVA_FLOAT, Math.max(1, labels.length)), arena.allocate(JAVA_INT, Math.max(1, nq)));
            int status = search.invoke(arena, out, k);
            if (status == StrataNative.STRATA_OK) {
                MemorySegment.copy(out.labels(), JAVA_LONG, 0, labels, 0, labels.length);
                MemorySegment.copy(out.distances(), JAVA_FLOAT, 0, distances, 0, distances.length);
                MemorySegment.copy(out.counts(), JAVA_INT, 0, counts, 0, nq);
            }
            return status;
        });
        List<Neighbors> results = new ArrayList<>(nq);
        for (int q = 0; q < nq; q++) {
            long[] ids = java.util.Arrays.copyOfRange(labels, q * k, q * k + counts[q]);
            float[] d = java.util.Arrays.copyOfRange(distances, q * k, q * k + counts[q]);
            results.add(new Neighbors(ids, d));
        }
        return results;
    }

    private long readLong(java.util.function.BiFunction<MemorySegment, MemorySegment, Integer> getter) {
        long[] out = new long[1];
        call(arena -> getter.apply(handle, MemorySegment.ofArray(out)));
        return out[0];
    }

    /** Runs one downcall under the lifecycle read lock; the error message is read on the same thread right after. */
    private void call(Function<Arena, Integer> downcall) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("HNSW index is closed");
            }
            try (Arena arena = Arena.ofConfined()) {
                NativeException.check(downcall.apply(arena));
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private MemorySegment packed(Arena arena, float[][] rows) {
        MemorySegment out = arena.allocate(JAVA_FLOAT, Math.max(1, (long) rows.length * dim));
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != dim) {
                throw new IllegalArgumentException("vector " + i + " has dimension "
                        + (rows[i] == null ? "null" : rows[i].length) + ", index has " + dim);
            }
            MemorySegment.copy(rows[i], 0, out, JAVA_FLOAT, (long) i * dim * Float.BYTES, dim);
        }
        return out;
    }

    private void checkArrow(FixedSizeListVector vectors) {
        if (vectors == null) {
            throw new IllegalArgumentException("arrow vector is null");
        }
        if (vectors.getListSize() != dim) {
            throw new IllegalArgumentException("vectors have dimension " + vectors.getListSize() + ", index has " + dim);
        }
    }

    private static void checkLabels(long[] labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels are null");
        }
    }

    private static void checkK(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
    }

    private static void checkSpaceAndDim(Space space, int dim) {
        if (space == null) {
            throw new IllegalArgumentException("space is null: expected l2, ip or cosine");
        }
        if (dim <= 0) {
            throw new IllegalArgumentException("dimension must be positive, got " + dim);
        }
    }
}
