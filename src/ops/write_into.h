// The operators' forms that write a tensor the caller gives instead of
// allocating one: PyTorch's in-place forms (leaky_relu_, hardtanh_ / clamp,
// relu6 with inplace=True) and its out= forms (quantized::add.out,
// add_relu.out, mul.out, mul_relu.out, cat_out, cat_relu_out). Each computes
// the operator's own result, then writes its integers into the view, so an
// input may be the output itself or share its storage.
#ifndef QTENSOR_OPS_WRITE_INTO_H_
#define QTENSOR_OPS_WRITE_INTO_H_

#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "ops/binary.h"

namespace qtensor::ops {

void LeakyReluInPlace(const core::Tensor& tensor, float negative_slope);
void Relu6InPlace(const core::Tensor& tensor);
void ClampInPlace(const core::Tensor& tensor, float min, float max);

// Binary into out, whose per-tensor scale and zero point are the output's
// parameters (as PyTorch's out= forms take them). Throws for a per-channel
// out, an out of another dtype than a, or an out not of the broadcast shape.
void BinaryOut(BinaryOp op, const core::Tensor& out, const core::Tensor& a, const core::Tensor& b,
               bool relu);

// Cat into out with out's parameters. Throws as Cat does and for an out not
// of the joined shape.
void CatOut(const core::Tensor& out, const std::vector<core::Tensor>& tensors, int64_t dim,
            bool relu);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_WRITE_INTO_H_
