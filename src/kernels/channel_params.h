// Per-channel quantization parameters as the kernels read them: plain
// arrays, one entry per channel, in every form a kernel uses, made once by
// the caller (not on every call) and owned by it.
#ifndef QTENSOR_KERNELS_CHANNEL_PARAMS_H_
#define QTENSOR_KERNELS_CHANNEL_PARAMS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

// 1.0f / (float)scale: the reciprocal every quantize multiplies by.
inline float InverseScale(double scale) { return 1.0f / static_cast<float>(scale); }

// Whether a channel's dequantize, (float)((double)(q - zp) * scale), gives
// the same results in float arithmetic: its scale is a float32 value and its
// zero point is in [-2^23, 2^23). Why this suffices: for q - zp of at most
// 24 bits (8-bit q, or int32 q the kernel checks) and a float32 scale, the
// f64 product has at most 48 significant bits, so it is exact, and one f32
// multiply rounds it as the formula's final conversion does.
inline bool FloatArithmeticIsExact(double scale, int64_t zero_point) {
  constexpr int64_t kSmall = int64_t{1} << 23;
  return static_cast<double>(static_cast<float>(scale)) == scale && zero_point >= -kSmall &&
         zero_point < kSmall;
}

// The parameters of a run of channels, c = 0, 1, ...: pointers into arrays
// that must outlive it.
struct ChannelParams {
  const double* scales = nullptr;
  const int64_t* zero_points = nullptr;
  const float* inv_scales = nullptr;    // InverseScale(scales[c])
  const float* float_scales = nullptr;  // (float)scales[c]
  // (int32)zero_points[c]; meaningful only when float_arithmetic is set.
  const int32_t* small_zero_points = nullptr;
  // FloatArithmeticIsExact for every channel of the arrays: per-channel
  // dequantize can then run in float arithmetic with the same results.
  bool float_arithmetic = false;

  // The same run from channel `first` on.
  ChannelParams From(size_t first) const {
    ChannelParams params = *this;
    params.scales += first;
    params.zero_points += first;
    params.inv_scales += first;
    params.float_scales += first;
    params.small_zero_points += first;
    return params;
  }
};

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_CHANNEL_PARAMS_H_
