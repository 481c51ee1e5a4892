// Requantize: a tensor's values quantized again with another quantizer.
#ifndef QTENSOR_OPS_REQUANTIZE_H_
#define QTENSOR_OPS_REQUANTIZE_H_

#include "core/quantizer.h"
#include "core/tensor.h"

namespace qtensor::ops {

// A new contiguous tensor of src's shape whose elements are src's
// dequantized float32 values quantized with quantizer (per tensor, or per
// channel along one of the result's dims), element for element as
// quantize(dequantize(src)) gives them, in one pass. src may be any view.
core::Tensor Requantize(const core::Tensor& src, const core::Quantizer& quantizer);

// The same into an existing tensor dst of src's shape (any layout and
// parameters); dst may share src's storage. (Not named RequantizeInto:
// core::RequantizeInto, found by argument-dependent lookup, would make
// unqualified calls ambiguous.)
void RequantizeExisting(const core::Tensor& dst, const core::Tensor& src);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_REQUANTIZE_H_
