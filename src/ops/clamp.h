// The operators that clamp a quantized tensor's integers and keep its
// parameters, as PyTorch 1.13's quantized kernels do: relu, relu6 and clamp
// (hardtanh). Each bound is a float quantized with the element's own scale
// and zero point, so per-channel tensors work too (PyTorch's kernels take
// per-tensor ones only).
#ifndef QTENSOR_OPS_CLAMP_H_
#define QTENSOR_OPS_CLAMP_H_

#include "core/tensor.h"

namespace qtensor::ops {

// max(q, zero_point): a new contiguous tensor with src's own parameters.
core::Tensor Relu(const core::Tensor& src);
// The same written into the view itself (relu_).
void ReluInPlace(const core::Tensor& tensor);
// min(max(q, zero_point), quantize(6)).
core::Tensor Relu6(const core::Tensor& src);
// min(max(q, quantize(min)), quantize(max)); max wins where min > max, as
// in torch.clamp. Throws for a NaN bound.
core::Tensor Clamp(const core::Tensor& src, float min, float max);

// The same into an existing contiguous tensor dst of src's shape and
// parameters (for callers that reuse a result, and the benchmarks).
void ReluInto(const core::Tensor& dst, const core::Tensor& src);
void Relu6Into(const core::Tensor& dst, const core::Tensor& src);
void ClampInto(const core::Tensor& dst, const core::Tensor& src, float min, float max);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_CLAMP_H_
