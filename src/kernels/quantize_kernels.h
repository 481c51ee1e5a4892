// Quantize / dequantize kernels over contiguous arrays. They know only raw
// pointers, lengths and parameters; the core checks arguments and lays out
// views before calling them.
//
// Numerics (bit-identical to PyTorch 1.13 where PyTorch is exact):
//   quantize:   q = clamp(zp + nearbyint(x * inv_scale), qmin, qmax), the
//               product in float32, round half to even, the sum exact;
//               NaN -> zp, +inf -> qmax, -inf -> qmin.
//   dequantize per tensor:  (float)(q - zp) * scale        (scale as float)
//   dequantize per channel: (float)((double)(q - zp) * scale)
// where inv_scale is InverseScale(scale) (channel_params.h), computed by the
// caller.
#ifndef QTENSOR_KERNELS_QUANTIZE_KERNELS_H_
#define QTENSOR_KERNELS_QUANTIZE_KERNELS_H_

#include <cstddef>
#include <cstdint>

#include "kernels/channel_params.h"

namespace qtensor::kernels {

// Outputs of at least this many bytes are written with non-temporal stores:
// they would not stay in the caches anyway, and streaming them skips reading
// each destination line before overwriting it (a fifth more memory traffic
// for quantize to 8 bits, the output's size again for dequantize).
constexpr size_t kStreamBytes = size_t{8} << 20;

// Per tensor: n elements, one inv_scale / zero point.
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point, int8_t* out);
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       uint8_t* out);
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       int32_t* out);

void DequantizePerTensor(const int8_t* in, size_t n, float scale, int64_t zero_point, float* out);
void DequantizePerTensor(const uint8_t* in, size_t n, float scale, int64_t zero_point, float* out);
void DequantizePerTensor(const int32_t* in, size_t n, float scale, int64_t zero_point, float* out);

// Per channel over a contiguous block laid out as [outer][channels][inner]:
// element (o, c, i) uses channel c of params.
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, int8_t* out);
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, uint8_t* out);
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, int32_t* out);

void DequantizePerChannel(const int8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out);
void DequantizePerChannel(const uint8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out);
void DequantizePerChannel(const int32_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out);

// The name of the Highway target the dispatch picks on this CPU.
const char* ActiveTargetName();

// Plain scalar loops with the same contract, one element at a time: the
// core's single-element paths, and what the SIMD kernels are tested against. Per channel they read
// only params' scales, inv_scales and zero_points, never the float forms.
namespace scalar {

template <typename T>
T QuantizeValue(float x, float inv_scale, int64_t zero_point);

// One element of per-channel dequantize: q - zp exact, the product in
// double, rounded once to float (IEEE: past the float range, +-inf).
inline float DequantizeChannelValue(int64_t q, double scale, int64_t zero_point) {
  return static_cast<float>(static_cast<double>(q - zero_point) * scale);
}

void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point, int8_t* out);
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       uint8_t* out);
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       int32_t* out);

void DequantizePerTensor(const int8_t* in, size_t n, float scale, int64_t zero_point, float* out);
void DequantizePerTensor(const uint8_t* in, size_t n, float scale, int64_t zero_point, float* out);
void DequantizePerTensor(const int32_t* in, size_t n, float scale, int64_t zero_point, float* out);

void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, int8_t* out);
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, uint8_t* out);
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, int32_t* out);

void DequantizePerChannel(const int8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out);
void DequantizePerChannel(const uint8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out);
void DequantizePerChannel(const int32_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out);

}  // namespace scalar
}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_QUANTIZE_KERNELS_H_
