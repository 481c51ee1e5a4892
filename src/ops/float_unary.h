// Unary operators PyTorch 1.13 computes on dequantized values: each element
// is dequantized, mapped in float32, and quantized again (formulas in
// docs/numerics.md).
#ifndef QTENSOR_OPS_FLOAT_UNARY_H_
#define QTENSOR_OPS_FLOAT_UNARY_H_

#include <cstdint>

#include "core/tensor.h"

namespace qtensor::ops {

// F.leaky_relu(q, negative_slope): y = x >= 0 ? x : x * negative_slope in
// float32, quantized with src's own parameters. Throws for a non-finite
// slope.
core::Tensor LeakyRelu(const core::Tensor& src, float negative_slope);

// torch.ops.quantized.hardswish(q, scale, zero_point): y = x * min(max(x +
// 3, 0), 6) / 6 in float32, quantized with the given per-tensor parameters
// into src's dtype, multiplying by (float)(1 / scale) as PyTorch's kernel
// does. Throws for a bad scale or zero point.
core::Tensor Hardswish(const core::Tensor& src, double scale, int64_t zero_point);

// torch.sigmoid(q): y = sigmoid(x) by qtensor's own float32 formula
// (kernels::SigmoidFloats), quantized with PyTorch's fixed parameters for
// src's dtype: scale 2^-8 (qint32: 2^-32), zero point 0 (qint8: -128).
core::Tensor Sigmoid(const core::Tensor& src);
// torch.tanh(q): y = tanh(x) by qtensor's own formula (kernels::TanhFloats),
// quantized with scale 2^-7 (qint32: 2^-31) and zero point 0 (quint8: 128).
core::Tensor Tanh(const core::Tensor& src);

// The same into an existing tensor dst of src's shape with the result's
// parameters (an operator above gives such a tensor); dst may not share
// src's storage unless it is src itself. For the benchmarks' fresh-versus-
// existing comparison and for callers that reuse a result.
void LeakyReluInto(const core::Tensor& dst, const core::Tensor& src, float negative_slope);
void HardswishInto(const core::Tensor& dst, const core::Tensor& src);
void SigmoidInto(const core::Tensor& dst, const core::Tensor& src);
void TanhInto(const core::Tensor& dst, const core::Tensor& src);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_FLOAT_UNARY_H_
