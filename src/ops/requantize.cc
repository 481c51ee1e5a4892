#include "ops/requantize.h"

#include "core/tensor_ops.h"

namespace qtensor::ops {

core::Tensor Requantize(const core::Tensor& src, const core::Quantizer& quantizer) {
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), quantizer);
  core::RequantizeInto(result, src);
  return result;
}

}  // namespace qtensor::ops
