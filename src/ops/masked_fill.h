// q.masked_fill_(mask, value) on a quantized view.
#ifndef QTENSOR_OPS_MASKED_FILL_H_
#define QTENSOR_OPS_MASKED_FILL_H_

#include "core/tensor.h"

namespace qtensor::ops {

// q.masked_fill_(mask, value): each element whose mask entry (numel of them,
// row-major, already of the view's shape) is true becomes value quantized
// with that element's own parameters, as Fill quantizes it.
void MaskedFillInPlace(const core::Tensor& tensor, const bool* mask, float value);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_MASKED_FILL_H_
