// Quantize and dequantize of a view's elements, row-major, with PyTorch's
// float qparams (kernels/float_qparams.h): element (o, c, i) of the view's
// [outer][channels][inner] block uses channel c's scale and float zero
// point. Plain loops, as PyTorch's own; T is the view's compute type.
#ifndef QTENSOR_CORE_FLOAT_QPARAMS_ROWS_H_
#define QTENSOR_CORE_FLOAT_QPARAMS_ROWS_H_

#include <cstddef>
#include <limits>

#include "core/tensor.h"
#include "kernels/float_qparams.h"

namespace qtensor::core {

// Clamps to T's range; narrowing to the dtype's own range then finishes
// the clamp (core/dtype_conversion.h).
template <typename T>
void QuantizeFloatQParamsRows(const float* in, const ElementParams& p, T* out) {
  constexpr int64_t kMin = std::numeric_limits<T>::min(), kMax = std::numeric_limits<T>::max();
  size_t k = 0;
  for (size_t o = 0; o < p.outer; ++o) {
    for (size_t c = 0; c < p.channels; ++c) {
      const float inv_scale = p.channel.inv_scales[c], zero_point = p.float_zero_points[c];
      for (size_t i = 0; i < p.inner; ++i, ++k) {
        out[k] =
            static_cast<T>(kernels::QuantizeFloatQParams(in[k], inv_scale, zero_point, kMin, kMax));
      }
    }
  }
}

template <typename T>
void DequantizeFloatQParamsRows(const T* in, const ElementParams& p, float* out) {
  size_t k = 0;
  for (size_t o = 0; o < p.outer; ++o) {
    for (size_t c = 0; c < p.channels; ++c) {
      const float scale = p.channel.float_scales[c], zero_point = p.float_zero_points[c];
      for (size_t i = 0; i < p.inner; ++i, ++k) {
        out[k] = kernels::DequantizeFloatQParams(in[k], scale, zero_point);
      }
    }
  }
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_FLOAT_QPARAMS_ROWS_H_
