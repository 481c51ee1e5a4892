// Concatenation of quantized tensors along one dim (torch.cat on quantized
// tensors, torch.ops.quantized.cat / cat_relu).
#ifndef QTENSOR_OPS_CAT_H_
#define QTENSOR_OPS_CAT_H_

#include <cstdint>
#include <vector>

#include "core/quantizer.h"
#include "core/tensor.h"

namespace qtensor::ops {

// A new contiguous tensor holding the inputs one after another along dim
// (negative counts from the end). Its parameters are quantizer's, or
// without one (nullptr) the first input's, as torch.cat takes them. An
// input whose elements have other parameters or another dtype is
// requantized; one with the same ones is copied integer for integer. With
// relu, max(q, zero point) follows. Throws for no inputs, a 0-dim input,
// ranks or sizes off the dim that differ, and a first input's per-channel
// parameters along the dim joined (give a quantizer then).
core::Tensor Cat(const std::vector<core::Tensor>& tensors, int64_t dim,
                 const core::Quantizer* quantizer, bool relu);

// The shape Cat gives, with Cat's checks of the inputs.
std::vector<int64_t> CatShape(const std::vector<core::Tensor>& tensors, int64_t dim);

// Cat into dst, which has CatShape's shape and the result's parameters (its
// own quantizer) and shares no storage with an input.
void CatInto(const core::Tensor& dst, const std::vector<core::Tensor>& tensors, int64_t dim,
             bool relu);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_CAT_H_
