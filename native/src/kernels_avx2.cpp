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

// Eight codes widened to floats: bytes -> int32 lanes -> float lanes (exact: codes are 0..255).
inline __m256 widen8(__m128i bytes) { return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes)); }

// SQ8 terms: the dot adds w * c; the l2 adds (a - s * c)^2 (s * c subtracted by one fnmadd).
struct Sq8Dot {
  const float* w;
  __m256 add(__m256 acc, size_t i, __m256 c) const { return _mm256_fmadd_ps(_mm256_loadu_ps(w + i), c, acc); }
  float add(float acc, size_t i, float c) const { return acc + w[i] * c; }
};

struct Sq8L2 {
  const float* a;
  const float* s;
  __m256 add(__m256 acc, size_t i, __m256 c) const {
    __m256 d = _mm256_fnmadd_ps(_mm256_loadu_ps(s + i), c, _mm256_loadu_ps(a + i));
    return _mm256_fmadd_ps(d, d, acc);
  }
  float add(float acc, size_t i, float c) const {
    float d = a[i] - s[i] * c;
    return acc + d * d;
  }
};

// 16 codes a step (one 128-bit load, two widenings, two independent accumulators), then 8, then scalar.
template <typename Term>
float sq8_row(const Term& term, const uint8_t* code, size_t dim) {
  __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(code + i));
    lo = term.add(lo, i, widen8(bytes));
    hi = term.add(hi, i + 8, widen8(_mm_unpackhi_epi64(bytes, bytes)));
  }
  if (i + 8 <= dim) {
    lo = term.add(lo, i, widen8(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(code + i))));
    i += 8;
  }
  float sum = hsum(_mm256_add_ps(lo, hi));
  for (; i < dim; i++) sum = term.add(sum, i, static_cast<float>(code[i]));
  return sum;
}

float sq8_dot(const float* w, const uint8_t* code, size_t dim) { return sq8_row(Sq8Dot{w}, code, dim); }

float sq8_l2(const float* a, const float* s, const uint8_t* code, size_t dim) { return sq8_row(Sq8L2{a, s}, code, dim); }

}  // namespace

const KernelTable& avx2_kernels() {
  static const KernelTable table = make_kernel_table<one_row<L2Term>, one_row<DotTerm>, dot_norm, rows_kernel<L2Term, 4>,
                                                           rows_kernel<DotTerm, 4>, sq8_dot, sq8_l2>("avx2");
  return table;
}

}  // namespace strata
