// Per-block row kernels (block_row_kernels.h) in Google Highway 1.0.3: each
// block's whole vectors in SIMD code with its parameters broadcast, the rest
// of a block through the scalar formula.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/block_row_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/block_row_kernels.h"
#include "kernels/nibble_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// How far ahead of the loads to prefetch: 16 KiB (measured: 8 KiB and
// 32 KiB were slower).
constexpr size_t kPrefetchFloats = 4096;

using DF = hn::ScalableTag<float>;
using DI = hn::Rebind<int32_t, DF>;
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;

// One block's parameters as vectors.
struct BlockQuantize {
  BlockQuantize(float inv_scale, int32_t zp, int32_t qmin, int32_t qmax)
      : inv(hn::Set(DF(), inv_scale)),
        lo(hn::Set(DI(), qmin - zp)),
        hi(hn::Set(DI(), qmax - zp)),
        z(hn::Set(DI(), zp)) {}
  VF inv;
  VI lo, hi, z;
};

// The quantized values of a vector of floats at x, as int32 lanes.
HWY_INLINE VI QuantizeLanes(const float* x, const BlockQuantize& p) {
  // Blocks are short: the hardware prefetcher alone left the loads waiting
  // on memory for half the time.
  hwy::Prefetch(x + kPrefetchFloats);
  const VF v = hn::Mul(hn::LoadU(DF(), x), p.inv);
  // NearestInt saturates; clamping before adding zp cannot overflow, and a
  // NaN lane becomes 0, so zp.
  const VI q = hn::Min(hn::Max(hn::NearestInt(v), p.lo), p.hi);
  return hn::Add(hn::IfThenElseZero(hn::RebindMask(DI(), hn::Eq(v, v)), q), p.z);
}

HWY_INLINE VF DequantizeLanes(VI q, VI z, VF scale) {
  return hn::Mul(hn::ConvertTo(DF(), hn::Sub(q, z)), scale);
}

template <typename T>
void QuantizeBytes(const float* in, const BlockRows& b, const float* inv_scales,
                   const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  const hn::Rebind<T, DF> d8;
  const size_t lanes = hn::Lanes(DF());
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    const BlockQuantize params(inv_scales[p], zero_points[p], qmin, qmax);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      const VI q = QuantizeLanes(in + first + i, params);
      hn::StoreU(hn::DemoteTo(d8, q), d8, reinterpret_cast<T*>(out + first + i));
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    scalar::QuantizeBlockRows(in + first + i, rest, inv_scales + p, zero_points + p, qmin, qmax,
                              out + first + i);
  });
}

template <typename T>
void DequantizeBytes(const uint8_t* in, const BlockRows& b, const float* scales,
                     const int32_t* zero_points, float* out) {
  const hn::Rebind<T, DF> d8;
  const size_t lanes = hn::Lanes(DF());
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    const VF scale = hn::Set(DF(), scales[p]);
    const VI z = hn::Set(DI(), zero_points[p]);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      const VI q = hn::PromoteTo(DI(), hn::LoadU(d8, reinterpret_cast<const T*>(in + first + i)));
      hn::StoreU(DequantizeLanes(q, z, scale), DF(), out + first + i);
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    scalar::DequantizeBlockRows(in + first + i, std::is_signed_v<T>, rest, scales + p,
                                zero_points + p, out + first + i);
  });
}

#if HWY_TARGET == HWY_SCALAR
void QuantizeNibbles(const float* in, const BlockRows& b, const float* inv_scales,
                     const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* packed) {
  scalar::QuantizeNibbleBlockRows(in, b, inv_scales, zero_points, qmin, qmax, packed);
}
void DequantizeNibbles(const uint8_t* packed, bool is_signed, const BlockRows& b,
                       const float* scales, const int32_t* zero_points, float* out) {
  scalar::DequantizeNibbleBlockRows(packed, is_signed, b, scales, zero_points, out);
}
#else
// A vector's worth of values as bytes (D8), their pairs as 16-bit lanes
// (D16: value 2k in the low byte of lane k), and the packed bytes of those
// pairs (DP, half the lanes).
using D8 = hn::Rebind<uint8_t, DF>;
using D16 = hn::Repartition<int16_t, D8>;
using DP = hn::Rebind<uint8_t, D16>;

// Values whose blocks start at even positions, packed two a byte: each
// vector of quantized values becomes half a vector of bytes. Block tails go
// through the scalar kernels.
void QuantizeNibbles(const float* in, const BlockRows& b, const float* inv_scales,
                     const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* packed) {
  const size_t lanes = hn::Lanes(DF());
  const auto low = hn::Set(D16(), 0x000f), high = hn::Set(D16(), 0x00f0);
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    const BlockQuantize params(inv_scales[p], zero_points[p], qmin, qmax);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      // The low 8 bits of each value (two's complement for int4), then
      // value 2k | value 2k+1 << 4 from each pair's 16 bits.
      const VI q = hn::And(QuantizeLanes(in + first + i, params), hn::Set(DI(), 0xff));
      const auto pairs = hn::BitCast(D16(), hn::DemoteTo(D8(), q));
      const auto nibbles = hn::Or(hn::And(pairs, low), hn::And(hn::ShiftRight<4>(pairs), high));
      hn::StoreU(hn::DemoteTo(DP(), nibbles), DP(), packed + (first + i) / 2);
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    uint8_t values[hn::MaxLanes(DF())];
    scalar::QuantizeBlockRows(in + first + i, rest, inv_scales + p, zero_points + p, qmin, qmax,
                              values);
    scalar::PackNibbles(values, rest.size / 2, packed + (first + i) / 2);
  });
}

void DequantizeNibbles(const uint8_t* packed, bool is_signed, const BlockRows& b,
                       const float* scales, const int32_t* zero_points, float* out) {
  const size_t lanes = hn::Lanes(DF());
  const auto low = hn::Set(D16(), 0x000f), high = hn::Set(D16(), 0x00f0);
  // An int4 nibble n is (n ^ 8) - 8.
  const VI sign = hn::Set(DI(), is_signed ? 8 : 0);
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    const VF scale = hn::Set(DF(), scales[p]);
    const VI z = hn::Set(DI(), zero_points[p]);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      // Each packed byte's nibbles as the two bytes of a 16-bit lane.
      const auto pairs = hn::PromoteTo(D16(), hn::LoadU(DP(), packed + (first + i) / 2));
      const auto nibbles = hn::Or(hn::And(pairs, low), hn::ShiftLeft<4>(hn::And(pairs, high)));
      const VI n = hn::PromoteTo(DI(), hn::BitCast(D8(), nibbles));
      const VI q = hn::Sub(hn::Xor(n, sign), sign);
      hn::StoreU(DequantizeLanes(q, z, scale), DF(), out + first + i);
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    uint8_t values[hn::MaxLanes(DF())];
    scalar::UnpackNibbles(packed + (first + i) / 2, rest.size / 2, is_signed, values);
    scalar::DequantizeBlockRows(values, is_signed, rest, scales + p, zero_points + p,
                                out + first + i);
  });
}
#endif  // HWY_TARGET == HWY_SCALAR

void Quantize(const float* in, const BlockRows& b, const float* inv_scales,
              const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  if (qmin < 0) {
    QuantizeBytes<int8_t>(in, b, inv_scales, zero_points, qmin, qmax, out);
  } else {
    QuantizeBytes<uint8_t>(in, b, inv_scales, zero_points, qmin, qmax, out);
  }
}

void Dequantize(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                const int32_t* zero_points, float* out) {
  if (is_signed) {
    DequantizeBytes<int8_t>(in, b, scales, zero_points, out);
  } else {
    DequantizeBytes<uint8_t>(in, b, scales, zero_points, out);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Quantize);
HWY_EXPORT(Dequantize);
HWY_EXPORT(QuantizeNibbles);
HWY_EXPORT(DequantizeNibbles);

void QuantizeNibbleBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                             const int32_t* zero_points, int32_t qmin, int32_t qmax,
                             uint8_t* packed) {
  HWY_DYNAMIC_DISPATCH(QuantizeNibbles)(in, b, inv_scales, zero_points, qmin, qmax, packed);
}

void DequantizeNibbleBlockRows(const uint8_t* packed, bool is_signed, const BlockRows& b,
                               const float* scales, const int32_t* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeNibbles)(packed, is_signed, b, scales, zero_points, out);
}

void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Quantize)(in, b, inv_scales, zero_points, qmin, qmax, out);
}

void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(Dequantize)(in, is_signed, b, scales, zero_points, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
