// Float-qparams kernels (float_qparams_kernels.h) in Google Highway 1.0.3:
// channel runs of at least a block with their parameters broadcast,
// shorter runs with per-lane parameter patterns (kernel_loops-inl.h).

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/float_qparams_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cstdint>
#include <limits>
#include <utility>

#include "kernels/float_qparams_kernels.h"
#include "src/kernels/int32_lanes-inl.h"
#include "src/kernels/kernel_loops-inl.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane: the scalar loops are this target's kernels.
template <typename T>
void Quantize(const float* in, const ChannelBlock& b, const float* inv_scales,
              const float* zero_points, T* out) {
  scalar::QuantizeFloatQParamsBlock(in, b, inv_scales, zero_points, out);
}
template <typename T>
void Dequantize(const T* in, const ChannelBlock& b, const float* scales, const float* zero_points,
                float* out) {
  scalar::DequantizeFloatQParamsBlock(in, b, scales, zero_points, out);
}
#else

constexpr size_t kLanes = hn::MaxLanes(DF());

// lrintf(t) kept in an int32, as floats, for any t:
//   |t| < 2^31:          Round(t) (half to even), which fits;
//   2^31 <= |t| < 2^63:  t mod 2^32 read as int32: t is then a multiple of
//                        256, so t - 2^32 * floor(t / 2^32) is exact, a
//                        multiple of 256 below 2^32, and so is its int32
//                        reading (minus 2^32 from 2^31 on);
//   NaN, |t| >= 2^63:    INT64_MIN, whose low 32 bits are 0.
HWY_INLINE VF WrappedLrint(VF t) {
  const DF df;
  const VF two31 = hn::Set(df, 2147483648.0f);
  const VF two32 = hn::Set(df, 4294967296.0f);
  const VF magnitude = hn::Abs(t);
  const VF low32 = hn::Sub(t, hn::Mul(hn::Floor(hn::Mul(t, hn::Set(df, 0x1p-32f))), two32));
  const VF wrapped = hn::IfThenElse(hn::Ge(low32, two31), hn::Sub(low32, two32), low32);
  const VF r = hn::IfThenElse(hn::Lt(magnitude, two31), hn::Round(t), wrapped);
  return hn::IfThenElseZero(hn::Lt(magnitude, hn::Set(df, 0x1p63f)), r);
}

// One vector of float_qparams.h's quantize, clamped to [qmin, qmax], as
// floats. t = x * inv + zp rounds twice (separate operations). Vectors
// whose every |t| is below 2^31 (NaN is not) need only Round, the common
// case (measured, 16 Mi values: the wrap's operations on every vector took
// 1.25x as long; and WrappedLrint not inlined, 1.5x to 2x).
HWY_INLINE VF QuantizeLanes(VF x, VF inv, VF zp, VF qmin, VF qmax) {
  const DF df;
  const VF t = hn::Add(hn::Mul(x, inv), zp);
  const VF r = HWY_LIKELY(hn::AllTrue(df, hn::Lt(hn::Abs(t), hn::Set(df, 2147483648.0f))))
                   ? hn::Round(t)
                   : WrappedLrint(t);
  return hn::Min(hn::Max(r, qmin), qmax);
}

// Quantize works in blocks of four vectors: one full vector of bytes.
constexpr size_t kByteBlock = 4 * kLanes;

// Quantizes the kByteBlock floats at x into q, vector k with the
// parameters params(k) (a pair of inverse scales and zero points).
template <bool kStream, typename T, class Params>
HWY_INLINE void QuantizeBytes(const float* x, const Params& params, VF qmin, VF qmax, T* q) {
  const DF df;
  const auto one = [&](size_t k) QTENSOR_KERNEL_OP {
    const auto [inv, zp] = params(k);
    return hn::ConvertTo(DI(), QuantizeLanes(hn::LoadU(df, x + k * kLanes), inv, zp, qmin, qmax));
  };
  StoreVector<kStream>(PackBytes<T>(one(0), one(1), one(2), one(3)), DBytes<T>(), q);
}

// ((float)q - zp) * scale: q converts exactly.
template <typename T>
HWY_INLINE VF DequantizeLanes(const T* p, VF scale, VF zp) {
  const VF q = hn::ConvertTo(DF(), hn::PromoteTo(DI(), hn::LoadU(DT<T>(), p)));
  return hn::Mul(hn::Sub(q, zp), scale);
}

// Outputs of kStreamBytes and more are streamed, as the other quantize
// kernels' are.
template <typename T>
void Quantize(const float* in, const ChannelBlock& b, const float* inv_scales,
              const float* zero_points, T* out) {
  if (b.outer == 0 || b.channels == 0 || b.inner == 0) return;
  const DF df;
  const VF qmin = hn::Set(df, static_cast<float>(std::numeric_limits<T>::min()));
  const VF qmax = hn::Set(df, static_cast<float>(std::numeric_limits<T>::max()));
  const size_t n = b.outer * b.channels * b.inner;
  const bool stream = ShouldStream<T>(n);
  if (b.inner >= kByteBlock) {
    ForEachChannelRun<kByteBlock>(
        in, b.outer, b.channels, b.inner, out, stream,
        [&](auto streamed, size_t c, const float* x, T* q) QTENSOR_KERNEL_OP {
          const VF inv = hn::Set(df, inv_scales[c]);
          const VF zp = hn::Set(df, zero_points[c]);
          QuantizeBytes<decltype(streamed)::value>(
              x, [&](size_t) QTENSOR_KERNEL_OP { return std::pair(inv, zp); }, qmin, qmax, q);
        });
    return;
  }
  const LanePattern<float> inv(inv_scales, b.outer, b.channels, b.inner, kByteBlock);
  const LanePattern<float> zp(zero_points, b.outer, b.channels, b.inner, kByteBlock);
  ForEachBlock<kByteBlock>(in, n, out, inv.period(), stream,
                           [&](auto streamed, size_t j, const float* x, T* q) QTENSOR_KERNEL_OP {
                             QuantizeBytes<decltype(streamed)::value>(
                                 x,
                                 [&](size_t k) QTENSOR_KERNEL_OP {
                                   const size_t at = j + k * kLanes;
                                   return std::pair(hn::LoadU(df, inv.data() + at),
                                                    hn::LoadU(df, zp.data() + at));
                                 },
                                 qmin, qmax, q);
                           });
}

// Outputs of kStreamBytes and more are streamed, as the other dequantize
// kernels' are.
template <typename T>
void Dequantize(const T* in, const ChannelBlock& b, const float* scales, const float* zero_points,
                float* out) {
  if (b.outer == 0 || b.channels == 0 || b.inner == 0) return;
  const DF df;
  const size_t n = b.outer * b.channels * b.inner;
  const bool stream = ShouldStream<float>(n);
  if (b.inner >= kLanes) {
    ForEachChannelRun<kLanes>(in, b.outer, b.channels, b.inner, out, stream,
                              [&](auto streamed, size_t c, const T* q, float* y) QTENSOR_KERNEL_OP {
                                const VF scale = hn::Set(df, scales[c]);
                                const VF zp = hn::Set(df, zero_points[c]);
                                StoreVector<decltype(streamed)::value>(
                                    DequantizeLanes(q, scale, zp), df, y);
                              });
    return;
  }
  const LanePattern<float> scale(scales, b.outer, b.channels, b.inner, kLanes);
  const LanePattern<float> zp(zero_points, b.outer, b.channels, b.inner, kLanes);
  ForEachBlock<kLanes>(
      in, n, out, scale.period(), stream,
      [&](auto streamed, size_t j, const T* q, float* y) QTENSOR_KERNEL_OP {
        StoreVector<decltype(streamed)::value>(
            DequantizeLanes(q, hn::LoadU(df, scale.data() + j), hn::LoadU(df, zp.data() + j)), df,
            y);
      });
}

#endif  // HWY_TARGET == HWY_SCALAR

// Entry points (HWY_EXPORT needs distinct names).
void QuantizeI8(const float* in, const ChannelBlock& b, const float* inv_scales,
                const float* zero_points, int8_t* out) {
  Quantize(in, b, inv_scales, zero_points, out);
}
void QuantizeU8(const float* in, const ChannelBlock& b, const float* inv_scales,
                const float* zero_points, uint8_t* out) {
  Quantize(in, b, inv_scales, zero_points, out);
}
void DequantizeI8(const int8_t* in, const ChannelBlock& b, const float* scales,
                  const float* zero_points, float* out) {
  Dequantize(in, b, scales, zero_points, out);
}
void DequantizeU8(const uint8_t* in, const ChannelBlock& b, const float* scales,
                  const float* zero_points, float* out) {
  Dequantize(in, b, scales, zero_points, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(QuantizeI8);
HWY_EXPORT(QuantizeU8);
HWY_EXPORT(DequantizeI8);
HWY_EXPORT(DequantizeU8);

void QuantizeFloatQParamsBlock(const float* in, const ChannelBlock& b, const float* inv_scales,
                               const float* zero_points, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeI8)(in, b, inv_scales, zero_points, out);
}
void QuantizeFloatQParamsBlock(const float* in, const ChannelBlock& b, const float* inv_scales,
                               const float* zero_points, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeU8)(in, b, inv_scales, zero_points, out);
}
void DequantizeFloatQParamsBlock(const int8_t* in, const ChannelBlock& b, const float* scales,
                                 const float* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeI8)(in, b, scales, zero_points, out);
}
void DequantizeFloatQParamsBlock(const uint8_t* in, const ChannelBlock& b, const float* scales,
                                 const float* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeU8)(in, b, scales, zero_points, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
