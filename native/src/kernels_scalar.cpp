// Portable kernels: eight independent partial sums so the compiler can vectorize with baseline SSE2.
#include "kernels.h"

namespace strata {
namespace {

constexpr size_t kLanes = 8;

float l2sq(const float* a, const float* b, size_t dim) {
  float acc[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= dim; i += kLanes) {
    for (size_t j = 0; j < kLanes; j++) {
      float d = a[i + j] - b[i + j];
      acc[j] += d * d;
    }
  }
  float sum = 0;
  for (size_t j = 0; j < kLanes; j++) sum += acc[j];
  for (; i < dim; i++) {
    float d = a[i] - b[i];
    sum += d * d;
  }
  return sum;
}

float dot(const float* a, const float* b, size_t dim) {
  float acc[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= dim; i += kLanes) {
    for (size_t j = 0; j < kLanes; j++) acc[j] += a[i + j] * b[i + j];
  }
  float sum = 0;
  for (size_t j = 0; j < kLanes; j++) sum += acc[j];
  for (; i < dim; i++) sum += a[i] * b[i];
  return sum;
}

void dot_norm(const float* a, const float* b, size_t dim, float* out_dot, float* out_norm2) {
  float accd[kLanes] = {}, accn[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= dim; i += kLanes) {
    for (size_t j = 0; j < kLanes; j++) {
      accd[j] += a[i + j] * b[i + j];
      accn[j] += b[i + j] * b[i + j];
    }
  }
  float d = 0, n = 0;
  for (size_t j = 0; j < kLanes; j++) {
    d += accd[j];
    n += accn[j];
  }
  for (; i < dim; i++) {
    d += a[i] * b[i];
    n += b[i] * b[i];
  }
  *out_dot = d;
  *out_norm2 = n;
}

float sq8_dot(const float* w, const uint8_t* code, size_t dim) {
  float acc[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= dim; i += kLanes) {
    for (size_t j = 0; j < kLanes; j++) acc[j] += w[i + j] * static_cast<float>(code[i + j]);
  }
  float sum = 0;
  for (size_t j = 0; j < kLanes; j++) sum += acc[j];
  for (; i < dim; i++) sum += w[i] * static_cast<float>(code[i]);
  return sum;
}

float sq8_l2(const float* a, const float* s, const uint8_t* code, size_t dim) {
  float acc[kLanes] = {};
  size_t i = 0;
  for (; i + kLanes <= dim; i += kLanes) {
    for (size_t j = 0; j < kLanes; j++) {
      float d = a[i + j] - s[i + j] * static_cast<float>(code[i + j]);
      acc[j] += d * d;
    }
  }
  float sum = 0;
  for (size_t j = 0; j < kLanes; j++) sum += acc[j];
  for (; i < dim; i++) {
    float d = a[i] - s[i] * static_cast<float>(code[i]);
    sum += d * d;
  }
  return sum;
}

// The portable build has no wide registers to share: four single-row passes.
template <float (*Kernel)(const float*, const float*, size_t)>
void four_rows(const float* q, const float* const* rows, size_t dim, float* out) {
  for (int r = 0; r < 4; r++) out[r] = Kernel(q, rows[r], dim);
}

}  // namespace

const KernelTable& scalar_kernels() {
  static const KernelTable table = make_kernel_table<l2sq, dot, dot_norm, four_rows<l2sq>, four_rows<dot>, sq8_dot,
                                                           sq8_l2>("scalar");
  return table;
}

}  // namespace strata
