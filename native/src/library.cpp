// Library-wide entry points: version, last error, kernel dispatch.
#include <malloc.h>

#include <atomic>
#include <string>

#include "kernels.h"
#include "status.h"

#ifndef STRATA_VERSION
#define STRATA_VERSION "0.0.0"
#endif

namespace strata {
namespace {

thread_local std::string last_error;

// The AVX2 table exists only in x86-64 builds (kernels_avx2.cpp); elsewhere (aarch64) the portable
// table, which the compiler vectorizes for the target's baseline (NEON), is all there is.
const KernelTable* avx2_table() {
#if defined(__x86_64__)
  return &avx2_kernels();
#else
  return nullptr;
#endif
}

// The CPU's best. The library reads no environment: Strata's settings table parses STRATA_DISPATCH and a
// node passes it on through strata_set_dispatch (docs/engine.md, settings).
const KernelTable* initial_kernels() { return cpu_supports_avx2_fma() ? avx2_table() : &scalar_kernels(); }

std::atomic<const KernelTable*>& active() {
  static std::atomic<const KernelTable*> table{initial_kernels()};
  return table;
}

}  // namespace

void set_last_error(const std::string& message) { last_error = message; }

bool cpu_supports_avx2_fma() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

const KernelTable& active_kernels() { return *active().load(std::memory_order_acquire); }

}  // namespace strata

using namespace strata;

extern "C" {

STRATA_API const char* strata_version(void) { return STRATA_VERSION; }

STRATA_API const char* strata_last_error(void) { return last_error.c_str(); }

STRATA_API int32_t strata_get_dispatch(int32_t* out_dispatch) {
  return guarded(__func__, [&] {
    if (out_dispatch == nullptr) throw invalid("out_dispatch is null");
    *out_dispatch = &active_kernels() == avx2_table() ? STRATA_DISPATCH_AVX2 : STRATA_DISPATCH_SCALAR;
  });
}

STRATA_API int32_t strata_set_dispatch(int32_t dispatch) {
  return guarded(__func__, [&] {
    if (dispatch == STRATA_DISPATCH_SCALAR) {
      active().store(&scalar_kernels(), std::memory_order_release);
    } else if (dispatch == STRATA_DISPATCH_AVX2) {
      if (!cpu_supports_avx2_fma()) throw Error(STRATA_ERR_UNSUPPORTED, "this CPU lacks AVX2 or FMA (or is not x86-64)");
      active().store(avx2_table(), std::memory_order_release);
    } else {
      throw invalid("unknown dispatch " + std::to_string(dispatch) + " (0 = scalar, 1 = avx2)");
    }
  });
}

STRATA_API int32_t strata_release_memory(void) {
  return guarded(__func__, [] {
    // glibc keeps freed chunks in its arenas; an index copy freed after a compaction left ~100 MB of
    // free but resident pages at 100k x 384. malloc_trim returns whole free pages, also mid-heap.
    malloc_trim(0);
  });
}

}  // extern "C"
