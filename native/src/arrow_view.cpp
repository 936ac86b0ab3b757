#include "arrow_view.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "status.h"

namespace strata {
namespace {

// A declared null is refused: a null vector has no distance, and skipping it would shift rows.
void require_no_nulls(const ArrowArray* a, const char* what) {
  if (a->null_count != 0 && a->n_buffers > 0 && a->buffers != nullptr && a->buffers[0] != nullptr) {
    throw invalid(std::string(what) + " has nulls (null_count " + std::to_string(a->null_count) + ")");
  }
}

}  // namespace

FloatRows view_float_rows(const ArrowArray* array, const ArrowSchema* schema) {
  if (array == nullptr || schema == nullptr) throw invalid("arrow array or schema is null");
  if (array->release == nullptr || schema->release == nullptr) throw invalid("arrow array or schema is released");
  const char* format = schema->format;
  if (format == nullptr || std::strncmp(format, "+w:", 3) != 0) {
    throw invalid(std::string("expected a FixedSizeList (format +w:<dim>), got ") + (format ? format : "null"));
  }
  char* end = nullptr;
  long long dim = std::strtoll(format + 3, &end, 10);
  if (end == format + 3 || *end != '\0' || dim <= 0) throw invalid(std::string("bad list size in format ") + format);
  if (schema->n_children != 1 || schema->children == nullptr || schema->children[0] == nullptr ||
      schema->children[0]->format == nullptr || std::strcmp(schema->children[0]->format, "f") != 0) {
    throw invalid("expected a FixedSizeList whose child is float32 (format f)");
  }
  if (array->length < 0 || array->offset < 0) throw invalid("negative arrow length or offset");
  if (array->n_children != 1 || array->children == nullptr || array->children[0] == nullptr) {
    throw invalid("FixedSizeList array must have exactly one child array");
  }
  const ArrowArray* child = array->children[0];
  if (child->n_buffers != 2 || child->buffers == nullptr) throw invalid("float32 child must have 2 buffers");
  if (child->offset < 0) throw invalid("negative offset in float32 child");
  // The child holds offset + length lists of dim values each.
  if (child->length < (array->offset + array->length) * dim) {
    throw invalid("float32 child has " + std::to_string(child->length) + " values, fewer than " +
                  std::to_string((array->offset + array->length) * dim));
  }
  require_no_nulls(array, "FixedSizeList array");
  require_no_nulls(child, "float32 child array");
  const float* values = static_cast<const float*>(child->buffers[1]);
  if (values == nullptr && array->length > 0) throw invalid("float32 child has no data buffer");
  return FloatRows{values == nullptr ? nullptr : values + child->offset + array->offset * dim, array->length, dim};
}

}  // namespace strata
