// A quantized tensor and a number: torch.ops.quantized.add_scalar /
// add_scalar_relu / mul_scalar / mul_scalar_relu, whose output parameters
// PyTorch derives from the input's and the number (formulas in
// docs/numerics.md). Per-tensor inputs, as PyTorch's.
#ifndef QTENSOR_OPS_SCALAR_BINARY_H_
#define QTENSOR_OPS_SCALAR_BINARY_H_

#include "core/tensor.h"

namespace qtensor::ops {

// q + other: with c_q = round(other / scale), the result keeps the scale
// and takes zero point z - c_q when that is in the dtype's range; else the
// range is stretched to keep every sum (PyTorch's rule) and the integers
// requantized. With relu, max(q, new zero point) follows. Throws for a
// per-channel input, a non-finite other, or other / scale past int32.
core::Tensor AddScalar(const core::Tensor& src, double other, bool relu);

// q * other: the integers kept (other > 0), mirrored as qmin + qmax - q
// (other < 0) or zeroed (other == 0), with scale |other| * scale. With
// relu, max(q, new zero point). Throws for a per-channel input, a
// non-finite other, or a new scale that is 0 or infinite.
core::Tensor MulScalar(const core::Tensor& src, double other, bool relu);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_SCALAR_BINARY_H_
