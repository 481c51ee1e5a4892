// PyTorch's per_channel_affine_float_qparams quantize and dequantize
// (float_qparams.h has the value formulas) over [outer][channels][inner]
// blocks of contiguous values: element (o, c, i) uses channel c's
// parameters. Quantize clamps to T's range (int8_t: [-128, 127], uint8_t:
// [0, 255]); narrower dtypes (quint4x2, quint2x4) narrow afterwards. Each
// Highway target gives the scalar kernel's results bit for bit, including
// NaN, infinities and the int32 wrap of values at or beyond 2^31.
#ifndef QTENSOR_KERNELS_FLOAT_QPARAMS_KERNELS_H_
#define QTENSOR_KERNELS_FLOAT_QPARAMS_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

// The block's shape; the parameter arrays have `channels` entries.
struct ChannelBlock {
  size_t outer, channels, inner;
};

void QuantizeFloatQParamsBlock(const float* in, const ChannelBlock& b, const float* inv_scales,
                               const float* zero_points, int8_t* out);
void QuantizeFloatQParamsBlock(const float* in, const ChannelBlock& b, const float* inv_scales,
                               const float* zero_points, uint8_t* out);
void DequantizeFloatQParamsBlock(const int8_t* in, const ChannelBlock& b, const float* scales,
                                 const float* zero_points, float* out);
void DequantizeFloatQParamsBlock(const uint8_t* in, const ChannelBlock& b, const float* scales,
                                 const float* zero_points, float* out);

// Calls op(k, c) for each element k of b in order, c being its channel.
template <class Op>
inline void ForEachChannelElement(const ChannelBlock& b, const Op& op) {
  size_t k = 0;
  for (size_t o = 0; o < b.outer; ++o) {
    for (size_t c = 0; c < b.channels; ++c) {
      for (size_t i = 0; i < b.inner; ++i, ++k) op(k, c);
    }
  }
}

// The value functions of float_qparams.h, one element at a time: what the
// SIMD kernels are tested against.
namespace scalar {
template <typename T>
void QuantizeFloatQParamsBlock(const float* in, const ChannelBlock& b, const float* inv_scales,
                               const float* zero_points, T* out);
template <typename T>
void DequantizeFloatQParamsBlock(const T* in, const ChannelBlock& b, const float* scales,
                                 const float* zero_points, float* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_FLOAT_QPARAMS_KERNELS_H_
