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
#include "kernels/gguf_block_kernels.h"
#include "kernels/nibble_kernels.h"
#include "src/kernels/kernel_loops-inl.h"  // StoreVector, WithStreamedStores

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

// 1.5 * 2^23: adding it to a float of magnitude below 2^22 rounds that float
// to an integer (half to even, the FPU's mode) held in the sum's low mantissa
// bits, where the bias itself has 22 zero bits.
constexpr float kRoundingBias = 12582912.0f;

// One block's quantize as vectors, by the rounding's rule
// (block_row_kernels.h) with the block's factor and zero point. Lanes(x)
// gives the quantized values of the vector of floats at x in the low bits of
// int32 lanes: the low 8 bits are each value's byte (two's complement when
// signed), the bits above are not part of it.
//
// PyTorch's and ONNX's: clamping to the integer bounds qmin - zp .. qmax - zp
// before rounding gives what clamping after does, and the clamped value is
// within the bias's exact range; zp is added to the integer bits.
template <NibbleRounding kRounding>
struct BlockQuantize {
  BlockQuantize(float block_factor, int32_t zp, int32_t qmin, int32_t qmax)
      : factor(hn::Set(DF(), block_factor)),
        lo(hn::Set(DF(), static_cast<float>(qmin - zp))),
        hi(hn::Set(DF(), static_cast<float>(qmax - zp))),
        bias(hn::Set(DF(), kRoundingBias)),
        // NaN gives zp (PyTorch) or qmin (ONNX).
        nan(hn::Set(
            DF(), kRoundingBias +
                      (kRounding == NibbleRounding::kOnnx ? static_cast<float>(qmin - zp) : 0.0f))),
        z(hn::Set(DI(), zp)) {}

  HWY_INLINE VI Lanes(const float* x) const {
    // Blocks are short: the hardware prefetcher alone left the loads waiting
    // on memory for half the time.
    hwy::Prefetch(x + kPrefetchFloats);
    const VF in = hn::LoadU(DF(), x);
    const VF v = kRounding == NibbleRounding::kOnnx ? hn::Div(in, factor) : hn::Mul(in, factor);
    const VF rounded = hn::Add(hn::Min(hn::Max(v, lo), hi), bias);
    return hn::Add(hn::BitCast(DI(), hn::IfThenElse(hn::Eq(v, v), rounded, nan)), z);
  }

  VF factor, lo, hi, bias, nan;
  VI z;
};

// GGUF's Q4_0 with the block's scale d: v = x * id + 8.5f (two roundings);
// its truncation where 0 < v < 15 is its floor; 15 from 15 on; 0 at or
// below 0 and for NaN.
template <>
struct BlockQuantize<NibbleRounding::kGgufQ4_0> {
  BlockQuantize(float d, int32_t /*zp*/, int32_t /*qmin*/, int32_t /*qmax*/)
      : id(hn::Set(DF(), scalar::GgufInverseScale(d))) {}

  HWY_INLINE VI Lanes(const float* x) const {
    const DF df;
    hwy::Prefetch(x + kPrefetchFloats);
    const VF v = hn::Add(hn::Mul(hn::LoadU(df, x), id), hn::Set(df, 8.5f));
    const VF positive = hn::IfThenElseZero(hn::Gt(v, hn::Zero(df)), v);
    const VF q = hn::Floor(hn::Min(positive, hn::Set(df, 15.0f)));
    return hn::BitCast(DI(), hn::Add(q, hn::Set(df, kRoundingBias)));
  }

  VF id;
};

HWY_INLINE VF DequantizeLanes(VI q, VI z, VF scale) {
  return hn::Mul(hn::ConvertTo(DF(), hn::Sub(q, z)), scale);
}

// Whether every whole vector a dequantize of b writes from out can be
// streamed: asked for, and each block's vectors aligned (out aligned, rows
// and blocks whole vectors long).
bool StreamsFloats(bool stream, const BlockRows& b, const float* out) {
  const size_t lanes = hn::Lanes(DF());
  return stream && reinterpret_cast<uintptr_t>(out) % (lanes * sizeof(float)) == 0 &&
         b.size % lanes == 0 && b.block_size % lanes == 0;
}

void QuantizeBytes(const float* in, const BlockRows& b, const float* inv_scales,
                   const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  const hn::Rebind<uint8_t, DF> d8;
  const VI low_byte = hn::Set(DI(), 0xff);
  const size_t lanes = hn::Lanes(DF());
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    const BlockQuantize<NibbleRounding::kPyTorch> params(inv_scales[p], zero_points[p], qmin, qmax);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      const VI q = params.Lanes(in + first + i);
      // Not TruncateTo: Highway 1.0.3's from 32-bit lanes on AVX3_DL permutes
      // whole lanes instead of bytes.
      hn::StoreU(hn::DemoteTo(d8, hn::And(q, low_byte)), d8, out + first + i);
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    scalar::QuantizeBlockRows(in + first + i, rest, inv_scales + p, zero_points + p, qmin, qmax,
                              out + first + i);
  });
}

// Dequantize of block rows: each block's whole vectors from load(at) (the
// int32 values of the vector starting at element at), the rest of a block
// through tail(at, count, p).
template <class Load, class Tail>
HWY_INLINE void DequantizeRows(const BlockRows& b, const float* scales, const int32_t* zero_points,
                               bool stream, float* out, const Load& load, const Tail& tail) {
  const size_t lanes = hn::Lanes(DF());
  WithStreamedStores(StreamsFloats(stream, b, out), [&](auto streamed) {
    ForEachRowBlock(b, [&](const Block& block) {
      const size_t first = block.first, count = block.count, p = block.param;
      const VF scale = hn::Set(DF(), scales[p]);
      const VI z = hn::Set(DI(), zero_points[p]);
      size_t i = 0;
      for (; i + lanes <= count; i += lanes) {
        StoreVector<decltype(streamed)::value>(DequantizeLanes(load(first + i), z, scale), DF(),
                                               out + first + i);
      }
      if (i < count) tail(first + i, count - i, p);
    });
  });
}

template <typename T>
void DequantizeBytes(const uint8_t* in, const BlockRows& b, const float* scales,
                     const int32_t* zero_points, bool stream, float* out) {
  const hn::Rebind<T, DF> d8;
  DequantizeRows(
      b, scales, zero_points, stream, out,
      [&](size_t at) {
        return hn::PromoteTo(DI(), hn::LoadU(d8, reinterpret_cast<const T*>(in + at)));
      },
      [&](size_t at, size_t count, size_t p) {
        scalar::DequantizeBlockRows(in + at, std::is_signed_v<T>, {1, count, count}, scales + p,
                                    zero_points + p, out + at);
      });
}

#if HWY_TARGET == HWY_SCALAR
void QuantizeNibbles(NibbleRounding rounding, const float* in, const BlockRows& b,
                     const float* factors, const int32_t* zero_points, int32_t qmin, int32_t qmax,
                     uint8_t* packed) {
  scalar::QuantizeNibbleBlockRows(rounding, in, b, factors, zero_points, qmin, qmax, packed);
}
void DequantizeNibbles(const uint8_t* packed, bool is_signed, const BlockRows& b,
                       const float* scales, const int32_t* zero_points, bool /*stream*/,
                       float* out) {
  scalar::DequantizeNibbleBlockRows(packed, is_signed, b, scales, zero_points, out);
}
#else
// A vector's worth of values as bytes (D8), their pairs as 16-bit lanes
// (D16: value 2k in the low byte of lane k), and the packed bytes of those
// pairs (DP, half the lanes); for quantize, the pairs of int32 lanes as
// 64-bit lanes (D64).
using D8 = hn::Rebind<uint8_t, DF>;
using D16 = hn::Repartition<int16_t, D8>;
using DP = hn::Rebind<uint8_t, D16>;
using D64 = hn::Repartition<uint64_t, DF>;

// Values whose blocks start at even positions, packed two a byte: each
// vector of quantized values becomes half a vector of bytes. Block tails go
// through the scalar kernel.
template <NibbleRounding kRounding>
void QuantizeNibbleRows(const float* in, const BlockRows& b, const float* factors,
                        const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* packed) {
  const size_t lanes = hn::Lanes(DF());
  const VI nibble = hn::Set(DI(), 0xf);
  const hn::Rebind<uint8_t, D64> dp;
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    const BlockQuantize<kRounding> params(factors[p], zero_points[p], qmin, qmax);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      // Each value's low 4 bits (two's complement for int4); a pair's 64
      // bits then hold value 2k | value 2k+1 << 4 in their low byte.
      const auto pairs = hn::BitCast(D64(), hn::And(params.Lanes(in + first + i), nibble));
      const auto bytes = hn::Or(pairs, hn::ShiftRight<28>(pairs));
      hn::StoreU(hn::TruncateTo(dp, bytes), dp, packed + (first + i) / 2);
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    scalar::QuantizeNibbleBlockRows(kRounding, in + first + i, rest, factors + p, zero_points + p,
                                    qmin, qmax, packed + (first + i) / 2);
  });
}

void QuantizeNibbles(NibbleRounding rounding, const float* in, const BlockRows& b,
                     const float* factors, const int32_t* zero_points, int32_t qmin, int32_t qmax,
                     uint8_t* packed) {
  switch (rounding) {
    case NibbleRounding::kPyTorch:
      return QuantizeNibbleRows<NibbleRounding::kPyTorch>(in, b, factors, zero_points, qmin, qmax,
                                                          packed);
    case NibbleRounding::kOnnx:
      return QuantizeNibbleRows<NibbleRounding::kOnnx>(in, b, factors, zero_points, qmin, qmax,
                                                       packed);
    case NibbleRounding::kGgufQ4_0:
      return QuantizeNibbleRows<NibbleRounding::kGgufQ4_0>(in, b, factors, zero_points, qmin, qmax,
                                                           packed);
  }
}

void DequantizeNibbles(const uint8_t* packed, bool is_signed, const BlockRows& b,
                       const float* scales, const int32_t* zero_points, bool stream, float* out) {
  const auto low = hn::Set(D16(), 0x000f), high = hn::Set(D16(), 0x00f0);
  // An int4 nibble n is (n ^ 8) - 8.
  const VI sign = hn::Set(DI(), is_signed ? 8 : 0);
  DequantizeRows(
      b, scales, zero_points, stream, out,
      [&](size_t at) {
        // Each packed byte's nibbles as the two bytes of a 16-bit lane.
        const auto pairs = hn::PromoteTo(D16(), hn::LoadU(DP(), packed + at / 2));
        const auto nibbles = hn::Or(hn::And(pairs, low), hn::ShiftLeft<4>(hn::And(pairs, high)));
        const VI n = hn::PromoteTo(DI(), hn::BitCast(D8(), nibbles));
        return hn::Sub(hn::Xor(n, sign), sign);
      },
      [&](size_t at, size_t count, size_t p) {
        uint8_t values[hn::MaxLanes(DF())];
        scalar::UnpackNibbles(packed + at / 2, count / 2, is_signed, values);
        scalar::DequantizeBlockRows(values, is_signed, {1, count, count}, scales + p,
                                    zero_points + p, out + at);
      });
}
#endif  // HWY_TARGET == HWY_SCALAR

void Quantize(const float* in, const BlockRows& b, const float* inv_scales,
              const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  QuantizeBytes(in, b, inv_scales, zero_points, qmin, qmax, out);
}

void Dequantize(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                const int32_t* zero_points, bool stream, float* out) {
  if (is_signed) {
    DequantizeBytes<int8_t>(in, b, scales, zero_points, stream, out);
  } else {
    DequantizeBytes<uint8_t>(in, b, scales, zero_points, stream, out);
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

void QuantizeNibbleBlockRows(NibbleRounding rounding, const float* in, const BlockRows& b,
                             const float* factors, const int32_t* zero_points, int32_t qmin,
                             int32_t qmax, uint8_t* packed) {
  HWY_DYNAMIC_DISPATCH(QuantizeNibbles)(rounding, in, b, factors, zero_points, qmin, qmax, packed);
}

void DequantizeNibbleBlockRows(const uint8_t* packed, bool is_signed, const BlockRows& b,
                               const float* scales, const int32_t* zero_points, bool stream,
                               float* out) {
  HWY_DYNAMIC_DISPATCH(DequantizeNibbles)(packed, is_signed, b, scales, zero_points, stream, out);
}

void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Quantize)(in, b, inv_scales, zero_points, qmin, qmax, out);
}

void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, bool stream, float* out) {
  HWY_DYNAMIC_DISPATCH(Dequantize)(in, is_signed, b, scales, zero_points, stream, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
