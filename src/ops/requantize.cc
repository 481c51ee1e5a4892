#include "ops/requantize.h"

#include "core/tensor_ops.h"
#include "ops/lookup_table.h"

namespace qtensor::ops {

core::Tensor Requantize(const core::Tensor& src, const core::Quantizer& quantizer) {
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), quantizer);
  RequantizeExisting(result, src);
  return result;
}

void RequantizeExisting(const core::Tensor& dst, const core::Tensor& src) {
  RequantizeElements(dst, src);
}

}  // namespace qtensor::ops
