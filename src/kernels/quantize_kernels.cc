// Quantize / dequantize kernels: Google Highway (1.0.3) SIMD code compiled
// once per target, with run-time dispatch to the best one the CPU supports.
// The numerics are those of quantize_kernels.h, bit for bit; the scalar
// kernels in quantize_scalar.cc are what the tests hold these to.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/quantize_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <limits>
#include <type_traits>

#include "kernels/quantize_kernels.h"
#include "src/kernels/int32_lanes-inl.h"
#include "src/kernels/kernel_loops-inl.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane (the fallback GCC < 12.3 builds instead of EMU128): the scalar
// loop is exactly this target's kernel.
template <typename T>
void QuantizeRun(const float* in, size_t n, float inv_scale, int64_t zero_point, T* out) {
  scalar::QuantizePerTensor(in, n, inv_scale, zero_point, out);
}
template <typename T>
void DequantizeRun(const T* in, size_t n, float scale, int64_t zero_point, float* out) {
  scalar::DequantizePerTensor(in, n, scale, zero_point, out);
}
template <typename T>
void QuantizeChannels(const float* in, size_t outer, size_t channels, size_t inner,
                      const ChannelParams& params, T* out) {
  scalar::QuantizePerChannel(in, outer, channels, inner, params, out);
}
template <typename T>
void DequantizeChannels(const T* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, float* out) {
  scalar::DequantizePerChannel(in, outer, channels, inner, params, out);
}
#else

// f64 -> f32 with IEEE rounding, overflow included. EMU128's DemoteTo
// saturates at +-FLT_MAX where IEEE (every SIMD target, and the scalar kernels)
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

// q = clamp(r + zp, qmin, qmax) for 8-bit T, as int32 lanes. r + zp is
// exact in float unless |r| >= 2^24, and then it is far outside [qmin, qmax]
// either way. The clamped value is an integer below 2^8 in magnitude:
// adding 1.5 * 2^23 puts it in the low mantissa bits, a cheaper conversion
// than ConvertTo (which also handles overflow, impossible here).
template <typename T>
HWY_INLINE VI Quantize8(VF x, VF inv, VF zp) {
  const DF df;
  const VF lo = hn::Set(df, static_cast<float>(std::numeric_limits<T>::min()));
  const VF hi = hn::Set(df, static_cast<float>(std::numeric_limits<T>::max()));
  const VF q = hn::Min(hn::Max(hn::Add(ScaleAndRound(x, inv), zp), lo), hi);
  const VF magic = hn::Set(df, 12582912.0f);  // 1.5 * 2^23
  return hn::Sub(hn::BitCast(DI(), hn::Add(q, magic)), hn::BitCast(DI(), magic));
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

// Per channel: (float)((double)(q - zp) * scale), per half.
HWY_INLINE VF DequantizeF64(VI q, VD zp_lo, VD zp_hi, VD scale_lo, VD scale_hi) {
  const hn::Vec<DF2> lo = DemoteToFloat(hn::Mul(LowerMinus(q, zp_lo), scale_lo));
  const hn::Vec<DF2> hi = DemoteToFloat(hn::Mul(UpperMinus(q, zp_hi), scale_hi));
  return hn::Combine(DF(), hi, lo);
}

// Nonzero exactly in the lanes whose q is outside [-2^23, 2^23): q + 2^23
// is in [0, 2^24) exactly when q is in range (wrapping for q near
// INT32_MAX makes it negative), so it has no bit above the 24th.
HWY_INLINE VI OutsideFloatRange(VI q) {
  const DI di;
  return hn::And(hn::Add(q, hn::Set(di, int32_t{1} << 23)),
                 hn::Set(di, static_cast<int32_t>(0xFF000000u)));
}

// Whether no lane of v has a bit set (v from OutsideFloatRange).
HWY_INLINE bool NoLaneSet(VI v) {
  const DI di;
  return hn::AllTrue(di, hn::Eq(v, hn::Zero(di)));
}

// The per-channel formula in float arithmetic, (float)(q - zp) * s: exact
// when q - zp fits 24 bits and s is a float32 value (see
// ChannelParams::float_arithmetic). The subtraction is an integer one:
// with a float one instead, 4 Ki-element dequantize along the last axis
// measured about 4 % slower (three operations on the float pipes, not two).
HWY_INLINE VF DequantizeInFloat(VI q, VI zp, VF s) {
  return hn::Mul(hn::ConvertTo(DF(), hn::Sub(q, zp)), s);
}

// The per-channel formula for one vector of int32 q, zero points in
// [-2^23, 2^23) and float32 scales, stored to f in float arithmetic when
// every lane's q is in [-2^23, 2^23) too (then q - zp fits 24 bits).
// Returns false, storing nothing, when some lane is not:
// the caller then takes DequantizeLanesExactly.
template <bool kStream>
HWY_INLINE bool StoreInt32InFloat(VI q, VI zp, VF s, float* f) {
  if (HWY_UNLIKELY(!NoLaneSet(OutsideFloatRange(q)))) return false;
  StoreVector<kStream>(DequantizeInFloat(q, zp, s), DF(), f);
  return true;
}

// The per-channel formula, by the scalar kernel, for `count` int32 values at
// positions j, j + 1, ... of a [channels][inner] period: the rare lanes
// StoreInt32InFloat leaves. Inline and free of calls, so that the vector
// loop around it keeps its registers.
HWY_INLINE void DequantizeLanesExactly(const int32_t* q, size_t count, size_t j, size_t channels,
                                       size_t inner, const ChannelParams& params, float* f) {
  for (size_t l = 0; l < count; ++l) {
    const size_t c = (j + l) / inner % channels;
    f[l] = scalar::DequantizeChannelValue(q[l], params.scales[c], params.zero_points[c]);
  }
}

// ------------------------------ Per tensor

// Elements per call of a quantize op: four vectors for 8-bit output (one
// full vector of bytes), one otherwise.
template <typename T>
constexpr size_t QuantizeBlock() {
  return sizeof(T) == 1 ? 4 * hn::MaxLanes(DF()) : hn::MaxLanes(DF());
}

// The zero point as QuantizeBlockTo takes it: float (exact) for 8 bits,
// Int32ZeroPoint for int32.
template <typename T>
HWY_INLINE auto ZeroPointVector(int64_t zero_point) {
  if constexpr (sizeof(T) == 1) {
    return hn::Set(DF(), static_cast<float>(zero_point));
  } else {
    return MakeInt32ZeroPoint(zero_point);
  }
}

// Quantizes one block of QuantizeBlock<T>() elements.
template <bool kStream, typename T, class VZ>
HWY_INLINE void QuantizeBlockTo(const float* x, VF inv, VZ zp, T* q) {
  const DF df;
  if constexpr (sizeof(T) == 1) {
    const size_t N = hn::Lanes(df);
    const VI a = Quantize8<T>(hn::LoadU(df, x), inv, zp);
    const VI b = Quantize8<T>(hn::LoadU(df, x + N), inv, zp);
    const VI c = Quantize8<T>(hn::LoadU(df, x + 2 * N), inv, zp);
    const VI d = Quantize8<T>(hn::LoadU(df, x + 3 * N), inv, zp);
    StoreVector<kStream>(PackBytes<T>(a, b, c, d), DBytes<T>(), q);
  } else {
    StoreVector<kStream>(Quantize32(hn::LoadU(df, x), inv, zp), DI(), q);
  }
}

template <typename T>
void QuantizeRun(const float* in, size_t n, float inv_scale, int64_t zero_point, T* out) {
  const VF inv = hn::Set(DF(), inv_scale);
  const auto zp = ZeroPointVector<T>(zero_point);
  ForEachBlock<QuantizeBlock<T>()>(
      in, n, out, 0, ShouldStream<T>(n),
      [&](auto streamed, size_t, const float* x, T* q)
          QTENSOR_KERNEL_OP { QuantizeBlockTo<decltype(streamed)::value>(x, inv, zp, q); });
}

template <typename T>
void DequantizeRun(const T* in, size_t n, float scale, int64_t zero_point, float* out) {
  const DF df;
  const VF s = hn::Set(df, scale);
  const VI zp = hn::Set(DI(), static_cast<int32_t>(zero_point));
  ForEachBlock<hn::MaxLanes(DF())>(
      in, n, out, 0, ShouldStream<float>(n),
      [&](auto streamed, size_t, const T* q, float* f) QTENSOR_KERNEL_OP {
        VF d;
        if constexpr (sizeof(T) == 1) {
          d = hn::ConvertTo(df, hn::Sub(LoadAsInt32(q), zp));  // small: exact
        } else {
          d = Int32MinusToFloat(LoadAsInt32(q), zp);
        }
        StoreVector<decltype(streamed)::value>(hn::Mul(d, s), df, f);
      });
}

// ------------------------------ Per channel

template <typename T>
void QuantizeChannels(const float* in, size_t outer, size_t channels, size_t inner,
                      const ChannelParams& params, T* out) {
  const float* inv_scales = params.inv_scales;
  const int64_t* zero_points = params.zero_points;
  if (outer == 0 || channels == 0 || inner == 0) return;
  const size_t n = outer * channels * inner;
  const bool stream = ShouldStream<T>(n);
  constexpr size_t kBlock = QuantizeBlock<T>();
  if (inner >= kLongRun) {
    ForEachChannelRun<kBlock>(in, outer, channels, inner, out, stream,
                              [&](auto streamed, size_t c, const float* x, T* q) QTENSOR_KERNEL_OP {
                                QuantizeBlockTo<decltype(streamed)::value>(
                                    x, hn::Set(DF(), inv_scales[c]),
                                    ZeroPointVector<T>(zero_points[c]), q);
                              });
    return;
  }
  constexpr size_t N = hn::MaxLanes(DF());
  if (ByChannelRuns<N>(outer, channels, inner, kBlock)) {
    // Shorter runs a vector at a time (8-bit outputs narrowed to a partial
    // vector), not streamed: their blocks are not aligned.
    ForEachChannelRun<N>(in, outer, channels, inner, out, false,
                         [&](auto, size_t c, const float* x, T* q) QTENSOR_KERNEL_OP {
                           const VF inv = hn::Set(DF(), inv_scales[c]);
                           const auto zp = ZeroPointVector<T>(zero_points[c]);
                           if constexpr (sizeof(T) == 1) {
                             const VI v = Quantize8<T>(hn::LoadU(DF(), x), inv, zp);
                             hn::StoreU(hn::DemoteTo(DT<T>(), v), DT<T>(), q);
                           } else {
                             QuantizeBlockTo<false>(x, inv, zp, q);
                           }
                         });
    return;
  }
  // The zero point as float (exact) for 8 bits, as double for int32.
  using Zp = std::conditional_t<sizeof(T) == 1, float, double>;
  const LanePattern<float> inv_pattern(inv_scales, outer, channels, inner, kBlock);
  const LanePattern<Zp> zp_pattern(zero_points, outer, channels, inner, kBlock);
  const float* inv = inv_pattern.data();
  const Zp* zp = zp_pattern.data();
  const DF df;
  const DD dd;
  ForEachBlock<kBlock>(
      in, n, out, inv_pattern.period(), stream,
      [&](auto streamed, size_t j, const float* x, T* q) QTENSOR_KERNEL_OP {
        constexpr bool kStream = decltype(streamed)::value;
        if constexpr (sizeof(T) == 1) {
          const auto part = [&](size_t k) QTENSOR_KERNEL_OP {
            return Quantize8<T>(hn::LoadU(df, x + k), hn::LoadU(df, inv + j + k),
                                hn::LoadU(df, zp + j + k));
          };
          StoreVector<kStream>(PackBytes<T>(part(0), part(N), part(2 * N), part(3 * N)),
                               DBytes<T>(), q);
        } else {
          const size_t half = hn::Lanes(dd);
          StoreVector<kStream>(Quantize32(hn::LoadU(df, x), hn::LoadU(df, inv + j),
                                          hn::LoadU(dd, zp + j), hn::LoadU(dd, zp + j + half)),
                               DI(), q);
        }
      });
}

// Per channel with params.float_arithmetic set, in float arithmetic: run by
// run, kVectors (1 or 2) vectors per step (one load of the channel's
// parameters for both on long runs). Not inlined, nor is the pattern
// variant: in one function, GCC rematerialized loop constants inside the
// other's hot loop (measured 15-30 % slower).
template <size_t kVectors, typename T>
HWY_NOINLINE void DequantizeRunsInFloat(const T* in, size_t outer, size_t channels, size_t inner,
                                        const ChannelParams& params, float* out, bool stream) {
  constexpr size_t N = hn::MaxLanes(DF());
  const DF df;
  const DI di;
  const float* s = params.float_scales;
  const int32_t* zp = params.small_zero_points;
  ForEachChannelRun<kVectors * N>(
      in, outer, channels, inner, out, stream,
      [&](auto streamed, size_t c, const T* p, float* f) QTENSOR_KERNEL_OP {
        constexpr bool kStream = decltype(streamed)::value;
        const VI zp_c = hn::Set(di, zp[c]);
        const VF s_c = hn::Set(df, s[c]);
        // Vector k of the step; an int32 one with values beyond 2^23 takes
        // the exact formula.
        const auto store = [&](VI q, size_t k) QTENSOR_KERNEL_OP {
          if constexpr (sizeof(T) == 4) {
            if (!StoreInt32InFloat<kStream>(q, zp_c, s_c, f + k * N)) {
              DequantizeLanesExactly(p + k * N, N, 0, 1, 1, params.From(c), f + k * N);
            }
          } else {
            StoreVector<kStream>(DequantizeInFloat(q, zp_c, s_c), df, f + k * N);
          }
        };
        const VI q0 = LoadAsInt32(p);
        if constexpr (kVectors == 1) {
          store(q0, 0);
        } else {
          const VI q1 = LoadAsInt32(p + N);
          if constexpr (sizeof(T) == 4) {
            // Both vectors' range checks at once: one test and branch.
            if (HWY_UNLIKELY(!NoLaneSet(hn::Or(OutsideFloatRange(q0), OutsideFloatRange(q1))))) {
              store(q0, 0);
              store(q1, 1);
              return;
            }
          }
          StoreVector<kStream>(DequantizeInFloat(q0, zp_c, s_c), df, f);
          StoreVector<kStream>(DequantizeInFloat(q1, zp_c, s_c), df, f + N);
        }
      });
}

// The same with per-lane parameter patterns.
template <typename T>
HWY_NOINLINE void DequantizePatternInFloat(const T* in, size_t outer, size_t channels, size_t inner,
                                           const ChannelParams& params, float* out, bool stream) {
  const size_t n = outer * channels * inner;
  constexpr size_t kBlock = hn::MaxLanes(DF());
  const DF df;
  const DI di;
  const LanePattern<float> scale_pattern(params.float_scales, outer, channels, inner, kBlock);
  const LanePattern<int32_t> zp_pattern(params.small_zero_points, outer, channels, inner, kBlock);
  const float* s = scale_pattern.data();
  const int32_t* zp = zp_pattern.data();
  const size_t period = scale_pattern.period();
  struct LaneParams {  // one vector's per-lane parameters
    VI zp;
    VF s;
  };
  const auto load = [&](size_t j) QTENSOR_KERNEL_OP {
    return LaneParams{hn::LoadU(di, zp + j), hn::LoadU(df, s + j)};
  };
  // j is read only by the int32 fallback.
  const auto apply = [&](auto streamed, const LaneParams& lanes, [[maybe_unused]] size_t j,
                         const T* p, float* f) QTENSOR_KERNEL_OP {
    constexpr bool kStream = decltype(streamed)::value;
    const VI q = LoadAsInt32(p);
    if constexpr (sizeof(T) == 1) {
      StoreVector<kStream>(DequantizeInFloat(q, lanes.zp, lanes.s), df, f);
    } else if (!StoreInt32InFloat<kStream>(q, lanes.zp, lanes.s, f)) {
      DequantizeLanesExactly(p, kBlock, j, channels, inner, params, f);
    }
  };
  // Whole periods of an output that stays in the caches column by column;
  // the rest (or a streamed output) block by block.
  const size_t done = stream ? 0 : n / period * period;
  const auto rows = [&](const LaneParams& lanes, size_t j, const T* p, float* f,
                        size_t count) QTENSOR_KERNEL_OP {
    if constexpr (sizeof(T) == 4) {
      // A whole column's range checks at once: one test and branch.
      if (count == kPatternRows) {
        VI q[kPatternRows];
        VI outside = hn::Zero(di);
        for (size_t k = 0; k < kPatternRows; ++k) {
          q[k] = LoadAsInt32(p + k * period);
          outside = hn::Or(outside, OutsideFloatRange(q[k]));
        }
        if (HWY_LIKELY(NoLaneSet(outside))) {
          for (size_t k = 0; k < kPatternRows; ++k) {
            hn::StoreU(DequantizeInFloat(q[k], lanes.zp, lanes.s), df, f + k * period);
          }
          return;
        }
      }
    }
    for (size_t k = 0; k < count; ++k) {
      apply(std::false_type(), lanes, j, p + k * period, f + k * period);
    }
  };
  ForEachPeriodByColumns<kBlock>(in, done / period, period, out, load, rows);
  ForEachBlock<kBlock>(in + done, n - done, out + done, period, stream,
                       [&](auto streamed, size_t j, const T* p, float* f)
                           QTENSOR_KERNEL_OP { apply(streamed, load(j), j, p, f); });
}

// Per channel with params.float_arithmetic set: float arithmetic.
template <typename T>
void DequantizeChannelsInFloat(const T* in, size_t outer, size_t channels, size_t inner,
                               const ChannelParams& params, float* out, bool stream) {
  constexpr size_t N = hn::MaxLanes(DF());
  if (inner >= kLongRun) {
    DequantizeRunsInFloat<2>(in, outer, channels, inner, params, out, stream);
  } else if (ByChannelRuns<N>(outer, channels, inner, N)) {
    // Short runs: not streamed (their blocks are not aligned).
    DequantizeRunsInFloat<1>(in, outer, channels, inner, params, out, false);
  } else {
    DequantizePatternInFloat(in, outer, channels, inner, params, out, stream);
  }
}

template <typename T>
void DequantizeChannels(const T* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, float* out) {
  if (outer == 0 || channels == 0 || inner == 0) return;
  const size_t n = outer * channels * inner;
  const bool stream = ShouldStream<float>(n);
  if (params.float_arithmetic) {
    DequantizeChannelsInFloat(in, outer, channels, inner, params, out, stream);
    return;
  }
  const double* scales = params.scales;
  const int64_t* zero_points = params.zero_points;
  const DF df;
  const DD dd;
  constexpr size_t kBlock = hn::MaxLanes(DF());
  if (ByChannelRuns<kBlock>(outer, channels, inner, kBlock)) {
    ForEachChannelRun<kBlock>(in, outer, channels, inner, out, stream && inner >= kLongRun,
                              [&](auto streamed, size_t c, const T* q, float* f) QTENSOR_KERNEL_OP {
                                const VD zp = hn::Set(dd, static_cast<double>(zero_points[c]));
                                const VD s = hn::Set(dd, scales[c]);
                                StoreVector<decltype(streamed)::value>(
                                    DequantizeF64(LoadAsInt32(q), zp, zp, s, s), df, f);
                              });
    return;
  }
  const LanePattern<double> scale_pattern(scales, outer, channels, inner, kBlock);
  const LanePattern<double> zp_pattern(zero_points, outer, channels, inner, kBlock);
  const double* s = scale_pattern.data();
  const double* zp = zp_pattern.data();
  const size_t half = hn::Lanes(dd);
  ForEachBlock<kBlock>(in, n, out, scale_pattern.period(), stream,
                       [&](auto streamed, size_t j, const T* q, float* f) QTENSOR_KERNEL_OP {
                         const VF v = DequantizeF64(
                             LoadAsInt32(q), hn::LoadU(dd, zp + j), hn::LoadU(dd, zp + j + half),
                             hn::LoadU(dd, s + j), hn::LoadU(dd, s + j + half));
                         StoreVector<decltype(streamed)::value>(v, df, f);
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
                        const ChannelParams& params, int8_t* out) {
  QuantizeChannels(in, outer, channels, inner, params, out);
}
void QuantizeChannelsU8(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, uint8_t* out) {
  QuantizeChannels(in, outer, channels, inner, params, out);
}
void QuantizeChannelsI32(const float* in, size_t outer, size_t channels, size_t inner,
                         const ChannelParams& params, int32_t* out) {
  QuantizeChannels(in, outer, channels, inner, params, out);
}
void DequantizeChannelsI8(const int8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  DequantizeChannels(in, outer, channels, inner, params, out);
}
void DequantizeChannelsU8(const uint8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  DequantizeChannels(in, outer, channels, inner, params, out);
}
void DequantizeChannelsI32(const int32_t* in, size_t outer, size_t channels, size_t inner,
                           const ChannelParams& params, float* out) {
  DequantizeChannels(in, outer, channels, inner, params, out);
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
                        const ChannelParams& params, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeChannelsI8)(in, outer, channels, inner, params, out);
}
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeChannelsU8)(in, outer, channels, inner, params, out);
}
void QuantizePerChannel(const float* in, size_t outer, size_t channels, size_t inner,
                        const ChannelParams& params, int32_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeChannelsI32)(in, outer, channels, inner, params, out);
}

void DequantizePerChannel(const int8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeChannelsI8)(in, outer, channels, inner, params, out);
}
void DequantizePerChannel(const uint8_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeChannelsU8)(in, outer, channels, inner, params, out);
}
void DequantizePerChannel(const int32_t* in, size_t outer, size_t channels, size_t inner,
                          const ChannelParams& params, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeChannelsI32)(in, outer, channels, inner, params, out);
}

const char* ActiveTargetName() { return hwy::TargetName(HWY_DYNAMIC_DISPATCH(TargetBit)()); }

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
