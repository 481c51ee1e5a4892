// Quantize / dequantize kernels: Google Highway (1.0.3) SIMD code compiled
// once per target, with run-time dispatch to the best one the CPU supports.
// The numerics are those of quantize_kernels.h, bit for bit; the scalar
// reference in quantize_reference.cc is what the tests hold these to.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/quantize_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels/quantize_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane (the fallback GCC < 12.3 builds instead of EMU128): the scalar
// reference loop is exactly this target's kernel.
template <typename T>
void QuantizeRun(const float* in, size_t n, float inv_scale, int64_t zero_point, T* out) {
  reference::QuantizePerTensor(in, n, inv_scale, zero_point, out);
}
template <typename T>
void DequantizeRun(const T* in, size_t n, float scale, int64_t zero_point, float* out) {
  reference::DequantizePerTensor(in, n, scale, zero_point, out);
}
template <typename T>
void QuantizeChannels(const float* in, size_t outer, size_t channels, size_t inner,
                      const float* inv_scales, const int64_t* zero_points, T* out) {
  reference::QuantizePerChannel(in, outer, channels, inner, inv_scales, zero_points, out);
}
template <typename T>
void DequantizeChannels(const T* in, size_t outer, size_t channels, size_t inner,
                        const double* scales, const int64_t* zero_points, float* out) {
  reference::DequantizePerChannel(in, outer, channels, inner, scales, zero_points, out);
}
#else

// One vector of floats; every other vector type has as many lanes, or half
// as many for doubles (a float vector is converted to f64 in two halves).
using DF = hn::ScalableTag<float>;
using DI = hn::RebindToSigned<DF>;   // int32
using DF2 = hn::Half<DF>;            // half of the float lanes
using DI2 = hn::Half<DI>;            // half of the int32 lanes
using DD = hn::Rebind<double, DF2>;  // as many f64 lanes as DF2 has floats
template <typename T>
using DT = hn::Rebind<T, DF>;  // the stored integers, one per float lane
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;
using VD = hn::Vec<DD>;

// Channels whose runs are at least this long are processed run by run with
// scalar parameters; shorter runs use a per-lane parameter pattern.
constexpr size_t kLongRun = 64;
// Per-lane parameter patterns up to this many elements live on the stack
// (and in L1); longer ones are allocated once per call.
constexpr size_t kStackPattern = 1024;

// f64 -> f32 with IEEE rounding, overflow included. EMU128's DemoteTo
// saturates at +-FLT_MAX where IEEE (every SIMD target, and the reference)
// gives +-inf, so there we convert lane by lane.
HWY_INLINE hn::Vec<DF2> DemoteToFloat(VD v) {
  const DF2 df2;
#if HWY_TARGET == HWY_EMU128
  const DD dd;
  double wide[hn::MaxLanes(dd)];
  float narrow[hn::MaxLanes(df2)];
  hn::StoreU(v, dd, wide);
  for (size_t i = 0; i < hn::Lanes(dd); ++i) narrow[i] = static_cast<float>(wide[i]);
  return hn::LoadU(df2, narrow);
#else
  return hn::DemoteTo(df2, v);
#endif
}

// x * inv rounded half to even (Round uses the default rounding mode, as
// nearbyint does), with NaN -> 0 so that NaN gives the zero point once it is
// added. +-inf stay infinite and saturate.
HWY_INLINE VF ScaleAndRound(VF x, VF inv) {
  const VF v = hn::Mul(x, inv);
  return hn::Round(hn::IfThenZeroElse(hn::IsNaN(v), v));
}

// q = clamp(r + zp, qmin, qmax) for 8-bit T, in float: r + zp is exact
// unless |r| >= 2^24, and then it is far outside [qmin, qmax] either way.
template <typename T>
HWY_INLINE auto Quantize8(VF x, VF inv, VF zp) {
  const DF df;
  const VF lo = hn::Set(df, static_cast<float>(std::numeric_limits<T>::min()));
  const VF hi = hn::Set(df, static_cast<float>(std::numeric_limits<T>::max()));
  const VF q = hn::Min(hn::Max(hn::Add(ScaleAndRound(x, inv), zp), lo), hi);
  return hn::DemoteTo(DT<T>(), hn::ConvertTo(DI(), q));
}

// The same for int32, in f64 where r + zp is exact below 2^53 and
// [INT32_MIN, INT32_MAX] is exact; zp_lo / zp_hi are the zero points of the
// lower / upper half of the lanes.
HWY_INLINE VI Quantize32(VF x, VF inv, VD zp_lo, VD zp_hi) {
  const DD dd;
  const VF r = ScaleAndRound(x, inv);
  const VD lo = hn::Set(dd, double{std::numeric_limits<int32_t>::min()});
  const VD hi = hn::Set(dd, double{std::numeric_limits<int32_t>::max()});
  const VD q_lo =
      hn::Min(hn::Max(hn::Add(hn::PromoteTo(dd, hn::LowerHalf(DF2(), r)), zp_lo), lo), hi);
  const VD q_hi =
      hn::Min(hn::Max(hn::Add(hn::PromoteTo(dd, hn::UpperHalf(DF2(), r)), zp_hi), lo), hi);
  return hn::Combine(DI(), hn::DemoteTo(DI2(), q_hi), hn::DemoteTo(DI2(), q_lo));
}

// Loads one vector of stored integers as int32.
template <typename T>
HWY_INLINE VI LoadAsInt32(const T* p) {
  if constexpr (sizeof(T) == 4) {
    return hn::LoadU(DI(), p);
  } else {
    return hn::PromoteTo(DI(), hn::LoadU(DT<T>(), p));
  }
}

// Stores one vector of quantized values.
template <typename T, class V>
HWY_INLINE void StoreQuantized(V q, T* p) {
  hn::StoreU(q, DT<T>(), p);
}

// (double)(q - zp) for the lower and upper half of the lanes: exact.
HWY_INLINE VD LowerMinus(VI q, VD zp) {
  return hn::Sub(hn::PromoteTo(DD(), hn::LowerHalf(DI2(), q)), zp);
}
HWY_INLINE VD UpperMinus(VI q, VD zp) {
  return hn::Sub(hn::PromoteTo(DD(), hn::UpperHalf(DI2(), q)), zp);
}

// Per channel: (float)((double)(q - zp) * scale), per half.
HWY_INLINE VF DequantizeF64(VI q, VD zp_lo, VD zp_hi, VD scale_lo, VD scale_hi) {
  const hn::Vec<DF2> lo = DemoteToFloat(hn::Mul(LowerMinus(q, zp_lo), scale_lo));
  const hn::Vec<DF2> hi = DemoteToFloat(hn::Mul(UpperMinus(q, zp_hi), scale_hi));
  return hn::Combine(DF(), hi, lo);
}

// Calls op(i, in + i, out + i) for each full vector of the n elements, each
// call reading and writing Lanes(DF) elements. The tail goes through
// zero-filled stack buffers, so nothing past n is read or written.
template <typename TIn, typename TOut, class Op>
HWY_INLINE void ForEachVector(const TIn* in, size_t n, TOut* out, const Op& op) {
  const size_t N = hn::Lanes(DF());
  size_t i = 0;
  for (; i + N <= n; i += N) op(i, in + i, out + i);
  if (i == n) return;
  TIn in_tail[hn::MaxLanes(DF())] = {};
  TOut out_tail[hn::MaxLanes(DF())];
  std::memcpy(in_tail, in + i, (n - i) * sizeof(TIn));
  op(i, in_tail, out_tail);
  std::memcpy(out + i, out_tail, (n - i) * sizeof(TOut));
}

// ------------------------------ Per tensor

template <typename T>
void QuantizeRun(const float* in, size_t n, float inv_scale, int64_t zero_point, T* out) {
  const DF df;
  const VF inv = hn::Set(df, inv_scale);
  if constexpr (sizeof(T) == 1) {
    const VF zp = hn::Set(df, static_cast<float>(zero_point));
    ForEachVector(in, n, out, [&](size_t, const float* x, T* q) HWY_ATTR {
      StoreQuantized(Quantize8<T>(hn::LoadU(df, x), inv, zp), q);
    });
  } else {
    const VD zp = hn::Set(DD(), static_cast<double>(zero_point));
    ForEachVector(in, n, out, [&](size_t, const float* x, T* q) HWY_ATTR {
      StoreQuantized(Quantize32(hn::LoadU(df, x), inv, zp, zp), q);
    });
  }
}

template <typename T>
void DequantizeRun(const T* in, size_t n, float scale, int64_t zero_point, float* out) {
  const DF df;
  const VF s = hn::Set(df, scale);
  if constexpr (sizeof(T) == 1) {
    // q - zp is a small int32 and converts to float exactly.
    const VI zp = hn::Set(DI(), static_cast<int32_t>(zero_point));
    ForEachVector(in, n, out, [&](size_t, const T* q, float* f) HWY_ATTR {
      hn::StoreU(hn::Mul(hn::ConvertTo(df, hn::Sub(LoadAsInt32(q), zp)), s), df, f);
    });
  } else {
    // q - zp needs up to 33 bits: exact in f64, then rounded once to float.
    const VD zp = hn::Set(DD(), static_cast<double>(zero_point));
    ForEachVector(in, n, out, [&](size_t, const T* q, float* f) HWY_ATTR {
      const VI qi = LoadAsInt32(q);
      const VF d = hn::Combine(df, hn::DemoteTo(DF2(), UpperMinus(qi, zp)),
                               hn::DemoteTo(DF2(), LowerMinus(qi, zp)));
      hn::StoreU(hn::Mul(d, s), df, f);
    });
  }
}

// ------------------------------ Per channel

// Per-lane parameters for a block laid out as [outer][channels][inner] with
// short runs: element k of the block uses the parameters of channel
// (k / inner) % channels, a pattern of period channels * inner. The pattern
// is stored repeated up to a multiple of the vector length, so that a vector
// starting at a multiple of the lane count never straddles its end; or, if
// the block is shorter than that, once over the whole block (rounded up to
// whole vectors, the excess zero), so its size never exceeds the block's.
template <typename U>
class LanePattern {
 public:
  template <typename V>
  LanePattern(const V* values, size_t outer, size_t channels, size_t inner) {
    const size_t period = channels * inner;
    const size_t lanes = hn::Lanes(DF());
    size_t repeats = 1;
    while (period * repeats % lanes != 0) ++repeats;
    size_t filled = repeats;
    if (outer < repeats) {
      filled = outer;
      size_ = (outer * period + lanes - 1) / lanes * lanes;
    } else {
      size_ = period * repeats;
    }
    if (size_ > kStackPattern) {
      heap_.resize(size_);
      data_ = heap_.data();
    }
    U* dst = data_;
    for (size_t r = 0; r < filled; ++r) {
      for (size_t c = 0; c < channels; ++c) {
        dst = std::fill_n(dst, inner, static_cast<U>(values[c]));
      }
    }
    std::fill(dst, data_ + size_, U{0});
  }
  LanePattern(const LanePattern&) = delete;
  LanePattern& operator=(const LanePattern&) = delete;

  const U* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  HWY_ALIGN U stack_[kStackPattern];
  std::vector<U> heap_;
  U* data_ = stack_;
  size_t size_ = 0;
};

// As ForEachVector, but op(j, in + i, out + i) gets j = i mod period (a
// multiple of the lane count), the position in a LanePattern.
template <typename TIn, typename TOut, class Op>
HWY_INLINE void ForEachVectorPeriodic(const TIn* in, size_t n, TOut* out, size_t period,
                                      const Op& op) {
  const size_t N = hn::Lanes(DF());
  size_t i = 0, j = 0;
  for (; i + N <= n; i += N) {
    op(j, in + i, out + i);
    j += N;
    if (j == period) j = 0;
  }
  if (i == n) return;
  TIn in_tail[hn::MaxLanes(DF())] = {};
  TOut out_tail[hn::MaxLanes(DF())];
  std::memcpy(in_tail, in + i, (n - i) * sizeof(TIn));
  op(j, in_tail, out_tail);
  std::memcpy(out + i, out_tail, (n - i) * sizeof(TOut));
}

template <typename T>
void QuantizeChannels(const float* in, size_t outer, size_t channels, size_t inner,
                      const float* inv_scales, const int64_t* zero_points, T* out) {
  if (outer == 0 || channels == 0 || inner == 0) return;
  if (inner >= kLongRun) {
    for (size_t o = 0; o < outer; ++o) {
      for (size_t c = 0; c < channels; ++c) {
        const size_t start = (o * channels + c) * inner;
        QuantizeRun(in + start, inner, inv_scales[c], zero_points[c], out + start);
      }
    }
    return;
  }
  // The zero point as float (exact) for 8 bits, as double for int32.
  using Zp = std::conditional_t<sizeof(T) == 1, float, double>;
  const LanePattern<float> inv_pattern(inv_scales, outer, channels, inner);
  const LanePattern<Zp> zp_pattern(zero_points, outer, channels, inner);
  const float* inv = inv_pattern.data();
  const Zp* zp = zp_pattern.data();
  const DF df;
  const DD dd;
  const size_t half = hn::Lanes(dd);
  ForEachVectorPeriodic(
      in, outer * channels * inner, out, inv_pattern.size(),
      [&](size_t j, const float* x, T* q) HWY_ATTR {
        if constexpr (sizeof(T) == 1) {
          StoreQuantized(
              Quantize8<T>(hn::LoadU(df, x), hn::LoadU(df, inv + j), hn::LoadU(df, zp + j)), q);
        } else {
          StoreQuantized(Quantize32(hn::LoadU(df, x), hn::LoadU(df, inv + j), hn::LoadU(dd, zp + j),
                                    hn::LoadU(dd, zp + j + half)),
                         q);
        }
      });
}

template <typename T>
void DequantizeChannels(const T* in, size_t outer, size_t channels, size_t inner,
                        const double* scales, const int64_t* zero_points, float* out) {
  if (outer == 0 || channels == 0 || inner == 0) return;
  const DF df;
  const DD dd;
  if (inner >= kLongRun) {
    for (size_t o = 0; o < outer; ++o) {
      for (size_t c = 0; c < channels; ++c) {
        const size_t start = (o * channels + c) * inner;
        const VD zp = hn::Set(dd, static_cast<double>(zero_points[c]));
        const VD s = hn::Set(dd, scales[c]);
        ForEachVector(in + start, inner, out + start, [&](size_t, const T* q, float* f) HWY_ATTR {
          hn::StoreU(DequantizeF64(LoadAsInt32(q), zp, zp, s, s), df, f);
        });
      }
    }
    return;
  }
  const LanePattern<double> scale_pattern(scales, outer, channels, inner);
  const LanePattern<double> zp_pattern(zero_points, outer, channels, inner);
  const double* s = scale_pattern.data();
  const double* zp = zp_pattern.data();
  const size_t half = hn::Lanes(dd);
  ForEachVectorPeriodic(in, outer * channels * inner, out, scale_pattern.size(),
                        [&](size_t j, const T* q, float* f) HWY_ATTR {
                          const VF v = DequantizeF64(
                              LoadAsInt32(q), hn::LoadU(dd, zp + j), hn::LoadU(dd, zp + j + half),
                              hn::LoadU(dd, s + j), hn::LoadU(dd, s + j + half));
                          hn::StoreU(v, df, f);
                        });
}

#endif  // HWY_TARGET == HWY_SCALAR

// ------------------------------ Entry points (HWY_EXPORT needs distinct names)

int64_t TargetBit() { return HWY_TARGET; }

void QuantizeI8(const float* in, size_t n, float inv, int64_t zp, int8_t* out) {
  QuantizeRun(in, n, inv, zp, out);
}
void QuantizeU8(const float* in, size_t n, float inv, int64_t zp, uint8_t* out) {
  QuantizeRun(in, n, inv, zp, out);
}
void QuantizeI32(const float* in, size_t n, float inv, int64_t zp, int32_t* out) {
  QuantizeRun(in, n, inv, zp, out);
}
void DequantizeI8(const int8_t* in, size_t n, float scale, int64_t zp, float* out) {
  DequantizeRun(in, n, scale, zp, out);
}
void DequantizeU8(const uint8_t* in, size_t n, float scale, int64_t zp, float* out) {
  DequantizeRun(in, n, scale, zp, out);
}
void DequantizeI32(const int32_t* in, size_t n, float scale, int64_t zp, float* out) {
  DequantizeRun(in, n, scale, zp, out);
}
void QuantizeChannelsI8(const float* in, size_t outer, size_t channels, size_t inner,
                        const float* inv, const int64_t* zp, int8_t* out) {
  QuantizeChannels(in, outer, channels, inner, inv, zp, out);
}
void QuantizeChannelsU8(const float* in, size_t outer, size_t channels, size_t inner,
                        const float* inv, const int64_t* zp, uint8_t* out) {
  QuantizeChannels(in, outer, channels, inner, inv, zp, out);
}
void QuantizeChannelsI32(const float* in, size_t outer, size_t channels, size_t inner,
                         const float* inv, const int64_t* zp, int32_t* out) {
  QuantizeChannels(in, outer, channels, inner, inv, zp, out);
}
void DequantizeChannelsI8(const int8_t* in, size_t outer, size_t channels, size_t inner,
                          const double* scales, const int64_t* zp, float* out) {
  DequantizeChannels(in, outer, channels, inner, scales, zp, out);
}
void DequantizeChannelsU8(const uint8_t* in, size_t outer, size_t channels, size_t inner,
                          const double* scales, const int64_t* zp, float* out) {
  DequantizeChannels(in, outer, channels, inner, scales, zp, out);
}
void DequantizeChannelsI32(const int32_t* in, size_t outer, size_t channels, size_t inner,
                           const double* scales, const int64_t* zp, float* out) {
  DequantizeChannels(in, outer, channels, inner, scales, zp, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(TargetBit);
HWY_EXPORT(QuantizeI8);
HWY_EXPORT(QuantizeU8);
HWY_EXPORT(QuantizeI32);
HWY_EXPORT(DequantizeI8);
HWY_EXPORT(DequantizeU8);
HWY_EXPORT(DequantizeI32);
HWY_EXPORT(QuantizeChannelsI8);
HWY_EXPORT(QuantizeChannelsU8);
HWY_EXPORT(QuantizeChannelsI32);
HWY_EXPORT(DequantizeChannelsI8);
HWY_EXPORT(DequantizeChannelsU8);
HWY_EXPORT(DequantizeChannelsI32);

void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeI8)(in, n, inv_scale, zero_point, out);
}
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeU8)(in, n, inv_scale, zero_point, out);
}
void QuantizePerTensor(const float* in, size_t n, float inv_scale, int64_t zero_point,
                       int32_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeI32)(in, n, inv_scale, zero_point, out);
}

void DequantizePerTensor(const int8_t* in, size_t n, float scale, int64_t zero_point, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeI8)(in, n, scale, zero_point, out);
}
void DequantizePerTensor(const uint8_t* in, size_t n, float scale, int64_t zero_point, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeU8)(in, n, scale, zero_point, out);
}
void DequantizePerTensor(const int32_t* in, size_t n, float scale, int64_t zero_point, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeI32)(in, n, scale, zero_point, out);
}

void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const float* inv, const int64_t* zp, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeChannelsI8)(in, outer, channels, inner, inv, zp, out);
}
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const float* inv, const int64_t* zp, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeChannelsU8)(in, outer, channels, inner, inv, zp, out);
}
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const float* inv, const int64_t* zp, int32_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeChannelsI32)(in, outer, channels, inner, inv, zp, out);
}

void DequantizePerChannel(const int8_t* in, size_t outer, size_t channels, size_t inner,
                          const double* scales, const int64_t* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeChannelsI8)(in, outer, channels, inner, scales, zero_points, out);
}
void DequantizePerChannel(const uint8_t* in, size_t outer, size_t channels, size_t inner,
                          const double* scales, const int64_t* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeChannelsU8)(in, outer, channels, inner, scales, zero_points, out);
}
void DequantizePerChannel(const int32_t* in, size_t outer, size_t channels, size_t inner,
                          const double* scales, const int64_t* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeChannelsI32)(in, outer, channels, inner, scales, zero_points, out);
}

const char* ActiveTargetName() { return hwy::TargetName(HWY_DYNAMIC_DISPATCH(TargetBit)()); }

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
