// GGUF's Q4_0 quantize (gguf_block_kernels.h) on the AVX-512 targets, for
// gguf_block_kernels.cc: blocks sixteen at a time, their scales found
// together (one transposed reduction instead of sixteen), then their values
// without range checks where the block is ordinary; any other block by
// itself, and the scalar kernel where none of this holds.

// Per-target include guard, as Highway's -inl.h headers do.
#if defined(QTENSOR_KERNELS_Q4_0_GROUPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QTENSOR_KERNELS_Q4_0_GROUPS_INL_H_
#undef QTENSOR_KERNELS_Q4_0_GROUPS_INL_H_
#else
#define QTENSOR_KERNELS_Q4_0_GROUPS_INL_H_
#endif

#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include <cstdint>
#include <cstring>
#include <limits>

#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL

using D16F = hn::CappedTag<float, 16>;  // half a block
using V16F = hn::Vec<D16F>;
using D16I = hn::Rebind<int32_t, D16F>;

// Below this largest magnitude d = max / -8 is subnormal, inexact, and its
// inverse can take x * id far out of the block's range.
constexpr float kLeastOrdinaryMax = 0x1p-123f;

// A Q4_0 block of 16-lane halves whose values are finite and whose largest
// magnitude is 0 or at least kLeastOrdinaryMax: every x * id lies within
// [-8, 8] up to two roundings (id = 1 / d to half an ulp), so
// v = x * id + 8.5f lies in [0, 17), where I8 is the truncation, its floor.
// Its d, or false for any other block.
HWY_INLINE bool OrdinaryQ4_0Scale(const float* x, float* d) {
  const D16F df;
  const V16F lo = hn::LoadU(df, x), hi = hn::LoadU(df, x + 16);
  if (!hn::AllFalse(df, hn::Or(hn::IsNaN(lo), hn::IsNaN(hi)))) return false;
  const V16F top = hn::MaxOfLanes(df, hn::Max(hn::Abs(lo), hn::Abs(hi)));
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

// Q4_0 blocks kGroup at a time: first every block's scale, then their
// values, so that the long chain from a block's values to its scale overlaps
// with the other blocks' instead of stalling the stores.
constexpr size_t kGroup = 16;

// The largest lane of each of 16 vectors at once, max(v[k]) landing in lane
// 4 * (k % 4) + k / 4: four rounds (halves, quarters, pairs, lanes) of two
// shuffles and a maximum, 45 instructions where 16 separate reductions take
// about 130. Overwrites v.
HWY_INLINE __m512 MaxOfEach16(__m512* v) {
  for (int i = 0; i < 8; ++i) {
    v[i] = _mm512_max_ps(_mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0x44),
                         _mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0xEE));
  }
  for (int i = 0; i < 4; ++i) {
    v[i] = _mm512_max_ps(_mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0x88),
                         _mm512_shuffle_f32x4(v[2 * i], v[2 * i + 1], 0xDD));
  }
  for (int i = 0; i < 2; ++i) {
    const __m512d a = _mm512_castps_pd(v[2 * i]), b = _mm512_castps_pd(v[2 * i + 1]);
    v[i] = _mm512_max_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(a, b)),
                         _mm512_castpd_ps(_mm512_unpackhi_pd(a, b)));
  }
  return _mm512_max_ps(_mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(2, 0, 2, 0)),
                       _mm512_shuffle_ps(v[0], v[1], _MM_SHUFFLE(3, 1, 3, 1)));
}

// A group's scales, in block order.
struct Q4_0Scales {
  alignas(64) float id[kGroup];
  alignas(64) int32_t ordinary[kGroup];
  alignas(32) uint16_t half[kGroup];
};

// How far ahead of the group's loads to prefetch: 6 KiB (measured: 2, 4, 8
// and 16 KiB were slower, none at all too).
constexpr size_t kQ4_0PrefetchFloats = 1536;

// The scales of 16 whole blocks at x, in block order: each block's id and
// d as float16 bits, and whether it is ordinary (OrdinaryQ4_0Scale's
// rule). The sign of a block's largest magnitude comes from its largest and
// its negated smallest value; where the two are equal (both signs reach it)
// the first one decides, and the block is left to OrdinaryQ4_0Scale. A NaN
// anywhere in the group (seen in a sum, which turns NaN also when +inf meets
// -inf) leaves them all.
HWY_INLINE void Q4_0Scales16(const float* x, Q4_0Scales* s) {
  const D16F df;
  const D16I di;
  __m512 largest[kGroup], negated[kGroup];
  V16F sum = hn::Zero(df);
  for (size_t k = 0; k < kGroup; ++k) {
    const float* block = x + k * kGgufBlock;
    hwy::Prefetch(block + kQ4_0PrefetchFloats);
    hwy::Prefetch(block + kQ4_0PrefetchFloats + 16);
    const V16F lo = hn::LoadU(df, block), hi = hn::LoadU(df, block + 16);
    largest[k] = hn::Max(lo, hi).raw;
    negated[k] = hn::Neg(hn::Min(lo, hi)).raw;
    sum = hn::Add(sum, hn::Add(lo, hi));
  }
  // Lane 4 * (k % 4) + k / 4 of the maxima back to lane k.
  alignas(64) static constexpr int32_t kLaneOfBlock[16] = {0, 4, 8,  12, 1, 5, 9,  13,
                                                           2, 6, 10, 14, 3, 7, 11, 15};
  const auto order = hn::SetTableIndices(df, kLaneOfBlock);
  const V16F top = hn::TableLookupLanes(V16F{MaxOfEach16(largest)}, order);
  const V16F bottom = hn::TableLookupLanes(V16F{MaxOfEach16(negated)}, order);
  const V16F zero = hn::Zero(df), amax = hn::Max(top, bottom);
  const auto nonzero = hn::Gt(amax, zero);
  const auto tie = hn::And(hn::Eq(top, bottom), nonzero);
  const auto in_range =
      hn::And(hn::Lt(amax, hn::Set(df, std::numeric_limits<float>::infinity())),
              hn::Or(hn::Not(nonzero), hn::Ge(amax, hn::Set(df, kLeastOrdinaryMax))));
  const bool any_nan = !hn::AllTrue(df, hn::Eq(sum, sum));
  const V16F max =
      hn::IfThenElseZero(nonzero, hn::IfThenElse(hn::Gt(top, bottom), top, hn::Neg(bottom)));
  // d and id = d != 0 ? 1 / d : 0 as the scalar kernel computes them; the
  // float16 conversion rounds to nearest even as FloatToHalfBits does.
  const V16F d = hn::Div(max, hn::Set(df, -8.0f));
  hn::Store(hn::IfThenElseZero(hn::Ne(d, zero), hn::Div(hn::Set(df, 1.0f), d)), df, s->id);
  const hn::Rebind<hwy::float16_t, D16F> dh;
  hn::Store(hn::DemoteTo(dh, d), dh, reinterpret_cast<hwy::float16_t*>(s->half));
  const auto good = hn::RebindMask(di, hn::AndNot(tie, in_range));
  hn::Store(hn::IfThenElseZero(good, hn::Set(di, any_nan ? 0 : 1)), di, s->ordinary);
}

// An ordinary block's values and its d as float16 bits: each v truncated
// toward zero (v >= 0 here, so no range checks) by one conversion, clamped to
// 15, paired and narrowed by vpmovdb.
HWY_INLINE void OrdinaryQ4_0Values(const float* x, float id, uint16_t half, uint8_t* out) {
  const __m512 vid = _mm512_set1_ps(id), offset = _mm512_set1_ps(8.5f);
  const __m512i fifteen = _mm512_set1_epi32(15);
  const auto values = [&](const float* p) {
    const __m512 v = _mm512_add_ps(_mm512_mul_ps(_mm512_loadu_ps(p), vid), offset);
    return _mm512_min_epi32(_mm512_cvttps_epi32(v), fifteen);
  };
  const __m512i pairs = _mm512_or_si512(values(x), _mm512_slli_epi32(values(x + 16), 4));
  std::memcpy(out, &half, sizeof(half));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2), _mm512_cvtepi32_epi8(pairs));
}

// A block the group left: its own scale where ordinary, else the scalar
// kernel.
HWY_INLINE void Q4_0Block(const float* x, uint8_t* out) {
  float d;
  if (OrdinaryQ4_0Scale(x, &d)) {
    OrdinaryQ4_0Values(x, scalar::GgufInverseScale(d), FloatToHalfBits(d), out);
  } else {
    scalar::QuantizeQ4_0(x, kGgufBlock, out);
  }
}

HWY_INLINE void Q4_0Groups(const float* in, size_t blocks, uint8_t* out) {
  size_t g = 0;
  for (; g + kGroup <= blocks; g += kGroup) {
    Q4_0Scales scales;
    Q4_0Scales16(in + g * kGgufBlock, &scales);
    for (size_t k = 0; k < kGroup; ++k) {
      const float* x = in + (g + k) * kGgufBlock;
      uint8_t* block = out + (g + k) * kQ4_0BlockBytes;
      if (scales.ordinary[k] != 0) {
        OrdinaryQ4_0Values(x, scales.id[k], scales.half[k], block);
      } else {
        Q4_0Block(x, block);
      }
    }
  }
  for (; g < blocks; ++g) Q4_0Block(in + g * kGgufBlock, out + g * kQ4_0BlockBytes);
}

#endif  // HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#endif  // include guard
