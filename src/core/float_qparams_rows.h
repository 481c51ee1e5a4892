// Quantize and dequantize of a view's elements, row-major, with PyTorch's
// float qparams (kernels/float_qparams.h): element (o, c, i) of the view's
// [outer][channels][inner] block uses channel c's scale and float zero
// point. The kernels are kernels/float_qparams_kernels.h's; T is the view's
// compute type, int8_t or uint8_t for every dtype float qparams allow.
#ifndef QTENSOR_CORE_FLOAT_QPARAMS_ROWS_H_
#define QTENSOR_CORE_FLOAT_QPARAMS_ROWS_H_

#include <cstddef>

#include "core/error.h"
#include "core/tensor.h"
#include "kernels/float_qparams_kernels.h"

namespace qtensor::core {

inline void FailFloatQParamsType() {
  Fail(ErrorKind::kTypeMismatch, "float qparams need a dtype of 8 bits or fewer");
}

// A part of p's block: `part` from channel first_channel on (in and out
// point at the part's first element). Quantize clamps to T's range;
// narrowing to the dtype's own range then finishes the clamp
// (core/dtype_conversion.h).
template <typename T>
void QuantizeFloatQParamsRows(const float* in, const ElementParams& p, size_t first_channel,
                              const kernels::ChannelBlock& part, T* out) {
  if constexpr (sizeof(T) == 1) {
    kernels::QuantizeFloatQParamsBlock(in, part, p.channel.inv_scales + first_channel,
                                       p.float_zero_points + first_channel, out);
  } else {
    FailFloatQParamsType();
  }
}

template <typename T>
void DequantizeFloatQParamsRows(const T* in, const ElementParams& p, size_t first_channel,
                                const kernels::ChannelBlock& part, float* out) {
  if constexpr (sizeof(T) == 1) {
    kernels::DequantizeFloatQParamsBlock(in, part, p.channel.float_scales + first_channel,
                                         p.float_zero_points + first_channel, out);
  } else {
    FailFloatQParamsType();
  }
}

// The whole block.
template <typename T>
void QuantizeFloatQParamsRows(const float* in, const ElementParams& p, T* out) {
  QuantizeFloatQParamsRows(in, p, 0, {p.outer, p.channels, p.inner}, out);
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_FLOAT_QPARAMS_ROWS_H_
