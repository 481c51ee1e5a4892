// torch.ops.quantized.linear / linear_relu: y = x W^T + b on quantized
// values, with the exact integer accumulation and the one requantization
// formula of docs/numerics.md ("Linear"):
//
//   acc[i][j] = sum_k (x[i][k] - zx) * (w[j][k] - zw[j]) + bq[j]     (exact)
//   bq[j]     = bias[j] quantized to qint32 with scale sx * sw[j] (double),
//               zero point 0, as quantize_per_tensor does
//   out[i][j] = clamp(nearbyint((float)acc * m[j]) + zo)   relu: from zo
//   m[j]      = ((float)sw[j] * (float)sx) / (float)so      (float32)
//
// which is PyTorch's qnnpack engine's. x: quint8 or qint8 per tensor, any
// shape [..., in_features] and any view layout; the result [...,
// out_features] has x's dtype and the given scale and zero point.
#ifndef QTENSOR_OPS_LINEAR_H_
#define QTENSOR_OPS_LINEAR_H_

#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "ops/packed_linear.h"

namespace qtensor::ops {

core::Tensor Linear(const core::Tensor& input, const PackedLinear& weights, double scale,
                    int64_t zero_point, bool relu);

// torch.ops.quantized.linear_dynamic(x, packed, reduce_range): the n floats
// of x, row-major with the given shape [..., in_features], quantized to
// quint8 per tensor as quantize_per_tensor_dynamic(x, quint8, reduce_range)
// does, then for each row and output column
//
//   y[i][j] = (float)acc[i][j] * ((float)sx * (float)sw[j]) + bias[j]   (float32)
//
// with acc as in Linear but without the bias (PyTorch's qnnpack formula).
// Writes numel / in_features * out_features floats to out. Throws
// kShapeMismatch when the last dim is not in_features and kInvalidArgument
// for NaN or infinite inputs.
// The number of floats LinearDynamic writes for an input of this shape;
// throws as LinearDynamic does for a bad shape.
size_t LinearDynamicOutputSize(const std::vector<int64_t>& shape, const PackedLinear& weights);

void LinearDynamic(const float* data, const std::vector<int64_t>& shape,
                   const PackedLinear& weights, bool reduce_range, float* out);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_LINEAR_H_
