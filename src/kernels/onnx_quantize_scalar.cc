// The scalar ONNX quantize kernels: the formulas of onnx_quantize_kernels.h
// written out one element at a time. The SIMD kernels must give exactly
// these bits.

#include <cmath>

#include "kernels/onnx_quantize_kernels.h"

namespace qtensor::kernels::onnx::scalar {

template <class Range>
typename Range::T QuantizeValue(float x, float scale, int32_t zero_point) {
  using T = typename Range::T;
  const float v = x / scale;  // float32 division
  if (std::isnan(v)) return static_cast<T>(Range::kMin);
  const float r = std::nearbyint(v);  // half to even (the default rounding mode)
  // The bounds are exact in float; comparing before the sum keeps it in range.
  if (r <= static_cast<float>(Range::kMin - zero_point)) return static_cast<T>(Range::kMin);
  if (r >= static_cast<float>(Range::kMax - zero_point)) return static_cast<T>(Range::kMax);
  return static_cast<T>(static_cast<int32_t>(r) + zero_point);
}

template <class Range>
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point,
                       typename Range::T* out) {
  const auto zp = static_cast<int32_t>(zero_point);
  for (size_t i = 0; i < n; ++i) out[i] = QuantizeValue<Range>(in[i], scale, zp);
}

template <class Range>
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, typename Range::T* out) {
  size_t k = 0;
  for (size_t o = 0; o < outer; ++o) {
    for (size_t c = 0; c < channels; ++c) {
      const float scale = params.float_scales[c];
      const auto zp = static_cast<int32_t>(params.zero_points[c]);
      for (size_t i = 0; i < inner; ++i, ++k) out[k] = QuantizeValue<Range>(in[k], scale, zp);
    }
  }
}

namespace {

// Calls op(k, p) for every element k of a [outer][axis_len][inner] block in
// order, p being the index of its blocked parameter.
template <class Op>
void ForEachBlockedElement(size_t outer, size_t axis_len, size_t inner, size_t block_size,
                           const Op& op) {
  const size_t blocks = (axis_len + block_size - 1) / block_size;
  size_t k = 0;
  for (size_t o = 0; o < outer; ++o) {
    for (size_t a = 0; a < axis_len; ++a) {
      const size_t row = (o * blocks + a / block_size) * inner;
      for (size_t i = 0; i < inner; ++i, ++k) op(k, row + i);
    }
  }
}

}  // namespace

template <class Range>
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, typename Range::T* out) {
  ForEachBlockedElement(outer, axis_len, inner, params.block_size, [&](size_t k, size_t p) {
    out[k] = QuantizeValue<Range>(in[k], params.scales[p], params.zero_points[p]);
  });
}

template <typename T>
void DequantizeBlocked(const T* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out) {
  ForEachBlockedElement(outer, axis_len, inner, params.block_size, [&](size_t k, size_t p) {
    out[k] = DequantizeValue(in[k], params.scales[p], params.zero_points[p]);
  });
}

#define QTENSOR_ONNX_QUANTIZE_INSTANCES(Range)                                                     \
  template Range::T QuantizeValue<Range>(float, float, int32_t);                                   \
  template void QuantizePerTensor<Range>(const float*, size_t, float, int64_t, Range::T*);         \
  template void QuantizePerAxis<Range>(const float*, size_t, size_t, size_t, const ChannelParams&, \
                                       Range::T*);                                                 \
  template void QuantizeBlocked<Range>(const float*, size_t, size_t, size_t, const BlockedParams&, \
                                       Range::T*);
QTENSOR_ONNX_QUANTIZE_INSTANCES(Int8Range)
QTENSOR_ONNX_QUANTIZE_INSTANCES(Uint8Range)
QTENSOR_ONNX_QUANTIZE_INSTANCES(Int16Range)
QTENSOR_ONNX_QUANTIZE_INSTANCES(Uint16Range)
QTENSOR_ONNX_QUANTIZE_INSTANCES(Int4Range)
QTENSOR_ONNX_QUANTIZE_INSTANCES(Uint4Range)
#undef QTENSOR_ONNX_QUANTIZE_INSTANCES

template void DequantizeBlocked<int8_t>(const int8_t*, size_t, size_t, size_t, const BlockedParams&,
                                        float*);
template void DequantizeBlocked<uint8_t>(const uint8_t*, size_t, size_t, size_t,
                                         const BlockedParams&, float*);
template void DequantizeBlocked<int16_t>(const int16_t*, size_t, size_t, size_t,
                                         const BlockedParams&, float*);
template void DequantizeBlocked<uint16_t>(const uint16_t*, size_t, size_t, size_t,
                                          const BlockedParams&, float*);

}  // namespace qtensor::kernels::onnx::scalar
