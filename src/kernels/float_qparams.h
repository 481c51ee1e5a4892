// PyTorch 1.13's per_channel_affine_float_qparams arithmetic, one value at a
// time (PyTorch's own kernels for it are scalar loops too). Every step is a
// float32 operation, in this order (docs/numerics.md#float-qparams):
//   quantize:   t = (x * (1.0f / scale)) + zero_point, rounded after each
//               operation (no fused multiply-add); r = lrintf(t), half to
//               even, as an int64 (NaN and values outside int64 give
//               INT64_MIN, as x86's conversion does); PyTorch keeps r in an
//               int32_t, so r wraps modulo 2^32; then clamp to [qmin, qmax].
//   dequantize: ((float)q - zero_point) * scale.
#ifndef QTENSOR_KERNELS_FLOAT_QPARAMS_H_
#define QTENSOR_KERNELS_FLOAT_QPARAMS_H_

#include <cmath>
#include <cstdint>
#include <limits>

namespace qtensor::kernels {

// lrintf as x86-64 gives it, for any input: nearbyint's value when it fits
// int64, else INT64_MIN (the "integer indefinite" of cvtss2si).
inline int64_t X86Lrintf(float t) {
  constexpr float kTwo63 = 9223372036854775808.0f;
  if (!(t >= -kTwo63 && t < kTwo63)) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(std::nearbyint(t));
}

inline int64_t QuantizeFloatQParams(float x, float inv_scale, float zero_point, int64_t qmin,
                                    int64_t qmax) {
  const float scaled = x * inv_scale;
  const float shifted = scaled + zero_point;
  // The int64 -> int32 wrap of PyTorch's int32_t variable, written without
  // relying on implementation-defined narrowing.
  const auto low = static_cast<uint32_t>(static_cast<uint64_t>(X86Lrintf(shifted)));
  const int64_t wrapped = low >= 0x80000000u ? int64_t{low} - (int64_t{1} << 32) : int64_t{low};
  return wrapped < qmin ? qmin : wrapped > qmax ? qmax : wrapped;
}

inline float DequantizeFloatQParams(int64_t q, float scale, float zero_point) {
  const float centered = static_cast<float>(q) - zero_point;
  return centered * scale;
}

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_FLOAT_QPARAMS_H_
