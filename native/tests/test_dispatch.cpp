// The kernel table in force when main starts. Run as `test_dispatch scalar` with STRATA_DISPATCH=scalar
// in the environment (ctest sets it; dispatch_from_env.cpp passes it on as a node does): the portable
// table must be the active one even on an AVX2 CPU. Run as `test_dispatch auto`: AVX2 exactly when the
// CPU has AVX2 and FMA (on x86-64, as cpuid reports them), the portable table everywhere else.
// Insert threads: the default is every core up to 8; a set count holds until reset; out of range is refused.
#include <cstring>

#include "check.h"

namespace {
bool cpu_has_avx2_fma() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || (std::strcmp(argv[1], "scalar") != 0 && std::strcmp(argv[1], "auto") != 0)) {
    std::fprintf(stderr, "usage: test_dispatch scalar|auto\n");
    return 2;
  }
  int32_t dispatch = -1;
  CHECK_OK(strata_get_dispatch(&dispatch));
  int32_t expected = std::strcmp(argv[1], "scalar") == 0 || !cpu_has_avx2_fma() ? STRATA_DISPATCH_SCALAR
                                                                                   : STRATA_DISPATCH_AVX2;
  CHECK(dispatch == expected);
  if (!cpu_has_avx2_fma()) CHECK_STATUS(strata_set_dispatch(STRATA_DISPATCH_AVX2), STRATA_ERR_UNSUPPORTED);
  int32_t threads = 0;
  CHECK_OK(strata_hnsw_get_insert_threads(&threads));
  CHECK(threads >= 1 && threads <= 8);
  CHECK_OK(strata_hnsw_set_insert_threads(3));
  CHECK_OK(strata_hnsw_get_insert_threads(&threads));
  CHECK(threads == 3);
  CHECK_STATUS(strata_hnsw_set_insert_threads(257), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(strata_hnsw_set_insert_threads(-1), STRATA_ERR_INVALID_ARGUMENT);
  CHECK_OK(strata_hnsw_get_insert_threads(&threads));
  CHECK(threads == 3);
  CHECK_OK(strata_hnsw_set_insert_threads(0));
  CHECK_OK(strata_hnsw_get_insert_threads(&threads));
  CHECK(threads >= 1 && threads <= 8);
  std::printf("test_dispatch %s: active table %s\n", argv[1], dispatch == STRATA_DISPATCH_AVX2 ? "avx2" : "scalar");
  return check::finish("test_dispatch");
}
