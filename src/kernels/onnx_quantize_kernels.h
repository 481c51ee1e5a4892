// ONNX's QuantizeLinear numerics, as ONNX Runtime's CPU kernels compute them,
// over contiguous arrays of float32 (scales come as float32: the caller
// converts float16, bfloat16 or float64 scales). Like quantize_kernels.h they
// know only raw pointers, lengths and parameters.
//
// Numerics (bit-identical to ONNX Runtime 1.31's MLAS kernels):
//   quantize:   v = x / scale                 float32 division
//               q = clamp(round_half_even(v) + zp, qmin, qmax)
//               NaN -> qmin, +inf -> qmax, -inf -> qmin
//   dequantize: (float)(q - zp) * scale       q - zp exact, float32 product
// The only difference from quantize_kernels.h's PyTorch formula is the
// division (x * (1.0f / scale) rounds twice) and NaN (qmin, not zp). ONNX
// Runtime's scalar loops (blocked along an axis other than the last, 4-bit
// elements alone in their byte at a run's ends) give other integers for NaN,
// +-inf and |v| >= 2^31; docs/numerics.md ("ONNX rounding") lists them.
//
// Output types: int8 [-128, 127], uint8 [0, 255], int16, uint16, and the
// 4-bit int4 [-8, 7] and uint4 [0, 15], one value per int8_t / uint8_t (the
// *4Bit functions; packing two per byte is done elsewhere). Dequantize of
// 4-bit values held one per byte is the int8 / uint8 one: the formula does
// not depend on the range.
//
// Layouts:
//   per tensor: n elements, one scale and zero point;
//   per axis:   [outer][channels][inner], element (o, c, i) uses channel c
//               of ChannelParams (only float_scales and zero_points are read);
//   blocked:    ONNX's block_size (opset 21): [outer][axis_len][inner] with
//               parameters [outer][ceil(axis_len / block_size)][inner];
//               element (o, a, i) uses parameter (o, a / block_size, i), so
//               the last block of an axis may be short.
#ifndef QTENSOR_KERNELS_ONNX_QUANTIZE_KERNELS_H_
#define QTENSOR_KERNELS_ONNX_QUANTIZE_KERNELS_H_

#include <cstddef>
#include <cstdint>

#include "kernels/channel_params.h"

namespace qtensor::kernels::onnx {

// The integer range of an output type and the integers that hold it.
template <typename Storage, int32_t kMinValue, int32_t kMaxValue>
struct OutputRange {
  using T = Storage;
  static constexpr int32_t kMin = kMinValue;
  static constexpr int32_t kMax = kMaxValue;
};
using Int8Range = OutputRange<int8_t, -128, 127>;
using Uint8Range = OutputRange<uint8_t, 0, 255>;
using Int16Range = OutputRange<int16_t, -32768, 32767>;
using Uint16Range = OutputRange<uint16_t, 0, 65535>;
using Int4Range = OutputRange<int8_t, -8, 7>;
using Uint4Range = OutputRange<uint8_t, 0, 15>;

// Blocked parameters: arrays shaped [outer][ceil(axis_len / block_size)][inner]
// that must outlive the call. Zero points are int32 (every ONNX zero point
// fits) so that vector lanes load them directly.
struct BlockedParams {
  const float* scales = nullptr;
  const int32_t* zero_points = nullptr;
  size_t block_size = 0;  // >= 1
};

// Per tensor.
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, int8_t* out);
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, uint8_t* out);
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, int16_t* out);
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, uint16_t* out);
void QuantizePerTensor4Bit(const float* in, size_t n, float scale, int64_t zero_point, int8_t* out);
void QuantizePerTensor4Bit(const float* in, size_t n, float scale, int64_t zero_point,
                           uint8_t* out);

// Per axis.
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, int8_t* out);
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, uint8_t* out);
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, int16_t* out);
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, uint16_t* out);
void QuantizePerAxis4Bit(const float* in, size_t outer, size_t channels, size_t inner,
                         const ChannelParams& params, int8_t* out);
void QuantizePerAxis4Bit(const float* in, size_t outer, size_t channels, size_t inner,
                         const ChannelParams& params, uint8_t* out);

// Blocked.
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, int8_t* out);
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, uint8_t* out);
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, int16_t* out);
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, uint16_t* out);
void QuantizeBlocked4Bit(const float* in, size_t outer, size_t axis_len, size_t inner,
                         const BlockedParams& params, int8_t* out);
void QuantizeBlocked4Bit(const float* in, size_t outer, size_t axis_len, size_t inner,
                         const BlockedParams& params, uint8_t* out);

void DequantizeBlocked(const int8_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out);
void DequantizeBlocked(const uint8_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out);
void DequantizeBlocked(const int16_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out);
void DequantizeBlocked(const uint16_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out);

// Plain loops with the same contract, one element at a time: what the SIMD
// kernels are tested against.
namespace scalar {

template <class Range>
typename Range::T QuantizeValue(float x, float scale, int32_t zero_point);

inline float DequantizeValue(int32_t q, float scale, int32_t zero_point) {
  return static_cast<float>(q - zero_point) * scale;  // |q - zp| < 2^17: exact
}

template <class Range>
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point,
                       typename Range::T* out);
template <class Range>
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, typename Range::T* out);
template <class Range>
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, typename Range::T* out);
template <typename T>
void DequantizeBlocked(const T* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out);

}  // namespace scalar
}  // namespace qtensor::kernels::onnx

#endif  // QTENSOR_KERNELS_ONNX_QUANTIZE_KERNELS_H_
