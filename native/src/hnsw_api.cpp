// strata_hnsw_*: the C ABI of HNSW indexes. It owns the handles and checks every argument a caller
// passes; the graph itself is hnsw_index.cpp's, the file envelope hnsw_file.cpp's.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "allow_list.h"
#include "arrow_view.h"
#include "hnsw_file.h"
#include "hnsw_index.h"
#include "status.h"

namespace strata {
namespace {

using hnsw::Index;

// Live handles. A handle is an id, never a pointer, so a freed or forged handle is simply absent.
std::shared_mutex registry_lock;
std::unordered_map<uint64_t, std::shared_ptr<Index>> registry;
std::atomic<uint64_t> next_handle{1};

strata_hnsw* publish(std::shared_ptr<Index> index) {
  uint64_t id = next_handle.fetch_add(1);
  std::unique_lock guard(registry_lock);
  registry.emplace(id, std::move(index));
  return reinterpret_cast<strata_hnsw*>(static_cast<uintptr_t>(id));
}

std::shared_ptr<Index> acquire(strata_hnsw* handle) {
  if (handle == nullptr) throw invalid("index handle is null");
  std::shared_lock guard(registry_lock);
  auto it = registry.find(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(handle)));
  if (it == registry.end()) throw Error(STRATA_ERR_CLOSED, "index is closed (or the handle was never valid)");
  return it->second;
}

void check_space(int32_t space) {
  if (space != STRATA_SPACE_L2 && space != STRATA_SPACE_IP && space != STRATA_SPACE_COSINE) {
    throw invalid("unknown space " + std::to_string(space) + " (0 = l2, 1 = ip, 2 = cosine)");
  }
}

void check_dim(const Index& index, int64_t dim) {
  if (dim != static_cast<int64_t>(hnsw::dimension(index))) {
    throw invalid("vectors have dimension " + std::to_string(dim) + ", index has " + std::to_string(hnsw::dimension(index)));
  }
}

// What both loads check of the index they are asked for (the file's own header is checked against it).
void check_load_args(int32_t space, int64_t dim, int64_t capacity) {
  check_space(space);
  if (dim <= 0) throw invalid("dimension must be positive, got " + std::to_string(dim));
  if (capacity < 0) throw invalid("capacity must not be negative");
}

}  // namespace
}  // namespace strata

using namespace strata;

extern "C" {

STRATA_API int32_t strata_hnsw_create(int32_t space, int64_t dim, int64_t m, int64_t ef_construction, int64_t capacity,
                                      int64_t seed, strata_hnsw** out_index) {
  return guarded(__func__, [&] {
    if (out_index == nullptr) throw invalid("out_index is null");
    *out_index = nullptr;
    check_space(space);
    if (dim <= 0) throw invalid("dimension must be positive, got " + std::to_string(dim));
    if (m < 2 || m > 10000) throw invalid("M must be in [2, 10000], got " + std::to_string(m));
    if (ef_construction <= 0) throw invalid("ef_construction must be positive, got " + std::to_string(ef_construction));
    if (capacity < 0) throw invalid("capacity must not be negative, got " + std::to_string(capacity));
    *out_index = publish(hnsw::create(space, static_cast<size_t>(dim), static_cast<size_t>(m),
                                      static_cast<size_t>(ef_construction), static_cast<size_t>(capacity),
                                      static_cast<size_t>(seed)));
  });
}

STRATA_API int32_t strata_hnsw_set_insert_threads(int32_t threads) {
  return guarded(__func__, [&] {
    if (threads < 0 || threads > 256) throw invalid("insert threads must be in [0, 256], got " + std::to_string(threads));
    hnsw::set_insert_threads(static_cast<unsigned>(threads));
  });
}

STRATA_API int32_t strata_hnsw_get_insert_threads(int32_t* out_threads) {
  return guarded(__func__, [&] {
    if (out_threads == nullptr) throw invalid("out_threads is null");
    *out_threads = static_cast<int32_t>(hnsw::insert_threads());
  });
}

STRATA_API int32_t strata_hnsw_free(strata_hnsw* index) {
  return guarded(__func__, [&] {
    std::shared_ptr<Index> removed;
    {
      std::unique_lock guard(registry_lock);
      auto it = registry.find(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(index)));
      if (it == registry.end()) throw Error(STRATA_ERR_CLOSED, "index is already freed (or the handle was never valid)");
      removed = std::move(it->second);
      registry.erase(it);
    }
    // In-flight calls hold their own reference; the memory goes when the last of them returns.
  });
}

STRATA_API int32_t strata_hnsw_add(strata_hnsw* handle, const int64_t* labels, const float* vectors, int64_t n,
                                   int64_t dim) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    check_dim(*index, dim);
    hnsw::add(*index, labels, vectors, n);
  });
}

STRATA_API int32_t strata_hnsw_add_arrow(strata_hnsw* handle, const int64_t* labels, const struct ArrowArray* array,
                                         const struct ArrowSchema* schema) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    FloatRows rows = view_float_rows(array, schema);
    check_dim(*index, rows.dim);
    hnsw::add(*index, labels, rows.data, rows.rows);
  });
}

STRATA_API int32_t strata_hnsw_mark_deleted(strata_hnsw* handle, const int64_t* labels, int64_t n) {
  return guarded(__func__, [&] { hnsw::mark_deleted(*acquire(handle), labels, n); });
}

STRATA_API int32_t strata_hnsw_resize(strata_hnsw* handle, int64_t capacity) {
  return guarded(__func__, [&] { hnsw::resize(*acquire(handle), capacity); });
}

STRATA_API int32_t strata_hnsw_set_ef(strata_hnsw* handle, int64_t ef) {
  return guarded(__func__, [&] { hnsw::set_ef(*acquire(handle), ef); });
}

STRATA_API int32_t strata_hnsw_count(strata_hnsw* handle, int64_t* out_count) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    if (out_count == nullptr) throw invalid("out_count is null");
    *out_count = hnsw::live_count(*index);
  });
}

STRATA_API int32_t strata_hnsw_capacity(strata_hnsw* handle, int64_t* out_capacity) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    if (out_capacity == nullptr) throw invalid("out_capacity is null");
    *out_capacity = hnsw::capacity(*index);
  });
}

STRATA_API int32_t strata_hnsw_compact(strata_hnsw* handle, double max_deleted_fraction, int32_t* out_rebuilt) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    if (!(max_deleted_fraction >= 0.0 && max_deleted_fraction <= 1.0)) {
      throw invalid("max_deleted_fraction must be in [0, 1], got " + std::to_string(max_deleted_fraction));
    }
    if (out_rebuilt != nullptr) *out_rebuilt = 0;
    bool rebuilt = hnsw::compact(*index, max_deleted_fraction);
    if (out_rebuilt != nullptr) *out_rebuilt = rebuilt ? 1 : 0;
  });
}

STRATA_API int32_t strata_hnsw_search(strata_hnsw* handle, const float* queries, int64_t nq, int64_t dim, int64_t k,
                                      int32_t filter_kind, const void* filter_data, int64_t filter_len,
                                      int64_t* out_labels, float* out_distances, int32_t* out_counts) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    check_dim(*index, dim);
    AllowList allow(filter_kind, filter_data, filter_len);
    hnsw::search(*index, queries, nq, k, allow, out_labels, out_distances, out_counts);
  });
}

STRATA_API int32_t strata_hnsw_search_arrow(strata_hnsw* handle, const struct ArrowArray* queries,
                                            const struct ArrowSchema* schema, int64_t k, int32_t filter_kind,
                                            const void* filter_data, int64_t filter_len, int64_t* out_labels,
                                            float* out_distances, int32_t* out_counts) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    FloatRows rows = view_float_rows(queries, schema);
    check_dim(*index, rows.dim);
    AllowList allow(filter_kind, filter_data, filter_len);
    hnsw::search(*index, rows.data, rows.rows, k, allow, out_labels, out_distances, out_counts);
  });
}

STRATA_API int32_t strata_hnsw_save(strata_hnsw* handle, const char* path) {
  return guarded(__func__, [&] {
    auto index = acquire(handle);
    if (path == nullptr || *path == '\0') throw invalid("path is null or empty");
    hnsw_file::write(path, hnsw::serialize(*index));
  });
}

STRATA_API int32_t strata_hnsw_load(const char* path, int32_t space, int64_t dim, int64_t capacity,
                                    strata_hnsw** out_index) {
  return guarded(__func__, [&] {
    if (out_index == nullptr) throw invalid("out_index is null");
    *out_index = nullptr;
    if (path == nullptr || *path == '\0') throw invalid("path is null or empty");
    check_load_args(space, dim, capacity);
    hnsw_file::MappedFile file(path);
    *out_index = publish(hnsw::deserialize(path, file.bytes(), space, dim, capacity));
  });
}

STRATA_API int32_t strata_hnsw_load_memory(const void* data, int64_t size, const char* name, int32_t space,
                                           int64_t dim, int64_t capacity, strata_hnsw** out_index) {
  return guarded(__func__, [&] {
    if (out_index == nullptr) throw invalid("out_index is null");
    *out_index = nullptr;
    if (data == nullptr && size != 0) throw invalid("data is null");
    if (size < 0) throw invalid("size must not be negative");
    check_load_args(space, dim, capacity);
    std::string what = name != nullptr && *name != '\0' ? name : "index bytes";
    *out_index = publish(hnsw::deserialize(what, std::string_view(static_cast<const char*>(data), static_cast<size_t>(size)),
                                           space, dim, capacity));
  });
}

}  // extern "C"
