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

template <float (*L2sq)(const float*, const float*, size_t), float (*Dot)(const float*, const float*, size_t),
          void (*DotNorm)(const float*, const float*, size_t, float*, float*)>
KernelTable make_kernel_table(const char* name) {
  return KernelTable{name, L2sq, Dot, DotNorm, hnsw_l2_adapter<L2sq>, hnsw_ip_adapter<Dot>};
}

const KernelTable& scalar_kernels();
const KernelTable& avx2_kernels();
bool cpu_supports_avx2_fma();
// The table in use: AVX2+FMA when the CPU has it, unless STRATA_DISPATCH=scalar or strata_set_dispatch said otherwise.
const KernelTable& active_kernels();

}  // namespace strata
