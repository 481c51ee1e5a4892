// GGUF's Q8_0 and Q4_0 blocks (gguf_block_kernels.h) in Google Highway
// 1.0.3, compiled once per target and dispatched at run time. A block of 32
// floats is 32 / N vectors; its scale is found with one reduction, then
// computed in scalar code exactly as the scalar kernels do. A Q8_0 block
// holding a NaN goes to the scalar kernel: there ggml's MAX depends on where
// the NaN is, which a reduction cannot see.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/gguf_block_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"
#include "kernels/quantize_kernels.h"      // kStreamBytes
#include "src/kernels/kernel_loops-inl.h"  // StoreVector, WithStreamedStores

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
void Q8_0(const float* in, size_t n, uint8_t* out) { scalar::QuantizeQ8_0(in, n, out); }
void Q4_0(const float* in, size_t n, uint8_t* out) { scalar::QuantizeQ4_0(in, n, out); }
void FromQ8_0(const uint8_t* in, size_t n, float* out) { scalar::DequantizeQ8_0(in, n, out); }
void FromQ4_0(const uint8_t* in, size_t n, float* out) { scalar::DequantizeQ4_0(in, n, out); }
#else

// At most 16 lanes, so that half a block is whole vectors.
using DF = hn::CappedTag<float, 16>;
using DI = hn::Rebind<int32_t, DF>;
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;

// scalar::X86FloatToInt8 of each lane (truncated toward zero by ConvertTo),
// sign-extended to int32: out-of-range and NaN lanes (INT32_MIN on x86,
// whose low byte is 0) give 0.
HWY_INLINE VI ToInt8Lanes(VF v) {
  const DF df;
  const DI di;
  const auto in_range = hn::And(hn::Ge(v, hn::Set(df, -0x1p31f)), hn::Lt(v, hn::Set(df, 0x1p31f)));
  const VI i = hn::ConvertTo(di, hn::IfThenElseZero(in_range, v));
  return hn::ShiftRight<24>(hn::ShiftLeft<24>(hn::IfThenElseZero(hn::RebindMask(di, in_range), i)));
}

// roundf: half away from zero. v - trunc(v) is exact.
HWY_INLINE VF RoundHalfAway(VF v) {
  const DF df;
  const VF t = hn::Trunc(v);
  const auto up = hn::Ge(hn::Abs(hn::Sub(v, t)), hn::Set(df, 0.5f));
  return hn::Add(t, hn::IfThenElseZero(up, hn::CopySign(hn::Set(df, 1.0f), v)));
}

void Q8_0(const float* in, size_t n, uint8_t* out) {
  const DF df;
  const hn::Rebind<int8_t, DF> d8;
  const size_t N = hn::Lanes(df);
  for (size_t b = 0; b < n / kGgufBlock; ++b, out += kQ8_0BlockBytes) {
    const float* x = in + b * kGgufBlock;
    VF amax = hn::Zero(df);
    VF nan = hn::Zero(df);
    for (size_t k = 0; k < kGgufBlock; k += N) {
      const VF v = hn::LoadU(df, x + k);
      amax = hn::Max(amax, hn::Abs(v));
      nan = hn::Or(nan, hn::VecFromMask(df, hn::IsNaN(v)));
    }
    if (!hn::AllFalse(df, hn::MaskFromVec(nan))) {
      scalar::QuantizeQ8_0(x, kGgufBlock, out);
      continue;
    }
    const float d = hn::GetLane(hn::MaxOfLanes(df, amax)) / 127.0f;
    const float id = scalar::GgufInverseScale(d);
    StoreHalf(d, out);
    const VF vid = hn::Set(df, id);
    for (size_t k = 0; k < kGgufBlock; k += N) {
      const VI q = ToInt8Lanes(RoundHalfAway(hn::Mul(hn::LoadU(df, x + k), vid)));
      hn::StoreU(hn::DemoteTo(d8, q), d8, reinterpret_cast<int8_t*>(out + 2 + k));
    }
  }
}

// min(15, I8(x * id + 8.5f)) as int32 lanes.
HWY_INLINE VI Q4Lanes(const float* x, VF id) {
  const DF df;
  const DI di;
  const VF t = hn::Add(hn::Mul(hn::LoadU(df, x), id), hn::Set(df, 8.5f));
  return hn::Min(ToInt8Lanes(t), hn::Set(di, 15));
}

// Below this largest magnitude d = max / -8 is subnormal, inexact, and its
// inverse can take x * id far out of the block's range.
constexpr float kLeastOrdinaryMax = 0x1p-123f;

// A Q4_0 block of 16-lane halves whose values are finite and whose largest
// magnitude is 0 or at least kLeastOrdinaryMax: every x * id lies within
// [-8, 8] up to two roundings (id = 1 / d to half an ulp), so
// v = x * id + 8.5f lies in [0, 17), where I8 is the truncation, its floor.
// Its d, or false for any other block.
HWY_INLINE bool OrdinaryQ4_0Scale(const float* x, float* d) {
  const DF df;
  // 16 KiB ahead (a block is two cache lines): the chain from a block's
  // values to its scale keeps few loads in flight.
  hwy::Prefetch(x + 4096);
  hwy::Prefetch(x + 4096 + 16);
  const VF lo = hn::LoadU(df, x), hi = hn::LoadU(df, x + 16);
  if (!hn::AllFalse(df, hn::Or(hn::IsNaN(lo), hn::IsNaN(hi)))) return false;
  const VF top = hn::MaxOfLanes(df, hn::Max(hn::Abs(lo), hn::Abs(hi)));
  const float amax = hn::GetLane(top);
  if (!(amax < std::numeric_limits<float>::infinity()) ||
      (amax != 0.0f && amax < kLeastOrdinaryMax)) {
    return false;
  }
  // The first element of largest magnitude, with its sign (+0 if none is
  // above 0). No branch: which half holds it is a coin toss on real data.
  // Each half's mask bits read back at the size they were stored (a wider
  // load of both would wait for the stores to retire).
  uint8_t bits_lo[8], bits_hi[8];
  hn::StoreMaskBits(df, hn::Eq(hn::Abs(lo), top), bits_lo);
  hn::StoreMaskBits(df, hn::Eq(hn::Abs(hi), top), bits_hi);
  uint16_t found_lo, found_hi;
  std::memcpy(&found_lo, bits_lo, sizeof(found_lo));
  std::memcpy(&found_hi, bits_hi, sizeof(found_hi));
  const uint32_t found = found_lo | uint32_t{found_hi} << 16;  // never 0: some lane has top
  const int first = __builtin_ctz(found);
  uint32_t max_bits;
  std::memcpy(&max_bits, x + first, sizeof(max_bits));
  max_bits &= amax > 0.0f ? ~0u : 0u;
  float max;
  std::memcpy(&max, &max_bits, sizeof(max));
  *d = max / -8.0f;
  return true;
}

// The values of an ordinary block with its d: min(15, floor(v)) plus 1.5 *
// 2^23 (which rounds nothing here) leaves each value in the low 4 bits of
// the sum's bits, no range checks needed.
HWY_INLINE void OrdinaryQ4_0Values(const float* x, float d, uint8_t* out) {
  const DF df;
  const DI di;
  const hn::Rebind<uint8_t, DF> d8;
  const VF id = hn::Set(df, scalar::GgufInverseScale(d));
  StoreHalf(d, out);
  const VF half = hn::Set(df, 8.5f), fifteen = hn::Set(df, 15.0f), bias = hn::Set(df, 0x1.8p23f);
  const auto low_bits = [&](VF v) {
    const VF q = hn::Min(hn::Floor(hn::Add(hn::Mul(v, id), half)), fifteen);
    return hn::BitCast(di, hn::Add(q, bias));
  };
  const VI bytes =
      hn::And(hn::Or(low_bits(hn::LoadU(df, x)), hn::ShiftLeft<4>(low_bits(hn::LoadU(df, x + 16)))),
              hn::Set(di, 0xff));
  hn::StoreU(hn::DemoteTo(d8, bytes), d8, out + 2);
}

// Q4_0 blocks of a 16-lane target, kGroup at a time: first every block's
// scale, then their values, so that the long chain from a block's values to
// its scale overlaps with the other blocks' instead of stalling the stores.
constexpr size_t kGroup = 16;

HWY_INLINE void Q4_0Groups(const float* in, size_t blocks, uint8_t* out) {
  for (size_t g = 0; g < blocks; g += kGroup) {
    const size_t count = std::min(kGroup, blocks - g);
    float d[kGroup];
    bool ordinary[kGroup];
    for (size_t k = 0; k < count; ++k) {
      ordinary[k] = OrdinaryQ4_0Scale(in + (g + k) * kGgufBlock, &d[k]);
    }
    for (size_t k = 0; k < count; ++k) {
      const float* x = in + (g + k) * kGgufBlock;
      uint8_t* block = out + (g + k) * kQ4_0BlockBytes;
      if (ordinary[k]) {
        OrdinaryQ4_0Values(x, d[k], block);
      } else {
        scalar::QuantizeQ4_0(x, kGgufBlock, block);
      }
    }
  }
}

void Q4_0(const float* in, size_t n, uint8_t* out) {
  const DF df;
  const DI di;
  const hn::Rebind<uint8_t, DF> d8;
  const size_t N = hn::Lanes(df);
  if (N == 16) return Q4_0Groups(in, n / kGgufBlock, out);
  for (size_t b = 0; b < n / kGgufBlock; ++b, out += kQ4_0BlockBytes) {
    const float* x = in + b * kGgufBlock;
    // The largest magnitude, NaN counting as 0 (it never wins), then the
    // first element that has it, with its sign.
    VF amax = hn::Zero(df);
    for (size_t k = 0; k < kGgufBlock; k += N) {
      const VF v = hn::LoadU(df, x + k);
      amax = hn::Max(amax, hn::IfThenZeroElse(hn::IsNaN(v), hn::Abs(v)));
    }
    const VF top = hn::MaxOfLanes(df, amax);
    float max = 0.0f;
    if (hn::GetLane(top) > 0.0f) {
      for (size_t k = 0; k < kGgufBlock; k += N) {
        const intptr_t first = hn::FindFirstTrue(df, hn::Eq(hn::Abs(hn::LoadU(df, x + k)), top));
        if (first >= 0) {
          max = x[k + static_cast<size_t>(first)];
          break;
        }
      }
    }
    const float d = max / -8.0f;
    const float id = scalar::GgufInverseScale(d);
    StoreHalf(d, out);
    const VF vid = hn::Set(df, id);
    for (size_t k = 0; k < kGgufBlock / 2; k += N) {
      const VI lo = hn::And(Q4Lanes(x + k, vid), hn::Set(di, 0xff));
      const VI hi = hn::And(hn::ShiftLeft<4>(Q4Lanes(x + k + 16, vid)), hn::Set(di, 0xf0));
      hn::StoreU(hn::DemoteTo(d8, hn::Or(lo, hi)), d8, out + 2 + k);
    }
  }
}

// Whether a dequantize of n values into out streams its floats: kStreamBytes
// or more, out aligned to the vectors (blocks are whole vectors, so every
// store is then aligned). Non-temporal stores skip reading each destination
// line first.
bool StreamsFloats(size_t n, const float* out) {
  return n * sizeof(float) >= kStreamBytes &&
         reinterpret_cast<uintptr_t>(out) % (hn::Lanes(DF()) * sizeof(float)) == 0;
}

void FromQ8_0(const uint8_t* in, size_t n, float* out) {
  const DF df;
  const DI di;
  const hn::Rebind<int8_t, DF> d8;
  const size_t N = hn::Lanes(df);
  WithStreamedStores(StreamsFloats(n, out), [&](auto streamed) {
    const uint8_t* block = in;
    for (size_t b = 0; b < n / kGgufBlock; ++b, block += kQ8_0BlockBytes) {
      const VF d = hn::Set(df, LoadHalf(block));
      const auto* q = reinterpret_cast<const int8_t*>(block + 2);
      for (size_t k = 0; k < kGgufBlock; k += N) {
        const VF v = hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(d8, q + k)));
        StoreVector<decltype(streamed)::value>(hn::Mul(v, d), DF(), out + b * kGgufBlock + k);
      }
    }
  });
}

void FromQ4_0(const uint8_t* in, size_t n, float* out) {
  const DF df;
  const DI di;
  const hn::Rebind<uint8_t, DF> d8;
  const size_t N = hn::Lanes(df);
  const VI eight = hn::Set(di, 8);
  WithStreamedStores(StreamsFloats(n, out), [&](auto streamed) {
    const uint8_t* block = in;
    for (size_t b = 0; b < n / kGgufBlock; ++b, block += kQ4_0BlockBytes) {
      const VF d = hn::Set(df, LoadHalf(block));
      float* y = out + b * kGgufBlock;
      for (size_t k = 0; k < kGgufBlock / 2; k += N) {
        const VI bytes = hn::PromoteTo(di, hn::LoadU(d8, block + 2 + k));
        const VI lo = hn::Sub(hn::And(bytes, hn::Set(di, 0x0f)), eight);
        const VI hi = hn::Sub(hn::ShiftRight<4>(bytes), eight);
        StoreVector<decltype(streamed)::value>(hn::Mul(hn::ConvertTo(df, lo), d), DF(), y + k);
        StoreVector<decltype(streamed)::value>(hn::Mul(hn::ConvertTo(df, hi), d), DF(), y + k + 16);
      }
    }
  });
}
#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Q8_0);
HWY_EXPORT(Q4_0);
HWY_EXPORT(FromQ8_0);
HWY_EXPORT(FromQ4_0);

void QuantizeQ8_0(const float* in, size_t n, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Q8_0)(in, n, out);
}
void QuantizeQ4_0(const float* in, size_t n, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Q4_0)(in, n, out);
}
void DequantizeQ8_0(const uint8_t* in, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(FromQ8_0)(in, n, out);
}
void DequantizeQ4_0(const uint8_t* in, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(FromQ4_0)(in, n, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
