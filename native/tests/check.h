// A minimal test harness for the C ABI tests (no framework: the tests also run under qemu-user on
// the cross-built aarch64 library, where only the C++ runtime linked into the executable is there).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "strata.h"

namespace check {

inline int failures = 0;

inline void fail(const char* file, int line, const char* what) {
  std::fprintf(stderr, "%s:%d: FAILED: %s (last error: %s)\n", file, line, what, strata_last_error());
  failures++;
}

// Random vectors in [-1, 1), reproducible for a seed. SplitMix64 rather than <random>: libstdc++'s
// random.o needs glibc 2.36's arc4random, and the tests also run on an older glibc.
inline std::vector<float> random_vectors(int64_t n, int64_t dim, uint32_t seed) {
  uint64_t state = 0x9e3779b97f4a7c15ULL * (seed + 1);
  std::vector<float> v(static_cast<size_t>(n * dim));
  for (float& x : v) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    x = float(z >> 40) / float(1 << 24) * 2.0f - 1.0f;
  }
  return v;
}

// Chroma's distances in double precision: the reference the kernels are compared with.
inline double reference_distance(int32_t metric, const float* a, const float* b, int64_t dim) {
  double dot = 0, l2 = 0, na = 0, nb = 0;
  for (int64_t i = 0; i < dim; i++) {
    dot += double(a[i]) * b[i];
    l2 += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
  }
  if (metric == STRATA_SPACE_L2) return l2;
  if (metric == STRATA_SPACE_IP) return 1 - dot;
  if (na == 0 || nb == 0) return 1;
  return 1 - dot / (std::sqrt(na) * std::sqrt(nb));
}

inline int finish(const char* name) {
  if (failures == 0) {
    std::printf("%s: all checks passed\n", name);
    return 0;
  }
  std::fprintf(stderr, "%s: %d check(s) failed\n", name, failures);
  return 1;
}

}  // namespace check

#define CHECK(cond)                                     \
  do {                                                  \
    if (!(cond)) check::fail(__FILE__, __LINE__, #cond); \
  } while (0)

#define CHECK_OK(call) CHECK((call) == STRATA_OK)
#define CHECK_STATUS(call, status) CHECK((call) == (status))
#define CHECK_NEAR(a, b, tol) CHECK(std::fabs(double(a) - double(b)) <= (tol))
