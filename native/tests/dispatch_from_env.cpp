// Linked into every test: STRATA_DISPATCH=scalar in the environment (ctest sets it for the portable runs)
// switches the library to its portable kernels before main, as a node does with that setting. The library
// itself reads no environment.
#include <cstdlib>
#include <cstring>

#include "strata.h"

namespace {
struct DispatchFromEnvironment {
  DispatchFromEnvironment() {
    const char* forced = std::getenv("STRATA_DISPATCH");
    if (forced != nullptr && std::strcmp(forced, "scalar") == 0) strata_set_dispatch(STRATA_DISPATCH_SCALAR);
  }
} dispatch_from_environment;
}  // namespace
