/*
 * strata.h — the C ABI of libstrata: HNSW indexes (over hnswlib) and SIMD distance kernels.
 *
 * Conventions:
 *  - Every function except strata_version and strata_last_error returns a status code
 *    (STRATA_OK or one of STRATA_ERR_*); results come back through out-parameters.
 *  - On failure, strata_last_error() returns a message for the calling thread's last failure.
 *  - Vectors are row-major float32: vector i of dimension d starts at vectors + i * d.
 *  - Arrow inputs are borrowed for the duration of the call (never released by the library):
 *    a FixedSizeList<float32> array ("+w:<dim>" with one child "f") without nulls.
 *  - Distances follow Chroma: l2 = squared euclidean, ip = 1 - dot, cosine = 1 - cos.
 *  - Handles are validated on every call: a freed handle yields STRATA_ERR_CLOSED, not a crash.
 */
#ifndef STRATA_H
#define STRATA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(STRATA_BUILDING)
#define STRATA_API __attribute__((visibility("default")))
#else
#define STRATA_API
#endif

/* Status codes. */
#define STRATA_OK 0
#define STRATA_ERR_INVALID_ARGUMENT 1
#define STRATA_ERR_NOT_FOUND 2
#define STRATA_ERR_CLOSED 3
#define STRATA_ERR_IO 4
#define STRATA_ERR_CORRUPT 5
#define STRATA_ERR_OUT_OF_MEMORY 6
#define STRATA_ERR_UNSUPPORTED 7
#define STRATA_ERR_INTERNAL 8

/* Spaces (index) and metrics (kernels) share one numbering. */
#define STRATA_SPACE_L2 0
#define STRATA_SPACE_IP 1
#define STRATA_SPACE_COSINE 2

/* Allow-list kinds for strata_hnsw_search*. */
#define STRATA_FILTER_NONE 0
#define STRATA_FILTER_SORTED_LABELS 1 /* data: int64_t[len], strictly ascending */
#define STRATA_FILTER_BITMAP 2        /* data: uint64_t[len]; label l allowed iff bit (l % 64) of word l / 64 */

/* The index file format version strata_hnsw_save writes (the digit after the "STRHNSW" magic) and the newest
   strata_hnsw_load* reads; a newer one is STRATA_ERR_UNSUPPORTED. */
#define STRATA_HNSW_FORMAT_VERSION 1

/* Kernel implementations selectable with strata_set_dispatch. */
#define STRATA_DISPATCH_SCALAR 0
#define STRATA_DISPATCH_AVX2 1

/* Arrow C Data Interface (https://arrow.apache.org/docs/format/CDataInterface.html). */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE
#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4
struct ArrowSchema {
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;
  void (*release)(struct ArrowSchema*);
  void* private_data;
};
struct ArrowArray {
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;
  void (*release)(struct ArrowArray*);
  void* private_data;
};
#endif

typedef struct strata_hnsw strata_hnsw;

/* Library. */
STRATA_API const char* strata_version(void);
STRATA_API const char* strata_last_error(void);
STRATA_API int32_t strata_get_dispatch(int32_t* out_dispatch);
/* Forces a kernel implementation (affects kernels and indexes created afterwards). The library starts on
   the CPU's best and reads no environment variable: Strata passes its STRATA_DISPATCH setting here. */
STRATA_API int32_t strata_set_dispatch(int32_t dispatch);
/* Returns the C heap's free pages to the operating system (after large frees: an index copy, a rebuild). */
STRATA_API int32_t strata_release_memory(void);

/* HNSW index. capacity grows automatically on add; seed makes the level assignment reproducible. */
STRATA_API int32_t strata_hnsw_create(int32_t space, int64_t dim, int64_t m, int64_t ef_construction,
                                      int64_t capacity, int64_t seed, strata_hnsw** out_index);
STRATA_API int32_t strata_hnsw_free(strata_hnsw* index);
/* Threads of one insert batch of 2048 rows or more, for every index of the process: 1 to 256, or 0 for the
   default (every core, at most 8). Strata passes its STRATA_INSERT_THREADS setting here. */
STRATA_API int32_t strata_hnsw_set_insert_threads(int32_t threads);
/* The thread count in force (the default resolved). */
STRATA_API int32_t strata_hnsw_get_insert_threads(int32_t* out_threads);
/* Adds n vectors; a label already present is replaced (and undeleted). */
STRATA_API int32_t strata_hnsw_add(strata_hnsw* index, const int64_t* labels, const float* vectors,
                                   int64_t n, int64_t dim);
/* Adds array->length vectors from an Arrow FixedSizeList<float32>; labels has array->length entries. */
STRATA_API int32_t strata_hnsw_add_arrow(strata_hnsw* index, const int64_t* labels,
                                         const struct ArrowArray* array, const struct ArrowSchema* schema);
STRATA_API int32_t strata_hnsw_mark_deleted(strata_hnsw* index, const int64_t* labels, int64_t n);
STRATA_API int32_t strata_hnsw_resize(strata_hnsw* index, int64_t capacity);
STRATA_API int32_t strata_hnsw_set_ef(strata_hnsw* index, int64_t ef);
/* Live (not deleted) elements. */
STRATA_API int32_t strata_hnsw_count(strata_hnsw* index, int64_t* out_count);
STRATA_API int32_t strata_hnsw_capacity(strata_hnsw* index, int64_t* out_capacity);
/*
 * Rebuilds the graph from its live elements when deleted ones (deletions, and replaced vectors, whose
 * old elements stay as deleted nodes) are more than max_deleted_fraction of all elements; searches
 * through a graph that is mostly deleted nodes miss live ones. *out_rebuilt (optional) is 1 when it did.
 */
STRATA_API int32_t strata_hnsw_compact(strata_hnsw* index, double max_deleted_fraction, int32_t* out_rebuilt);
/*
 * k-NN for nq queries. Outputs are nq * k entries, nearest first; a query with fewer than k
 * results is padded with label -1 and distance +inf, and out_counts[q] (optional) says how many
 * are real. filter_kind / filter_data / filter_len describe the allow-list (STRATA_FILTER_*).
 */
STRATA_API int32_t strata_hnsw_search(strata_hnsw* index, const float* queries, int64_t nq, int64_t dim,
                                      int64_t k, int32_t filter_kind, const void* filter_data,
                                      int64_t filter_len, int64_t* out_labels, float* out_distances,
                                      int32_t* out_counts);
STRATA_API int32_t strata_hnsw_search_arrow(strata_hnsw* index, const struct ArrowArray* queries,
                                            const struct ArrowSchema* schema, int64_t k,
                                            int32_t filter_kind, const void* filter_data,
                                            int64_t filter_len, int64_t* out_labels,
                                            float* out_distances, int32_t* out_counts);
/* Saves to a file (checksummed); load checks space and dim against the file. capacity 0 = as saved. */
STRATA_API int32_t strata_hnsw_save(strata_hnsw* index, const char* path);
STRATA_API int32_t strata_hnsw_load(const char* path, int32_t space, int64_t dim, int64_t capacity,
                                    strata_hnsw** out_index);
/* The same from the bytes of such a file in memory (checksum and structure checked alike); name (may be
   null) appears in errors. The bytes are copied: the caller may free them once this returns. */
STRATA_API int32_t strata_hnsw_load_memory(const void* data, int64_t size, const char* name, int32_t space,
                                           int64_t dim, int64_t capacity, strata_hnsw** out_index);

/* Kernels: one query against n contiguous vectors. */
STRATA_API int32_t strata_distances(int32_t metric, const float* query, const float* vectors, int64_t n,
                                    int64_t dim, float* out_distances);
STRATA_API int32_t strata_distances_arrow(int32_t metric, const float* query, int64_t dim,
                                          const struct ArrowArray* array,
                                          const struct ArrowSchema* schema, float* out_distances);
/* The k smallest distances, nearest first (ties by index); *out_count = min(k, n). */
STRATA_API int32_t strata_topk(int32_t metric, const float* query, const float* vectors, int64_t n,
                               int64_t dim, int64_t k, int64_t* out_indices, float* out_distances,
                               int64_t* out_count);
STRATA_API int32_t strata_topk_arrow(int32_t metric, const float* query, int64_t dim,
                                     const struct ArrowArray* array, const struct ArrowSchema* schema,
                                     int64_t k, int64_t* out_indices, float* out_distances,
                                     int64_t* out_count);

/*
 * Clustered (IVF) index kernels: k-means, nearest centroids, 8-bit scalar quantization (SQ8).
 * For cosine the caller passes unit-normalized vectors and queries: distances are then 1 - dot.
 */

/*
 * Trains k centroids (k * dim floats into out_centroids) from n vectors: k-means++ seeding over a
 * seeded sample of at most max(k, 2^30 / (k * dim)) vectors (so seeding costs about one Lloyd
 * iteration), then up to `iterations` Lloyd iterations (stopping early once no vector changes
 * cluster). Vectors are clustered by squared l2 for every metric; for cosine the centroids are
 * renormalized to unit length after each update (spherical k-means), for ip they stay means (assign
 * stored vectors with STRATA_SPACE_L2 for the tightest clusters; probe queries with ip). A cluster
 * left empty takes the vector farthest from its own centroid (among clusters of 2+ vectors).
 * n <= k: centroid j is vector j % n (the copies beyond n tie with the original and ties go to the
 * lower centroid id, so they stay empty). The same inputs and seed give the same centroids.
 * out_assign (n entries, may be null) receives each vector's centroid under the final centroids.
 */
STRATA_API int32_t strata_kmeans(int32_t metric, const float* vectors, int64_t n, int64_t dim, int64_t k,
                                 int32_t iterations, int64_t seed, float* out_centroids, int32_t* out_assign);
/*
 * For each of n vectors, its `nearest` closest centroids (nearest >= 1), nearest first, ties to the
 * lower centroid id: out_ids / out_dists hold n * nearest entries (exact distances of the metric);
 * when nearest > k the entries past k are -1 / +inf. Runs on several threads for large inputs.
 */
STRATA_API int32_t strata_assign(int32_t metric, const float* vectors, int64_t n, int64_t dim,
                                 const float* centroids, int64_t k, int32_t nearest, int32_t* out_ids,
                                 float* out_dists);
/*
 * SQ8: per dimension, code = round((v - min) / scale) clamped to 0..255, decoded as min + scale * code.
 * Training takes each dimension's min and max over the n vectors (scale = (max - min) / 255, 0 for
 * a constant dimension); values outside the trained range (later vectors) clamp to it.
 * Non-finite training values are refused.
 */
STRATA_API int32_t strata_sq8_train(const float* vectors, int64_t n, int64_t dim, float* out_min, float* out_scale);
STRATA_API int32_t strata_sq8_encode(const float* vectors, int64_t n, int64_t dim, const float* min,
                                     const float* scale, uint8_t* out_codes);
/*
 * The codes of the rows brought to unit length (the cosine space's codes), the rows left as they are. A row's
 * factor is (float) (1 / sqrt(sum of (double) x * x in row order)), 1 for a zero row, and each unit value is the
 * float product x * factor: the same bits as normalizing in Java first, so codes derived at decode equal codes
 * a writer stored.
 */
STRATA_API int32_t strata_sq8_encode_unit(const float* vectors, int64_t n, int64_t dim, const float* min,
                                          const float* scale, uint8_t* out_codes);
/*
 * The k nearest of n SQ8 code rows (n * dim bytes) to a float query, by the distance between the
 * query and the decoded rows (computed in the code domain: no row is decoded). allow_bits (may be
 * null: all rows) is a bitset of (n + 63) / 64 words: row i is scanned iff bit i % 64 of word i / 64.
 * out_index / out_dist hold k entries, nearest first (ties by row), padded with -1 / +inf;
 * *out_found = how many are real. The distances are approximations: rerank candidates exactly.
 */
STRATA_API int32_t strata_sq8_topk(int32_t metric, const float* query, int64_t dim, const float* min,
                                   const float* scale, const uint8_t* codes, int64_t n,
                                   const uint64_t* allow_bits, int64_t k, int64_t* out_index, float* out_dist,
                                   int64_t* out_found);

#ifdef __cplusplus
}
#endif

#endif /* STRATA_H */
