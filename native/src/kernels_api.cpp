// strata_distances / strata_topk: one query against n contiguous vectors, with the active kernels.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "arrow_view.h"
#include "kernels.h"
#include "status.h"
#include "top_k.h"

namespace strata {

void check_metric(int32_t metric) {
  if (metric != STRATA_SPACE_L2 && metric != STRATA_SPACE_IP && metric != STRATA_SPACE_COSINE) {
    throw invalid("unknown metric " + std::to_string(metric) + " (0 = l2, 1 = ip, 2 = cosine)");
  }
}

namespace {

void check_rows(const float* query, const float* vectors, int64_t n, int64_t dim) {
  if (query == nullptr) throw invalid("query is null");
  if (dim <= 0) throw invalid("dimension must be positive, got " + std::to_string(dim));
  if (n < 0) throw invalid("vector count must not be negative, got " + std::to_string(n));
  if (vectors == nullptr && n > 0) throw invalid("vectors is null");
}

// Computes distances of rows [begin, end) into out; cosine of a zero vector is 1 (orthogonal to all).
void distances(int32_t metric, const float* q, const float* vectors, int64_t begin, int64_t end, size_t dim,
               float* out) {
  const KernelTable& k = active_kernels();
  switch (metric) {
    case STRATA_SPACE_L2:
      for (int64_t i = begin; i < end; i++) out[i - begin] = k.l2sq(q, vectors + i * dim, dim);
      break;
    case STRATA_SPACE_IP:
      for (int64_t i = begin; i < end; i++) out[i - begin] = 1.0f - k.dot(q, vectors + i * dim, dim);
      break;
    default: {
      float qnorm = std::sqrt(k.dot(q, q, dim));
      for (int64_t i = begin; i < end; i++) {
        float dot, norm2;
        k.dot_norm(q, vectors + i * dim, dim, &dot, &norm2);
        float denom = qnorm * std::sqrt(norm2);
        out[i - begin] = denom > 0.0f ? 1.0f - dot / denom : 1.0f;
      }
    }
  }
}

void topk(int32_t metric, const float* q, const float* vectors, int64_t n, int64_t dim, int64_t k,
          int64_t* out_indices, float* out_distances, int64_t* out_count) {
  if (k <= 0) throw invalid("k must be positive, got " + std::to_string(k));
  if (out_indices == nullptr || out_distances == nullptr || out_count == nullptr) throw invalid("an output is null");
  TopK best(k);  // ties go to the lower index
  constexpr int64_t kChunk = 1024;
  float chunk[kChunk];
  for (int64_t begin = 0; begin < n; begin += kChunk) {
    int64_t end = std::min(n, begin + kChunk);
    distances(metric, q, vectors, begin, end, static_cast<size_t>(dim), chunk);
    for (int64_t i = begin; i < end; i++) {
      best.offer(chunk[i - begin], i);
    }
  }
  *out_count = best.drain(out_distances, out_indices);
}

}  // namespace
}  // namespace strata

using namespace strata;

extern "C" {

STRATA_API int32_t strata_distances(int32_t metric, const float* query, const float* vectors, int64_t n,
                                    int64_t dim, float* out_distances) {
  return guarded(__func__, [&] {
    check_metric(metric);
    check_rows(query, vectors, n, dim);
    if (out_distances == nullptr && n > 0) throw invalid("out_distances is null");
    distances(metric, query, vectors, 0, n, static_cast<size_t>(dim), out_distances);
  });
}

STRATA_API int32_t strata_distances_arrow(int32_t metric, const float* query, int64_t dim,
                                          const struct ArrowArray* array, const struct ArrowSchema* schema,
                                          float* out_distances) {
  return guarded(__func__, [&] {
    check_metric(metric);
    FloatRows rows = view_float_rows(array, schema);
    if (rows.dim != dim) throw invalid("query has dimension " + std::to_string(dim) + ", vectors have " + std::to_string(rows.dim));
    check_rows(query, rows.data, rows.rows, dim);
    if (out_distances == nullptr && rows.rows > 0) throw invalid("out_distances is null");
    distances(metric, query, rows.data, 0, rows.rows, static_cast<size_t>(dim), out_distances);
  });
}

STRATA_API int32_t strata_topk(int32_t metric, const float* query, const float* vectors, int64_t n, int64_t dim,
                               int64_t k, int64_t* out_indices, float* out_distances, int64_t* out_count) {
  return guarded(__func__, [&] {
    check_metric(metric);
    check_rows(query, vectors, n, dim);
    topk(metric, query, vectors, n, dim, k, out_indices, out_distances, out_count);
  });
}

STRATA_API int32_t strata_topk_arrow(int32_t metric, const float* query, int64_t dim, const struct ArrowArray* array,
                                     const struct ArrowSchema* schema, int64_t k, int64_t* out_indices,
                                     float* out_distances, int64_t* out_count) {
  return guarded(__func__, [&] {
    check_metric(metric);
    FloatRows rows = view_float_rows(array, schema);
    if (rows.dim != dim) throw invalid("query has dimension " + std::to_string(dim) + ", vectors have " + std::to_string(rows.dim));
    check_rows(query, rows.data, rows.rows, dim);
    topk(metric, query, rows.data, rows.rows, dim, k, out_indices, out_distances, out_count);
  });
}

}  // extern "C"
