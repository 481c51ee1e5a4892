// The scalar quantize kernels: the formulas of quantize_kernels.h written
// out one element at a time. The SIMD kernels must give exactly these bits;
// the core uses them for single elements.

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/quantize_kernels.h"

namespace qtensor::kernels::scalar {

template <typename T>
T QuantizeValue(float x, float inv_scale, int64_t zero_point) {
  constexpr int64_t kMin = std::numeric_limits<T>::min();
  constexpr int64_t kMax = std::numeric_limits<T>::max();
  const float v = x * inv_scale;  // float32 product
  // Half to even (the default rounding mode); NaN counts as 0, giving zp.
  const float r = std::isnan(v) ? 0.0f : std::nearbyint(v);
  // Past 2^62 (or at +-inf) the sum is out of range for any zero point, and
  // the conversion to int64_t would overflow.
  if (r >= 0x1p62f) return static_cast<T>(kMax);
  if (r <= -0x1p62f) return static_cast<T>(kMin);
  return static_cast<T>(std::clamp(static_cast<int64_t>(r) + zero_point, kMin, kMax));
}

template int8_t QuantizeValue<int8_t>(float, float, int64_t);
template uint8_t QuantizeValue<uint8_t>(float, float, int64_t);
template int32_t QuantizeValue<int32_t>(float, float, int64_t);

namespace {

template <typename T>
void Quantize(const float* in, size_t n, float inv_scale, int64_t zero_point, T* out) {
  for (size_t i = 0; i < n; ++i) out[i] = QuantizeValue<T>(in[i], inv_scale, zero_point);
}

template <typename T>
void Dequantize(const T* in, size_t n, float scale, int64_t zero_point, float* out) {
  for (size_t i = 0; i < n; ++i) {
    // q - zp exact in int64, rounded once to float, then a float product.
    out[i] = static_cast<float>(static_cast<int64_t>(in[i]) - zero_point) * scale;
  }
}

template <typename T>
void QuantizeChannels(const float* in, size_t outer, size_t channels, size_t inner,
                      const float* inv_scales, const int64_t* zero_points, T* out) {
  size_t k = 0;
  for (size_t o = 0; o < outer; ++o) {
    for (size_t c = 0; c < channels; ++c) {
      for (size_t i = 0; i < inner; ++i, ++k) {
        out[k] = QuantizeValue<T>(in[k], inv_scales[c], zero_points[c]);
      }
    }
  }
}

template <typename T>
void DequantizeChannels(const T* in, size_t outer, size_t channels, size_t inner,
                        const double* scales, const int64_t* zero_points, float* out) {
  size_t k = 0;
  for (size_t o = 0; o < outer; ++o) {
    for (size_t c = 0; c < channels; ++c) {
      for (size_t i = 0; i < inner; ++i, ++k) {
        out[k] = DequantizeChannelValue(in[k], scales[c], zero_points[c]);
      }
    }
  }
}

}  // namespace

void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       int8_t* out) {
  Quantize(in, n, inv_scale, zero_point, out);
}
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       uint8_t* out) {
  Quantize(in, n, inv_scale, zero_point, out);
}
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       int32_t* out) {
  Quantize(in, n, inv_scale, zero_point, out);
}

void DequantizePerTensor(const int8_t* in, size_t n, float scale, int64_t zero_point, float* out) {
  Dequantize(in, n, scale, zero_point, out);
}
void DequantizePerTensor(const uint8_t* in, size_t n, float scale, int64_t zero_point, float* out) {
  Dequantize(in, n, scale, zero_point, out);
}
void DequantizePerTensor(const int32_t* in, size_t n, float scale, int64_t zero_point, float* out) {
  Dequantize(in, n, scale, zero_point, out);
}

void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, int8_t* out) {
  QuantizeChannels(in, outer, channels, inner, params.inv_scales, params.zero_points, out);
}
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, uint8_t* out) {
  QuantizeChannels(in, outer, channels, inner, params.inv_scales, params.zero_points, out);
}
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, int32_t* out) {
  QuantizeChannels(in, outer, channels, inner, params.inv_scales, params.zero_points, out);
}

void DequantizePerChannel(const int8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  DequantizeChannels(in, outer, channels, inner, params.scales, params.zero_points, out);
}
void DequantizePerChannel(const uint8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  DequantizeChannels(in, outer, channels, inner, params.scales, params.zero_points, out);
}
void DequantizePerChannel(const int32_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  DequantizeChannels(in, outer, channels, inner, params.scales, params.zero_points, out);
}

}  // namespace qtensor::kernels::scalar
