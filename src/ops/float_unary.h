// Unary operators PyTorch 1.13 computes on dequantized values: each element
// is dequantized, mapped in float32, and quantized again (formulas in
// docs/numerics.md).
#ifndef QTENSOR_OPS_FLOAT_UNARY_H_
#define QTENSOR_OPS_FLOAT_UNARY_H_

#include "core/tensor.h"

namespace qtensor::ops {

// F.leaky_relu(q, negative_slope): y = x >= 0 ? x : x * negative_slope in
// float32, quantized with src's own parameters. Throws for a non-finite
// slope.
core::Tensor LeakyRelu(const core::Tensor& src, float negative_slope);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_FLOAT_UNARY_H_
