// Internal: the distance kernel table and the runtime choice between its implementations.
#pragma once
#include <cstddef>
#include <cstdint>

namespace strata {

struct KernelTable {
  const char* name;
  float (*l2sq)(const float* a, const float* b, size_t dim);
  float (*dot)(const float* a, const float* b, size_t dim);
  // dot(a, b) and |b|^2 in one pass: cosine against unnormalized stored vectors.
  void (*dot_norm)(const float* a, const float* b, size_t dim, float* out_dot, float* out_norm2);
  // hnswlib distance-function shapes (param points at a size_t dimension).
  float (*hnsw_l2)(const void* a, const void* b, const void* dim);
  float (*hnsw_ip)(const void* a, const void* b, const void* dim);
  // One query against four rows in one pass (the HNSW walk's batches): each query load serves four
  // rows and the four rows' loads are independent, so their cache misses overlap. out[r] equals
  // l2sq / dot of rows[r] bit for bit (same accumulation order), so batched and single scores mix.
  void (*l2sq4)(const float* q, const float* const* rows, size_t dim, float* out);
  void (*dot4)(const float* q, const float* const* rows, size_t dim, float* out);
  // 8-bit scalar quantization (ivf.cpp): a code row holds one byte per dimension. sq8_dot is
  // sum(w[i] * code[i]); sq8_l2 is sum((a[i] - s[i] * code[i])^2). The query is transformed per
  // dimension beforehand (w = q * scale, a = q - min, s = scale), so the loop is a widen + FMA.
  float (*sq8_dot)(const float* w, const uint8_t* code, size_t dim);
  float (*sq8_l2)(const float* a, const float* s, const uint8_t* code, size_t dim);
};

// Adapters from a kernel to hnswlib's distance-function shape (the parameter points at a size_t dimension).
template <float (*L2sq)(const float*, const float*, size_t)>
float hnsw_l2_adapter(const void* a, const void* b, const void* dim) {
  return L2sq(static_cast<const float*>(a), static_cast<const float*>(b), *static_cast<const size_t*>(dim));
}

template <float (*Dot)(const float*, const float*, size_t)>
float hnsw_ip_adapter(const void* a, const void* b, const void* dim) {
  return 1.0f - Dot(static_cast<const float*>(a), static_cast<const float*>(b), *static_cast<const size_t*>(dim));
}

using RowsKernel = void (*)(const float*, const float* const*, size_t, float*);
using Sq8DotKernel = float (*)(const float*, const uint8_t*, size_t);
using Sq8L2Kernel = float (*)(const float*, const float*, const uint8_t*, size_t);

template <float (*L2sq)(const float*, const float*, size_t), float (*Dot)(const float*, const float*, size_t),
          void (*DotNorm)(const float*, const float*, size_t, float*, float*), RowsKernel L2sq4, RowsKernel Dot4,
          Sq8DotKernel Sq8Dot, Sq8L2Kernel Sq8L2>
KernelTable make_kernel_table(const char* name) {
  return KernelTable{name, L2sq, Dot, DotNorm, hnsw_l2_adapter<L2sq>, hnsw_ip_adapter<Dot>, L2sq4, Dot4, Sq8Dot, Sq8L2};
}

// Throws STRATA_ERR_INVALID_ARGUMENT unless metric is STRATA_SPACE_L2, _IP or _COSINE (kernels_api.cpp).
void check_metric(int32_t metric);

const KernelTable& scalar_kernels();
const KernelTable& avx2_kernels();
bool cpu_supports_avx2_fma();
// The table in use: AVX2+FMA when the CPU has it, unless STRATA_DISPATCH=scalar or strata_set_dispatch said otherwise.
const KernelTable& active_kernels();

}  // namespace strata
