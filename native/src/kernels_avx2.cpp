// AVX2+FMA kernels. This translation unit alone is compiled with -march=x86-64-v3; nothing here
// runs unless dispatch.cpp found AVX2 and FMA on the CPU.
#include <immintrin.h>

#include "kernels.h"

namespace strata {
namespace {

inline float hsum(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  __m128 shuf = _mm_movehdup_ps(lo);
  __m128 sums = _mm_add_ps(lo, shuf);
  shuf = _mm_movehl_ps(shuf, sums);
  sums = _mm_add_ss(sums, shuf);
  return _mm_cvtss_f32(sums);
}

// One term of a distance sum: dot adds q * b, l2 adds (q - b)^2.
struct DotTerm {
  static __m256 add(__m256 acc, __m256 q, __m256 b) { return _mm256_fmadd_ps(q, b, acc); }
  static float add(float acc, float q, float b) { return acc + q * b; }
};

struct L2Term {
  static __m256 add(__m256 acc, __m256 q, __m256 b) {
    __m256 d = _mm256_sub_ps(q, b);
    return _mm256_fmadd_ps(d, d, acc);
  }
  static float add(float acc, float q, float b) {
    float d = q - b;
    return acc + d * d;
  }
};

// R rows against one query: per row two accumulators over 16 floats a step, one more step of 8, then
// a scalar tail. The one-row kernels (l2sq, dot) and the four-row ones (the HNSW walk's batches: eight
// independent FMA chains, each query load shared by four rows) are this one loop, so a row's distance
// has the same bits whichever kernel computed it.
template <typename Term, int R>
void rows_kernel(const float* q, const float* const* rows, size_t dim, float* out) {
  __m256 lo[R], hi[R];
  for (int r = 0; r < R; r++) lo[r] = hi[r] = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m256 q0 = _mm256_loadu_ps(q + i);
    __m256 q1 = _mm256_loadu_ps(q + i + 8);
    for (int r = 0; r < R; r++) {
      lo[r] = Term::add(lo[r], q0, _mm256_loadu_ps(rows[r] + i));
      hi[r] = Term::add(hi[r], q1, _mm256_loadu_ps(rows[r] + i + 8));
    }
  }
  if (i + 8 <= dim) {
    __m256 q0 = _mm256_loadu_ps(q + i);
    for (int r = 0; r < R; r++) lo[r] = Term::add(lo[r], q0, _mm256_loadu_ps(rows[r] + i));
    i += 8;
  }
  for (int r = 0; r < R; r++) {
    float sum = hsum(_mm256_add_ps(lo[r], hi[r]));
    for (size_t j = i; j < dim; j++) sum = Term::add(sum, q[j], rows[r][j]);
    out[r] = sum;
  }
}

template <typename Term>
float one_row(const float* a, const float* b, size_t dim) {
  float out;
  rows_kernel<Term, 1>(a, &b, dim, &out);
  return out;
}

void dot_norm(const float* a, const float* b, size_t dim, float* out_dot, float* out_norm2) {
  __m256 accd = _mm256_setzero_ps(), accn = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 8 <= dim; i += 8) {
    __m256 vb = _mm256_loadu_ps(b + i);
    accd = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), vb, accd);
    accn = _mm256_fmadd_ps(vb, vb, accn);
  }
  float d = hsum(accd), n = hsum(accn);
  for (; i < dim; i++) {
    d += a[i] * b[i];
    n += b[i] * b[i];
  }
  *out_dot = d;
  *out_norm2 = n;
}

}  // namespace

const KernelTable& avx2_kernels() {
  static const KernelTable table = make_kernel_table<one_row<L2Term>, one_row<DotTerm>, dot_norm, rows_kernel<L2Term, 4>,
                                                           rows_kernel<DotTerm, 4>>("avx2");
  return table;
}

}  // namespace strata
