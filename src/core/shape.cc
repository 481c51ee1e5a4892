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

}  // namespace qtensor::core
