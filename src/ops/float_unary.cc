#include "ops/float_unary.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "core/tensor_ops.h"

namespace qtensor::ops {

core::Tensor LeakyRelu(const core::Tensor& src, float negative_slope) {
  if (!std::isfinite(negative_slope)) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               "leaky_relu: negative_slope " + std::to_string(negative_slope) + " is not finite");
  }
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), src.EffectiveQuantizer());
  core::MapInto(result, src, [negative_slope](float* values, size_t count) {
    for (size_t i = 0; i < count; ++i) {
      if (!(values[i] >= 0.0f)) values[i] *= negative_slope;
    }
  });
  return result;
}

}  // namespace qtensor::ops
