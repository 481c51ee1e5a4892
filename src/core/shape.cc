#include "core/shape.h"

#include <string>

#include "core/error.h"

namespace qtensor::core {

void CheckRank(size_t ndim) {
  if (ndim > kMaxDims) {
    Fail(ErrorKind::kInvalidArgument,
         "rank " + std::to_string(ndim) + " exceeds the maximum of " + std::to_string(kMaxDims));
  }
}

std::string ShapeText(const std::vector<int64_t>& shape, ShapeStyle style) {
  const bool tuple = style == ShapeStyle::kTuple;
  std::string text = tuple ? "(" : "[";
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d > 0) text += ", ";
    text += std::to_string(shape[d]);
  }
  if (tuple && shape.size() == 1) text += ",";
  return text + (tuple ? ")" : "]");
}

}  // namespace qtensor::core
