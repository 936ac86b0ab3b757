// Internal: a borrowed view of an Arrow FixedSizeList<float32> array as a row-major float matrix.
#pragma once
#include <cstdint>

#include "strata.h"

namespace strata {

struct FloatRows {
  const float* data;
  int64_t rows;
  int64_t dim;
};

// Throws Error(STRATA_ERR_INVALID_ARGUMENT) naming what is wrong with the array or schema.
FloatRows view_float_rows(const ArrowArray* array, const ArrowSchema* schema);

}  // namespace strata
