package dev.strata.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Hand-written FFM bindings that mirror native/include/strata.h exactly: one constant per macro,
 * one MethodHandle per C function (in a holder class {@code <name>$MH}, so that a handle is linked when its
 * function is first called: linking all of them took 350-410 ms of a fresh JVM's first query) and one static
 * method of the same name and argument order. Raw and unchecked: use {@link HnswIndex}, {@link DistanceKernels} and
 * {@link ArrowBridge} instead. Kernel calls are {@code critical(true)} so heap arrays reach native
 * code without a copy (they are short and never call back into Java).
 */
@SuppressWarnings("restricted") // this package is where Strata is allowed to use restricted FFM methods
public final class StrataNative {
    public static final int STRATA_OK = 0;
    public static final int STRATA_ERR_INVALID_ARGUMENT = 1;
    public static final int STRATA_ERR_NOT_FOUND = 2;
    public static final int STRATA_ERR_CLOSED = 3;
    public static final int STRATA_ERR_IO = 4;
    public static final int STRATA_ERR_CORRUPT = 5;
    public static final int STRATA_ERR_OUT_OF_MEMORY = 6;
    public static final int STRATA_ERR_UNSUPPORTED = 7;
    public static final int STRATA_ERR_INTERNAL = 8;
    public static final int STRATA_HNSW_FORMAT_VERSION = 1;

    public static final int STRATA_SPACE_L2 = 0;
    public static final int STRATA_SPACE_IP = 1;
    public static final int STRATA_SPACE_COSINE = 2;

    public static final int STRATA_FILTER_NONE = 0;
    public static final int STRATA_FILTER_SORTED_LABELS = 1;
    public static final int STRATA_FILTER_BITMAP = 2;

    public static final int STRATA_DISPATCH_SCALAR = 0;
    public static final int STRATA_DISPATCH_AVX2 = 1;

    /** struct ArrowSchema. */
    public static final StructLayout ARROW_SCHEMA = MemoryLayout.structLayout(
            ADDRESS.withName("format"),
            ADDRESS.withName("name"),
            ADDRESS.withName("metadata"),
            JAVA_LONG.withName("flags"),
            JAVA_LONG.withName("n_children"),
            ADDRESS.withName("children"),
            ADDRESS.withName("dictionary"),
            ADDRESS.withName("release"),
            ADDRESS.withName("private_data"));

    /** struct ArrowArray. */
    public static final StructLayout ARROW_ARRAY = MemoryLayout.structLayout(
            JAVA_LONG.withName("length"),
            JAVA_LONG.withName("null_count"),
            JAVA_LONG.withName("offset"),
            JAVA_LONG.withName("n_buffers"),
            JAVA_LONG.withName("n_children"),
            ADDRESS.withName("buffers"),
            ADDRESS.withName("children"),
            ADDRESS.withName("dictionary"),
            ADDRESS.withName("release"),
            ADDRESS.withName("private_data"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBRARY = NativeLibrary.lookup();
    private static final Linker.Option[] NONE = {};
    private static final Linker.Option[] CRITICAL = {Linker.Option.critical(true)};

    private StrataNative() {}

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LIBRARY.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libstrata does not export " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static FunctionDescriptor status(java.lang.foreign.MemoryLayout... args) {
        return FunctionDescriptor.of(JAVA_INT, args);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall failed", t);
    }

    // ---- library ----

    private static final class strata_version$MH {
        static final MethodHandle H = bind("strata_version", FunctionDescriptor.of(ADDRESS), NONE);
    }
    private static final class strata_last_error$MH {
        static final MethodHandle H = bind("strata_last_error", FunctionDescriptor.of(ADDRESS), NONE);
    }
    private static final class strata_get_dispatch$MH {
        static final MethodHandle H = bind("strata_get_dispatch", status(ADDRESS), CRITICAL);
    }
    private static final class strata_set_dispatch$MH {
        static final MethodHandle H = bind("strata_set_dispatch", status(JAVA_INT), NONE);
    }
    private static final class strata_release_memory$MH {
        static final MethodHandle H = bind("strata_release_memory", status(), NONE);
    }
    private static final class strata_hnsw_set_insert_threads$MH {
        static final MethodHandle H = bind("strata_hnsw_set_insert_threads",
                status(JAVA_INT), NONE);
    }
    private static final class strata_hnsw_get_insert_threads$MH {
        static final MethodHandle H = bind("strata_hnsw_get_insert_threads",
                status(ADDRESS), CRITICAL);
    }

    public static MemorySegment strata_version() {
        try {
            return (MemorySegment) strata_version$MH.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment strata_last_error() {
        try {
            return (MemorySegment) strata_last_error$MH.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_get_dispatch(MemorySegment outDispatch) {
        try {
            return (int) strata_get_dispatch$MH.H.invokeExact(outDispatch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_set_dispatch(int dispatch) {
        try {
            return (int) strata_set_dispatch$MH.H.invokeExact(dispatch);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_set_insert_threads(int threads) {
        try {
            return (int) strata_hnsw_set_insert_threads$MH.H.invokeExact(threads);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_get_insert_threads(MemorySegment outThreads) {
        try {
            return (int) strata_hnsw_get_insert_threads$MH.H.invokeExact(outThreads);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_release_memory() {
        try {
            return (int) strata_release_memory$MH.H.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- HNSW ----

    private static final class strata_hnsw_create$MH {
        static final MethodHandle H = bind("strata_hnsw_create",
                status(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), NONE);
    }
    private static final class strata_hnsw_free$MH {
        static final MethodHandle H = bind("strata_hnsw_free", status(ADDRESS), NONE);
    }
    private static final class strata_hnsw_add$MH {
        static final MethodHandle H = bind("strata_hnsw_add",
                status(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG), NONE);
    }
    private static final class strata_hnsw_add_arrow$MH {
        static final MethodHandle H = bind("strata_hnsw_add_arrow",
                status(ADDRESS, ADDRESS, ADDRESS, ADDRESS), NONE);
    }
    private static final class strata_hnsw_mark_deleted$MH {
        static final MethodHandle H = bind("strata_hnsw_mark_deleted",
                status(ADDRESS, ADDRESS, JAVA_LONG), NONE);
    }
    private static final class strata_hnsw_resize$MH {
        static final MethodHandle H = bind("strata_hnsw_resize", status(ADDRESS, JAVA_LONG), NONE);
    }
    private static final class strata_hnsw_set_ef$MH {
        static final MethodHandle H = bind("strata_hnsw_set_ef", status(ADDRESS, JAVA_LONG), NONE);
    }
    private static final class strata_hnsw_count$MH {
        static final MethodHandle H = bind("strata_hnsw_count", status(ADDRESS, ADDRESS), CRITICAL);
    }
    private static final class strata_hnsw_capacity$MH {
        static final MethodHandle H = bind("strata_hnsw_capacity", status(ADDRESS, ADDRESS), CRITICAL);
    }
    private static final class strata_hnsw_compact$MH {
        static final MethodHandle H = bind("strata_hnsw_compact",
                status(ADDRESS, JAVA_DOUBLE, ADDRESS), NONE);
    }
    private static final class strata_hnsw_search$MH {
        static final MethodHandle H = bind("strata_hnsw_search",
                status(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS),
                NONE);
    }
    private static final class strata_hnsw_search_arrow$MH {
        static final MethodHandle H = bind("strata_hnsw_search_arrow",
                status(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS), NONE);
    }
    private static final class strata_hnsw_save$MH {
        static final MethodHandle H = bind("strata_hnsw_save", status(ADDRESS, ADDRESS), NONE);
    }
    private static final class strata_hnsw_load$MH {
        static final MethodHandle H = bind("strata_hnsw_load",
                status(ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS), NONE);
    }
    private static final class strata_hnsw_load_memory$MH {
        static final MethodHandle H = bind("strata_hnsw_load_memory",
                status(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS), NONE);
    }

    public static int strata_hnsw_create(int space, long dim, long m, long efConstruction, long capacity, long seed,
            MemorySegment outIndex) {
        try {
            return (int) strata_hnsw_create$MH.H.invokeExact(space, dim, m, efConstruction, capacity, seed, outIndex);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_free(MemorySegment index) {
        try {
            return (int) strata_hnsw_free$MH.H.invokeExact(index);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_add(MemorySegment index, MemorySegment labels, MemorySegment vectors, long n, long dim) {
        try {
            return (int) strata_hnsw_add$MH.H.invokeExact(index, labels, vectors, n, dim);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_add_arrow(MemorySegment index, MemorySegment labels, MemorySegment array,
            MemorySegment schema) {
        try {
            return (int) strata_hnsw_add_arrow$MH.H.invokeExact(index, labels, array, schema);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_mark_deleted(MemorySegment index, MemorySegment labels, long n) {
        try {
            return (int) strata_hnsw_mark_deleted$MH.H.invokeExact(index, labels, n);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_resize(MemorySegment index, long capacity) {
        try {
            return (int) strata_hnsw_resize$MH.H.invokeExact(index, capacity);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_set_ef(MemorySegment index, long ef) {
        try {
            return (int) strata_hnsw_set_ef$MH.H.invokeExact(index, ef);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_count(MemorySegment index, MemorySegment outCount) {
        try {
            return (int) strata_hnsw_count$MH.H.invokeExact(index, outCount);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_capacity(MemorySegment index, MemorySegment outCapacity) {
        try {
            return (int) strata_hnsw_capacity$MH.H.invokeExact(index, outCapacity);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_compact(MemorySegment index, double maxDeletedFraction, MemorySegment outRebuilt) {
        try {
            return (int) strata_hnsw_compact$MH.H.invokeExact(index, maxDeletedFraction, outRebuilt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_search(MemorySegment index, MemorySegment queries, long nq, long dim, long k,
            int filterKind, MemorySegment filterData, long filterLen, MemorySegment outLabels,
            MemorySegment outDistances, MemorySegment outCounts) {
        try {
            return (int) strata_hnsw_search$MH.H.invokeExact(index, queries, nq, dim, k, filterKind, filterData, filterLen,
                    outLabels, outDistances, outCounts);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_search_arrow(MemorySegment index, MemorySegment queries, MemorySegment schema, long k,
            int filterKind, MemorySegment filterData, long filterLen, MemorySegment outLabels,
            MemorySegment outDistances, MemorySegment outCounts) {
        try {
            return (int) strata_hnsw_search_arrow$MH.H.invokeExact(index, queries, schema, k, filterKind, filterData,
                    filterLen, outLabels, outDistances, outCounts);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_save(MemorySegment index, MemorySegment path) {
        try {
            return (int) strata_hnsw_save$MH.H.invokeExact(index, path);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_load(MemorySegment path, int space, long dim, long capacity, MemorySegment outIndex) {
        try {
            return (int) strata_hnsw_load$MH.H.invokeExact(path, space, dim, capacity, outIndex);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_hnsw_load_memory(MemorySegment data, long size, MemorySegment name, int space, long dim,
            long capacity, MemorySegment outIndex) {
        try {
            return (int) strata_hnsw_load_memory$MH.H.invokeExact(data, size, name, space, dim, capacity, outIndex);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- kernels ----

    private static final class strata_distances$MH {
        static final MethodHandle H = bind("strata_distances",
                status(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS), CRITICAL);
    }
    private static final class strata_distances_arrow$MH {
        static final MethodHandle H = bind("strata_distances_arrow",
                status(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
    }
    private static final class strata_topk$MH {
        static final MethodHandle H = bind("strata_topk",
                status(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
    }
    private static final class strata_topk_arrow$MH {
        static final MethodHandle H = bind("strata_topk_arrow",
                status(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
    }

    public static int strata_distances(int metric, MemorySegment query, MemorySegment vectors, long n, long dim,
            MemorySegment outDistances) {
        try {
            return (int) strata_distances$MH.H.invokeExact(metric, query, vectors, n, dim, outDistances);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_distances_arrow(int metric, MemorySegment query, long dim, MemorySegment array,
            MemorySegment schema, MemorySegment outDistances) {
        try {
            return (int) strata_distances_arrow$MH.H.invokeExact(metric, query, dim, array, schema, outDistances);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_topk(int metric, MemorySegment query, MemorySegment vectors, long n, long dim, long k,
            MemorySegment outIndices, MemorySegment outDistances, MemorySegment outCount) {
        try {
            return (int) strata_topk$MH.H.invokeExact(metric, query, vectors, n, dim, k, outIndices, outDistances, outCount);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_topk_arrow(int metric, MemorySegment query, long dim, MemorySegment array,
            MemorySegment schema, long k, MemorySegment outIndices, MemorySegment outDistances, MemorySegment outCount) {
        try {
            return (int) strata_topk_arrow$MH.H.invokeExact(metric, query, dim, array, schema, k, outIndices, outDistances,
                    outCount);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- IVF: k-means, nearest centroids, SQ8 ----

    // k-means runs for seconds and bulk assignment for up to seconds: plain downcalls (native segments
    // only), so the JVM reaches safepoints meanwhile. strata_assign is also bound critical, for a few
    // rows at a time (a query's probe against heap centroids, without copying them).
    private static final class strata_kmeans$MH {
        static final MethodHandle H = bind("strata_kmeans",
                status(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS), NONE);
    }
    private static final class strata_assign$MH {
        static final MethodHandle H = bind("strata_assign",
                status(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), NONE);
    }
    private static final class strata_assign_critical$MH {
        static final MethodHandle H = bind("strata_assign",
                status(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS), CRITICAL);
    }
    private static final class strata_sq8_train$MH {
        static final MethodHandle H = bind("strata_sq8_train",
                status(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS), NONE);
    }
    private static final class strata_sq8_encode$MH {
        static final MethodHandle H = bind("strata_sq8_encode",
                status(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
    }
    private static final class strata_sq8_encode_unit$MH {
        static final MethodHandle H = bind("strata_sq8_encode_unit",
                status(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS), CRITICAL);
    }
    private static final class strata_sq8_topk$MH {
        static final MethodHandle H = bind("strata_sq8_topk",
                status(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS,
                        ADDRESS, ADDRESS), CRITICAL);
    }

    public static int strata_kmeans(int metric, MemorySegment vectors, long n, long dim, long k, int iterations,
            long seed, MemorySegment outCentroids, MemorySegment outAssign) {
        try {
            return (int) strata_kmeans$MH.H.invokeExact(metric, vectors, n, dim, k, iterations, seed, outCentroids,
                    outAssign);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_assign(int metric, MemorySegment vectors, long n, long dim, MemorySegment centroids,
            long k, int nearest, MemorySegment outIds, MemorySegment outDists) {
        try {
            return (int) strata_assign$MH.H.invokeExact(metric, vectors, n, dim, centroids, k, nearest, outIds, outDists);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** strata_assign as a critical downcall: heap segments allowed; only for calls of a millisecond or less. */
    public static int strata_assign_critical(int metric, MemorySegment vectors, long n, long dim,
            MemorySegment centroids, long k, int nearest, MemorySegment outIds, MemorySegment outDists) {
        try {
            return (int) strata_assign_critical$MH.H.invokeExact(metric, vectors, n, dim, centroids, k, nearest, outIds,
                    outDists);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_sq8_train(MemorySegment vectors, long n, long dim, MemorySegment outMin,
            MemorySegment outScale) {
        try {
            return (int) strata_sq8_train$MH.H.invokeExact(vectors, n, dim, outMin, outScale);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_sq8_encode(MemorySegment vectors, long n, long dim, MemorySegment min,
            MemorySegment scale, MemorySegment outCodes) {
        try {
            return (int) strata_sq8_encode$MH.H.invokeExact(vectors, n, dim, min, scale, outCodes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_sq8_encode_unit(MemorySegment vectors, long n, long dim, MemorySegment min,
            MemorySegment scale, MemorySegment outCodes) {
        try {
            return (int) strata_sq8_encode_unit$MH.H.invokeExact(vectors, n, dim, min, scale, outCodes);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int strata_sq8_topk(int metric, MemorySegment query, long dim, MemorySegment min,
            MemorySegment scale, MemorySegment codes, long n, MemorySegment allowBits, long k, MemorySegment outIndex,
            MemorySegment outDist, MemorySegment outFound) {
        try {
            return (int) strata_sq8_topk$MH.H.invokeExact(metric, query, dim, min, scale, codes, n, allowBits, k,
                    outIndex, outDist, outFound);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- helpers over the raw functions ----

    /** strata_version() as a Java string. */
    public static String version() {
        return strata_version().reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** strata_last_error() as a Java string (the calling thread's last failure). */
    public static String lastError() {
        return strata_last_error().reinterpret(Long.MAX_VALUE).getString(0);
    }
}
