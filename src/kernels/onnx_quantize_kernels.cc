// ONNX quantize kernels: Google Highway (1.0.3) SIMD code compiled once per
// target, with run-time dispatch to the best one the CPU supports. The
// numerics are those of onnx_quantize_kernels.h, bit for bit; the scalar
// kernels in onnx_quantize_scalar.cc are what the tests hold these to.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/onnx_quantize_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstring>

#include "kernels/onnx_quantize_kernels.h"
#include "src/kernels/int32_lanes-inl.h"
#include "src/kernels/kernel_loops-inl.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels::onnx {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane (the fallback GCC < 12.3 builds instead of EMU128): the scalar
// loops are exactly this target's kernels.
template <class Range>
void QuantizeTensor(const float* in, size_t n, float scale, int64_t zero_point,
                    typename Range::T* out) {
  scalar::QuantizePerTensor<Range>(in, n, scale, zero_point, out);
}
template <class Range>
void QuantizeAxis(const float* in, size_t outer, size_t channels, size_t inner,
                  const ChannelParams& params, typename Range::T* out) {
  scalar::QuantizePerAxis<Range>(in, outer, channels, inner, params, out);
}
template <class Range>
void QuantizeBlocks(const float* in, size_t outer, size_t axis_len, size_t inner,
                    const BlockedParams& params, typename Range::T* out) {
  scalar::QuantizeBlocked<Range>(in, outer, axis_len, inner, params, out);
}
template <typename T>
void DequantizeBlocks(const T* in, size_t outer, size_t axis_len, size_t inner,
                      const BlockedParams& params, float* out) {
  scalar::DequantizeBlocked(in, outer, axis_len, inner, params, out);
}
#else

using ::qtensor::kernels::HWY_NAMESPACE::DF;
using ::qtensor::kernels::HWY_NAMESPACE::DI;
using ::qtensor::kernels::HWY_NAMESPACE::DT;
using ::qtensor::kernels::HWY_NAMESPACE::ForEachBlock;
using ::qtensor::kernels::HWY_NAMESPACE::ForEachChannelRun;
using ::qtensor::kernels::HWY_NAMESPACE::LanePattern;
using ::qtensor::kernels::HWY_NAMESPACE::VF;
using ::qtensor::kernels::HWY_NAMESPACE::VI;

constexpr size_t kLanes = hn::MaxLanes(DF());

// One vector of the quantize formula: q = clamp(round(x / scale) + zp, qmin,
// qmax) with NaN -> qmin, as int32 lanes. Round(v) + zp is exact below 2^24
// and beyond it far outside any range, so clamping after the sum gives what
// ONNX Runtime's clamp of v to [qmin - zp, qmax - zp] before rounding gives.
HWY_INLINE VI QuantizeLanes(VF x, VF scale, VF zp, VF qmin, VF qmax) {
  const VF v = hn::Div(x, scale);
  const VF q = hn::Min(hn::Max(hn::Add(hn::Round(v), zp), qmin), qmax);
  return hn::ConvertTo(DI(), hn::IfThenElse(hn::IsNaN(v), qmin, q));
}

// One vector of dequantize: (float)(q - zp) * scale, the difference exact.
HWY_INLINE VF DequantizeLanes(VI q, VI zp, VF scale) {
  return hn::Mul(hn::ConvertTo(DF(), hn::Sub(q, zp)), scale);
}

template <typename T>
HWY_INLINE VI LoadAsInt32(const T* p) {
  return hn::PromoteTo(DI(), hn::LoadU(DT<T>(), p));
}

template <class Range>
HWY_INLINE void StoreQuantized(VI q, typename Range::T* p) {
  const DT<typename Range::T> dt;
  hn::StoreU(hn::DemoteTo(dt, q), dt, p);
}

// Calls op(x, s, z, q) for each vector of a run of `len` elements whose
// parameters are per lane (s: scales, z: zero points), the last partial
// vector through zero-filled stack buffers (scale 1).
template <typename TIn, typename TOut, class Op>
HWY_INLINE void ForEachPerLaneVector(const TIn* x, size_t len, const float* s, const int32_t* z,
                                     TOut* q, const Op& op) {
  size_t i = 0;
  for (; i + kLanes <= len; i += kLanes) op(x + i, s + i, z + i, q + i);
  if (i == len) return;
  const size_t count = len - i;
  TIn x_part[kLanes] = {};
  float s_part[kLanes];
  int32_t z_part[kLanes] = {};
  TOut q_part[kLanes];
  std::fill(s_part, s_part + kLanes, 1.0f);
  std::memcpy(x_part, x + i, count * sizeof(TIn));
  std::memcpy(s_part, s + i, count * sizeof(float));
  std::memcpy(z_part, z + i, count * sizeof(int32_t));
  op(x_part, s_part, z_part, q_part);
  std::memcpy(q + i, q_part, count * sizeof(TOut));
}

// Elements of the blocked layouts without a vector-friendly shape get their
// parameters copied out per element, this many at a time.
constexpr size_t kExpandChunk = 256;

// Visits a blocked [outer][axis_len][inner] block in runs that share their
// parameters' layout:
//   uniform(x, len, scale, zp, q)  a run of elements with one parameter;
//   per_lane(x, len, s, z, q)      a run whose element k uses s[k], z[k].
// Along the last axis (inner 1) with blocks of at least a vector, each block
// is a uniform run; with rows of at least a vector (inner >= kLanes), each
// row (o, a) takes the parameter row (o, a / block_size) lane for lane. Other
// shapes copy the parameters of kExpandChunk elements at a time.
template <typename TIn, typename TOut, class Uniform, class PerLane>
HWY_INLINE void ForEachBlockedRun(const TIn* in, size_t outer, size_t axis_len, size_t inner,
                                  const BlockedParams& params, TOut* out, const Uniform& uniform,
                                  const PerLane& per_lane) {
  const size_t block = params.block_size;
  const size_t blocks = (axis_len + block - 1) / block;
  if (inner == 1 && block >= kLanes) {
    for (size_t o = 0; o < outer; ++o) {
      for (size_t b = 0; b < blocks; ++b) {
        const size_t start = o * axis_len + b * block;
        const size_t p = o * blocks + b;
        uniform(in + start, std::min(block, axis_len - b * block), params.scales[p],
                params.zero_points[p], out + start);
      }
    }
    return;
  }
  if (inner >= kLanes) {
    for (size_t o = 0; o < outer; ++o) {
      for (size_t a = 0; a < axis_len; ++a) {
        const size_t start = (o * axis_len + a) * inner;
        const size_t p = (o * blocks + a / block) * inner;
        per_lane(in + start, inner, params.scales + p, params.zero_points + p, out + start);
      }
    }
    return;
  }
  // Element by element in order: i within the row, a along the axis, o, and
  // the index of the parameter row (o, a / block_size).
  float s[kExpandChunk];
  int32_t z[kExpandChunk];
  const size_t n = outer * axis_len * inner;
  size_t i = 0, a = 0, row = 0;
  for (size_t k = 0; k < n; k += kExpandChunk) {
    const size_t count = std::min(kExpandChunk, n - k);
    for (size_t e = 0; e < count; ++e) {
      s[e] = params.scales[row + i];
      z[e] = params.zero_points[row + i];
      if (++i < inner) continue;
      i = 0;
      if (++a == axis_len) {
        a = 0;
        row += inner;  // the next o starts past this o's last block
      } else if (a % block == 0) {
        row += inner;
      }
    }
    per_lane(in + k, count, s, z, out + k);
  }
}

// ------------------------------ Quantize

template <class Range>
HWY_INLINE VF LowestValue() {
  return hn::Set(DF(), static_cast<float>(Range::kMin));
}
template <class Range>
HWY_INLINE VF HighestValue() {
  return hn::Set(DF(), static_cast<float>(Range::kMax));
}

// A run of `len` elements with one scale and zero point.
template <class Range>
HWY_INLINE void QuantizeUniform(const float* in, size_t len, float scale, int32_t zero_point,
                                typename Range::T* out) {
  using T = typename Range::T;
  const DF df;
  const VF qmin = LowestValue<Range>();
  const VF qmax = HighestValue<Range>();
  const VF s = hn::Set(df, scale);
  const VF zp = hn::Set(df, static_cast<float>(zero_point));
  ForEachBlock<kLanes>(
      in, len, out, 0, false, [&](auto, size_t, const float* x, T* q) QTENSOR_KERNEL_OP {
        StoreQuantized<Range>(QuantizeLanes(hn::LoadU(df, x), s, zp, qmin, qmax), q);
      });
}

// A run of `len` elements whose element k uses s[k] and z[k].
template <class Range>
HWY_INLINE void QuantizePerLane(const float* in, size_t len, const float* s, const int32_t* z,
                                typename Range::T* out) {
  using T = typename Range::T;
  const DF df;
  const VF qmin = LowestValue<Range>();
  const VF qmax = HighestValue<Range>();
  ForEachPerLaneVector(
      in, len, s, z, out,
      [&](const float* x, const float* sv, const int32_t* zv, T* q) QTENSOR_KERNEL_OP {
        const VF zp = hn::ConvertTo(df, hn::LoadU(DI(), zv));
        StoreQuantized<Range>(QuantizeLanes(hn::LoadU(df, x), hn::LoadU(df, sv), zp, qmin, qmax),
                              q);
      });
}

template <class Range>
void QuantizeTensor(const float* in, size_t n, float scale, int64_t zero_point,
                    typename Range::T* out) {
  QuantizeUniform<Range>(in, n, scale, static_cast<int32_t>(zero_point), out);
}

template <class Range>
void QuantizeAxis(const float* in, size_t outer, size_t channels, size_t inner,
                  const ChannelParams& params, typename Range::T* out) {
  using T = typename Range::T;
  if (outer == 0 || channels == 0 || inner == 0) return;
  const DF df;
  const VF qmin = LowestValue<Range>();
  const VF qmax = HighestValue<Range>();
  if (inner >= kLanes) {
    ForEachChannelRun<kLanes>(
        in, outer, channels, inner, out, false,
        [&](auto, size_t c, const float* x, T* q) QTENSOR_KERNEL_OP {
          const VF s = hn::Set(df, params.float_scales[c]);
          const VF zp = hn::Set(df, static_cast<float>(params.zero_points[c]));
          StoreQuantized<Range>(QuantizeLanes(hn::LoadU(df, x), s, zp, qmin, qmax), q);
        });
    return;
  }
  // Short runs: per-lane parameter patterns (zero points as float, exact).
  const LanePattern<float> scales(params.float_scales, outer, channels, inner, kLanes);
  const LanePattern<float> zero_points(params.zero_points, outer, channels, inner, kLanes);
  ForEachBlock<kLanes>(in, outer * channels * inner, out, scales.period(), false,
                       [&](auto, size_t j, const float* x, T* q) QTENSOR_KERNEL_OP {
                         const VF s = hn::LoadU(df, scales.data() + j);
                         const VF zp = hn::LoadU(df, zero_points.data() + j);
                         StoreQuantized<Range>(QuantizeLanes(hn::LoadU(df, x), s, zp, qmin, qmax),
                                               q);
                       });
}

template <class Range>
void QuantizeBlocks(const float* in, size_t outer, size_t axis_len, size_t inner,
                    const BlockedParams& params, typename Range::T* out) {
  ForEachBlockedRun(in, outer, axis_len, inner, params, out, QuantizeUniform<Range>,
                    QuantizePerLane<Range>);
}

// ------------------------------ Dequantize

template <typename T>
HWY_INLINE void DequantizeUniform(const T* in, size_t len, float scale, int32_t zero_point,
                                  float* out) {
  const DF df;
  const VF s = hn::Set(df, scale);
  const VI zp = hn::Set(DI(), zero_point);
  ForEachBlock<kLanes>(in, len, out, 0, false,
                       [&](auto, size_t, const T* q, float* f) QTENSOR_KERNEL_OP {
                         hn::StoreU(DequantizeLanes(LoadAsInt32(q), zp, s), df, f);
                       });
}

template <typename T>
HWY_INLINE void DequantizePerLane(const T* in, size_t len, const float* s, const int32_t* z,
                                  float* out) {
  const DF df;
  ForEachPerLaneVector(
      in, len, s, z, out,
      [&](const T* q, const float* sv, const int32_t* zv, float* f) QTENSOR_KERNEL_OP {
        hn::StoreU(DequantizeLanes(LoadAsInt32(q), hn::LoadU(DI(), zv), hn::LoadU(df, sv)), df, f);
      });
}

template <typename T>
void DequantizeBlocks(const T* in, size_t outer, size_t axis_len, size_t inner,
                      const BlockedParams& params, float* out) {
  ForEachBlockedRun(in, outer, axis_len, inner, params, out, DequantizeUniform<T>,
                    DequantizePerLane<T>);
}

#endif  // HWY_TARGET == HWY_SCALAR

// ------------------------------ Entry points (HWY_EXPORT needs distinct names)

void QuantizeI8(const float* in, size_t n, float scale, int64_t zp, int8_t* out) {
  QuantizeTensor<Int8Range>(in, n, scale, zp, out);
}
void QuantizeU8(const float* in, size_t n, float scale, int64_t zp, uint8_t* out) {
  QuantizeTensor<Uint8Range>(in, n, scale, zp, out);
}
void QuantizeI16(const float* in, size_t n, float scale, int64_t zp, int16_t* out) {
  QuantizeTensor<Int16Range>(in, n, scale, zp, out);
}
void QuantizeU16(const float* in, size_t n, float scale, int64_t zp, uint16_t* out) {
  QuantizeTensor<Uint16Range>(in, n, scale, zp, out);
}
void QuantizeI4(const float* in, size_t n, float scale, int64_t zp, int8_t* out) {
  QuantizeTensor<Int4Range>(in, n, scale, zp, out);
}
void QuantizeU4(const float* in, size_t n, float scale, int64_t zp, uint8_t* out) {
  QuantizeTensor<Uint4Range>(in, n, scale, zp, out);
}

void QuantizeAxisI8(const float* in, size_t outer, size_t channels, size_t inner,
                    const ChannelParams& params, int8_t* out) {
  QuantizeAxis<Int8Range>(in, outer, channels, inner, params, out);
}
void QuantizeAxisU8(const float* in, size_t outer, size_t channels, size_t inner,
                    const ChannelParams& params, uint8_t* out) {
  QuantizeAxis<Uint8Range>(in, outer, channels, inner, params, out);
}
void QuantizeAxisI16(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, int16_t* out) {
  QuantizeAxis<Int16Range>(in, outer, channels, inner, params, out);
}
void QuantizeAxisU16(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, uint16_t* out) {
  QuantizeAxis<Uint16Range>(in, outer, channels, inner, params, out);
}
void QuantizeAxisI4(const float* in, size_t outer, size_t channels, size_t inner,
                    const ChannelParams& params, int8_t* out) {
  QuantizeAxis<Int4Range>(in, outer, channels, inner, params, out);
}
void QuantizeAxisU4(const float* in, size_t outer, size_t channels, size_t inner,
                    const ChannelParams& params, uint8_t* out) {
  QuantizeAxis<Uint4Range>(in, outer, channels, inner, params, out);
}

void QuantizeBlocksI8(const float* in, size_t outer, size_t axis_len, size_t inner,
                      const BlockedParams& params, int8_t* out) {
  QuantizeBlocks<Int8Range>(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocksU8(const float* in, size_t outer, size_t axis_len, size_t inner,
                      const BlockedParams& params, uint8_t* out) {
  QuantizeBlocks<Uint8Range>(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocksI16(const float* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, int16_t* out) {
  QuantizeBlocks<Int16Range>(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocksU16(const float* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, uint16_t* out) {
  QuantizeBlocks<Uint16Range>(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocksI4(const float* in, size_t outer, size_t axis_len, size_t inner,
                      const BlockedParams& params, int8_t* out) {
  QuantizeBlocks<Int4Range>(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocksU4(const float* in, size_t outer, size_t axis_len, size_t inner,
                      const BlockedParams& params, uint8_t* out) {
  QuantizeBlocks<Uint4Range>(in, outer, axis_len, inner, params, out);
}

void DequantizeBlocksI8(const int8_t* in, size_t outer, size_t axis_len, size_t inner,
                        const BlockedParams& params, float* out) {
  DequantizeBlocks(in, outer, axis_len, inner, params, out);
}
void DequantizeBlocksU8(const uint8_t* in, size_t outer, size_t axis_len, size_t inner,
                        const BlockedParams& params, float* out) {
  DequantizeBlocks(in, outer, axis_len, inner, params, out);
}
void DequantizeBlocksI16(const int16_t* in, size_t outer, size_t axis_len, size_t inner,
                         const BlockedParams& params, float* out) {
  DequantizeBlocks(in, outer, axis_len, inner, params, out);
}
void DequantizeBlocksU16(const uint16_t* in, size_t outer, size_t axis_len, size_t inner,
                         const BlockedParams& params, float* out) {
  DequantizeBlocks(in, outer, axis_len, inner, params, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels::onnx
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels::onnx {

HWY_EXPORT(QuantizeI8);
HWY_EXPORT(QuantizeU8);
HWY_EXPORT(QuantizeI16);
HWY_EXPORT(QuantizeU16);
HWY_EXPORT(QuantizeI4);
HWY_EXPORT(QuantizeU4);
HWY_EXPORT(QuantizeAxisI8);
HWY_EXPORT(QuantizeAxisU8);
HWY_EXPORT(QuantizeAxisI16);
HWY_EXPORT(QuantizeAxisU16);
HWY_EXPORT(QuantizeAxisI4);
HWY_EXPORT(QuantizeAxisU4);
HWY_EXPORT(QuantizeBlocksI8);
HWY_EXPORT(QuantizeBlocksU8);
HWY_EXPORT(QuantizeBlocksI16);
HWY_EXPORT(QuantizeBlocksU16);
HWY_EXPORT(QuantizeBlocksI4);
HWY_EXPORT(QuantizeBlocksU4);
HWY_EXPORT(DequantizeBlocksI8);
HWY_EXPORT(DequantizeBlocksU8);
HWY_EXPORT(DequantizeBlocksI16);
HWY_EXPORT(DequantizeBlocksU16);

void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeI8)(in, n, scale, zero_point, out);
}
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeU8)(in, n, scale, zero_point, out);
}
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, int16_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeI16)(in, n, scale, zero_point, out);
}
void QuantizePerTensor(const float* in, size_t n, float scale, int64_t zero_point, uint16_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeU16)(in, n, scale, zero_point, out);
}
void QuantizePerTensor4Bit(const float* in, size_t n, float scale, int64_t zero_point,
                           int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeI4)(in, n, scale, zero_point, out);
}
void QuantizePerTensor4Bit(const float* in, size_t n, float scale, int64_t zero_point,
                           uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeU4)(in, n, scale, zero_point, out);
}

void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeAxisI8)(in, outer, channels, inner, params, out);
}
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeAxisU8)(in, outer, channels, inner, params, out);
}
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, int16_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeAxisI16)(in, outer, channels, inner, params, out);
}
void QuantizePerAxis(const float* in, size_t outer, size_t channels, size_t inner,
                     const ChannelParams& params, uint16_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeAxisU16)(in, outer, channels, inner, params, out);
}
void QuantizePerAxis4Bit(const float* in, size_t outer, size_t channels, size_t inner,
                         const ChannelParams& params, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeAxisI4)(in, outer, channels, inner, params, out);
}
void QuantizePerAxis4Bit(const float* in, size_t outer, size_t channels, size_t inner,
                         const ChannelParams& params, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeAxisU4)(in, outer, channels, inner, params, out);
}

void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeBlocksI8)(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeBlocksU8)(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, int16_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeBlocksI16)(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocked(const float* in, size_t outer, size_t axis_len, size_t inner,
                     const BlockedParams& params, uint16_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeBlocksU16)(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocked4Bit(const float* in, size_t outer, size_t axis_len, size_t inner,
                         const BlockedParams& params, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeBlocksI4)(in, outer, axis_len, inner, params, out);
}
void QuantizeBlocked4Bit(const float* in, size_t outer, size_t axis_len, size_t inner,
                         const BlockedParams& params, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(QuantizeBlocksU4)(in, outer, axis_len, inner, params, out);
}

void DequantizeBlocked(const int8_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeBlocksI8)(in, outer, axis_len, inner, params, out);
}
void DequantizeBlocked(const uint8_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeBlocksU8)(in, outer, axis_len, inner, params, out);
}
void DequantizeBlocked(const int16_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeBlocksI16)(in, outer, axis_len, inner, params, out);
}
void DequantizeBlocked(const uint16_t* in, size_t outer, size_t axis_len, size_t inner,
                       const BlockedParams& params, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeBlocksU16)(in, outer, axis_len, inner, params, out);
}

}  // namespace qtensor::kernels::onnx
#endif  // HWY_ONCE
