// Internal: status codes with a thread-local message, and the boundary that turns C++ exceptions
// into status codes (no exception may cross the C ABI).
#pragma once
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "strata.h"

namespace strata {

// An error with its status code; thrown inside the library, caught at the ABI boundary.
class Error : public std::runtime_error {
 public:
  Error(int32_t status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int32_t status() const { return status_; }

 private:
  int32_t status_;
};

void set_last_error(const std::string& message);

inline Error invalid(const std::string& message) { return Error(STRATA_ERR_INVALID_ARGUMENT, message); }

template <typename Body>
int32_t guarded(const char* function, Body&& body) noexcept {
  try {
    body();
    return STRATA_OK;
  } catch (const Error& e) {
    set_last_error(std::string(function) + ": " + e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    set_last_error(std::string(function) + ": out of memory");
    return STRATA_ERR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(std::string(function) + ": " + e.what());
    return STRATA_ERR_INTERNAL;
  } catch (...) {
    set_last_error(std::string(function) + ": unknown failure");
    return STRATA_ERR_INTERNAL;
  }
}

}  // namespace strata
