// Internal: HNSW graphs over hnswlib 0.6.2, behind an opaque Index so that hnsw_index.cpp stays the only
// translation unit that includes hnswlib (its header defines non-inline functions). Arguments are
// checked by the C ABI (hnsw_api.cpp) before they get here, except what only the graph knows.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "allow_list.h"

namespace strata::hnsw {

struct Index;

// space: STRATA_SPACE_*; capacity grows on demand.
std::shared_ptr<Index> create(int32_t space, size_t dim, size_t m, size_t ef_construction, size_t capacity,
                              size_t seed);

size_t dimension(const Index& index);

// Threads of one large insert batch, for every index of the process; 0 restores the default.
void set_insert_threads(unsigned threads);
unsigned insert_threads();

// The last row of a label wins; a label already stored moves to its new vector.
void add(Index& index, const int64_t* labels, const float* vectors, int64_t n);

// Every label must be stored (STRATA_ERR_NOT_FOUND otherwise, and nothing changes).
void mark_deleted(Index& index, const int64_t* labels, int64_t n);

void resize(Index& index, int64_t capacity);
void set_ef(Index& index, int64_t ef);
int64_t live_count(Index& index);
int64_t capacity(Index& index);

// Rebuilds without deleted elements when more than max_deleted_fraction of them are; true if it did.
bool compact(Index& index, double max_deleted_fraction);

// k nearest labels per query, best first; a short row ends in label -1 and distance +inf.
void search(Index& index, const float* queries, int64_t nq, int64_t k, const AllowList& allow, int64_t* out_labels,
            float* out_distances, int32_t* out_counts);

// The bytes of an index file (hnsw_file.h's envelope around the graph).
std::string serialize(Index& index);

// An index from an index file's bytes, checked against the space and dimension it is asked for.
// name: the file or object the bytes came from, for errors. The bytes are copied.
std::shared_ptr<Index> deserialize(const std::string& name, std::string_view bytes, int32_t space, int64_t dim,
                                   int64_t capacity);

}  // namespace strata::hnsw
