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

#include "core/tensor.h"
#include "ops/packed_linear.h"

namespace qtensor::ops {

core::Tensor Linear(const core::Tensor& input, const PackedLinear& weights, double scale,
                    int64_t zero_point, bool relu);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_LINEAR_H_
