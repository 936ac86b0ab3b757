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

float l2sq(const float* a, const float* b, size_t dim) {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8));
    acc0 = _mm256_fmadd_ps(d0, d0, acc0);
    acc1 = _mm256_fmadd_ps(d1, d1, acc1);
  }
  if (i + 8 <= dim) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i));
    acc0 = _mm256_fmadd_ps(d0, d0, acc0);
    i += 8;
  }
  float sum = hsum(_mm256_add_ps(acc0, acc1));
  for (; i < dim; i++) {
    float d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}

float dot(const float* a, const float* b, size_t dim) {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
  }
  if (i + 8 <= dim) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    i += 8;
  }
  float sum = hsum(_mm256_add_ps(acc0, acc1));
  for (; i < dim; i++) sum += a[i] * b[i];
  return sum;
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

// dot of four rows: per row the same two accumulators, steps and tail as dot() (so the same bits),
// eight independent FMA chains in all, the query loaded once per step.
void dot4(const float* q, const float* const* rows, size_t dim, float* out) {
  const float* b0 = rows[0];
  const float* b1 = rows[1];
  const float* b2 = rows[2];
  const float* b3 = rows[3];
  __m256 s00 = _mm256_setzero_ps(), s01 = _mm256_setzero_ps(), s10 = _mm256_setzero_ps(), s11 = _mm256_setzero_ps();
  __m256 s20 = _mm256_setzero_ps(), s21 = _mm256_setzero_ps(), s30 = _mm256_setzero_ps(), s31 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m256 q0 = _mm256_loadu_ps(q + i);
    __m256 q1 = _mm256_loadu_ps(q + i + 8);
    s00 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b0 + i), s00);
    s01 = _mm256_fmadd_ps(q1, _mm256_loadu_ps(b0 + i + 8), s01);
    s10 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b1 + i), s10);
    s11 = _mm256_fmadd_ps(q1, _mm256_loadu_ps(b1 + i + 8), s11);
    s20 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b2 + i), s20);
    s21 = _mm256_fmadd_ps(q1, _mm256_loadu_ps(b2 + i + 8), s21);
    s30 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b3 + i), s30);
    s31 = _mm256_fmadd_ps(q1, _mm256_loadu_ps(b3 + i + 8), s31);
  }
  if (i + 8 <= dim) {
    __m256 q0 = _mm256_loadu_ps(q + i);
    s00 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b0 + i), s00);
    s10 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b1 + i), s10);
    s20 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b2 + i), s20);
    s30 = _mm256_fmadd_ps(q0, _mm256_loadu_ps(b3 + i), s30);
    i += 8;
  }
  float sum[4] = {hsum(_mm256_add_ps(s00, s01)), hsum(_mm256_add_ps(s10, s11)), hsum(_mm256_add_ps(s20, s21)),
                  hsum(_mm256_add_ps(s30, s31))};
  for (int r = 0; r < 4; r++) {
    for (size_t j = i; j < dim; j++) sum[r] += q[j] * rows[r][j];
    out[r] = sum[r];
  }
}

// l2sq of four rows, likewise matching l2sq() bit for bit.
void l2sq4(const float* q, const float* const* rows, size_t dim, float* out) {
  const float* b0 = rows[0];
  const float* b1 = rows[1];
  const float* b2 = rows[2];
  const float* b3 = rows[3];
  __m256 s00 = _mm256_setzero_ps(), s01 = _mm256_setzero_ps(), s10 = _mm256_setzero_ps(), s11 = _mm256_setzero_ps();
  __m256 s20 = _mm256_setzero_ps(), s21 = _mm256_setzero_ps(), s30 = _mm256_setzero_ps(), s31 = _mm256_setzero_ps();
  size_t i = 0;
  for (; i + 16 <= dim; i += 16) {
    __m256 q0 = _mm256_loadu_ps(q + i);
    __m256 q1 = _mm256_loadu_ps(q + i + 8);
    __m256 d;
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b0 + i));
    s00 = _mm256_fmadd_ps(d, d, s00);
    d = _mm256_sub_ps(q1, _mm256_loadu_ps(b0 + i + 8));
    s01 = _mm256_fmadd_ps(d, d, s01);
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b1 + i));
    s10 = _mm256_fmadd_ps(d, d, s10);
    d = _mm256_sub_ps(q1, _mm256_loadu_ps(b1 + i + 8));
    s11 = _mm256_fmadd_ps(d, d, s11);
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b2 + i));
    s20 = _mm256_fmadd_ps(d, d, s20);
    d = _mm256_sub_ps(q1, _mm256_loadu_ps(b2 + i + 8));
    s21 = _mm256_fmadd_ps(d, d, s21);
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b3 + i));
    s30 = _mm256_fmadd_ps(d, d, s30);
    d = _mm256_sub_ps(q1, _mm256_loadu_ps(b3 + i + 8));
    s31 = _mm256_fmadd_ps(d, d, s31);
  }
  if (i + 8 <= dim) {
    __m256 q0 = _mm256_loadu_ps(q + i);
    __m256 d;
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b0 + i));
    s00 = _mm256_fmadd_ps(d, d, s00);
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b1 + i));
    s10 = _mm256_fmadd_ps(d, d, s10);
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b2 + i));
    s20 = _mm256_fmadd_ps(d, d, s20);
    d = _mm256_sub_ps(q0, _mm256_loadu_ps(b3 + i));
    s30 = _mm256_fmadd_ps(d, d, s30);
    i += 8;
  }
  float sum[4] = {hsum(_mm256_add_ps(s00, s01)), hsum(_mm256_add_ps(s10, s11)), hsum(_mm256_add_ps(s20, s21)),
                  hsum(_mm256_add_ps(s30, s31))};
  for (int r = 0; r < 4; r++) {
    for (size_t j = i; j < dim; j++) {
      float d = q[j] - rows[r][j];
      sum[r] += d * d;
    }
    out[r] = sum[r];
  }
}

}  // namespace

const KernelTable& avx2_kernels() {
  static const KernelTable table = make_kernel_table<l2sq, dot, dot_norm, l2sq4, dot4>("avx2");
  return table;
}

}  // namespace strata
