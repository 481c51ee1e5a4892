// Vector types and int32 lane operations shared by the SIMD kernels that
// dequantize or quantize int32 values (per Highway target, included once per
// target like Highway's own -inl.h headers): the formulas of
// quantize_kernels.h for one vector of lanes.

// Per-target include guard.
#if defined(QTENSOR_KERNELS_INT32_LANES_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QTENSOR_KERNELS_INT32_LANES_INL_H_
#undef QTENSOR_KERNELS_INT32_LANES_INL_H_
#else
#define QTENSOR_KERNELS_INT32_LANES_INL_H_
#endif

#include <hwy/highway.h>

#include <cstdint>
#include <limits>
#include <type_traits>

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET != HWY_SCALAR

// One vector of floats; every other vector type has as many lanes, or half
// as many for doubles (a float vector is converted to f64 in two halves).
using DF = hn::ScalableTag<float>;
using DI = hn::RebindToSigned<DF>;   // int32
using DF2 = hn::Half<DF>;            // half of the float lanes
using DI2 = hn::Half<DI>;            // half of the int32 lanes
using DD = hn::Rebind<double, DF2>;  // as many f64 lanes as DF2 has floats
template <typename T>
using DT = hn::Rebind<T, DF>;  // the stored integers, one per float lane
template <typename T>
using DBytes = hn::Repartition<T, DF>;  // a full vector of 8-bit integers
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;
using VD = hn::Vec<DD>;

// Four vectors of int32 lanes holding 8-bit values, in order, as one full
// vector of T.
template <typename T>
HWY_INLINE hn::Vec<DBytes<T> > PackBytes(VI a, VI b, VI c, VI d) {
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL || \
    HWY_TARGET == HWY_SSE4 || HWY_TARGET == HWY_SSSE3
  // x86 packs work within 128-bit blocks: after packing int32 -> int16 ->
  // 8 bits, block k holds 4 bytes of block k of a, then of b, c and d. A
  // permutation of 32-bit groups puts them in order.
  const hn::Repartition<int16_t, DF> d16;
  const auto ab = hn::ReorderDemote2To(d16, a, b).raw;
  const auto cd = hn::ReorderDemote2To(d16, c, d).raw;
  constexpr bool kSigned = std::is_signed_v<T>;
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  const VI packed{kSigned ? _mm512_packs_epi16(ab, cd) : _mm512_packus_epi16(ab, cd)};
#elif HWY_TARGET == HWY_AVX2
  const VI packed{kSigned ? _mm256_packs_epi16(ab, cd) : _mm256_packus_epi16(ab, cd)};
#else
  const VI packed{kSigned ? _mm_packs_epi16(ab, cd) : _mm_packus_epi16(ab, cd)};
#endif
  const DI di;
  constexpr size_t kBlocks = hn::MaxLanes(DI()) / 4;
  if constexpr (kBlocks == 1) {
    return hn::BitCast(DBytes<T>(), packed);
  } else {
    // Group m of the result is block m % kBlocks of input m / kBlocks.
    alignas(64) static constexpr int32_t kOrder4[16] = {0, 4, 8,  12, 1, 5, 9,  13,
                                                        2, 6, 10, 14, 3, 7, 11, 15};
    alignas(64) static constexpr int32_t kOrder2[8] = {0, 4, 1, 5, 2, 6, 3, 7};
    const auto order = hn::SetTableIndices(di, kBlocks == 4 ? kOrder4 : kOrder2);
    return hn::BitCast(DBytes<T>(), hn::TableLookupLanes(packed, order));
  }
#else
  const DT<T> dq;
  const hn::Twice<DT<T> > dh;
  return hn::Combine(DBytes<T>(), hn::Combine(dh, hn::DemoteTo(dq, d), hn::DemoteTo(dq, c)),
                     hn::Combine(dh, hn::DemoteTo(dq, b), hn::DemoteTo(dq, a)));
#endif
}

// x * inv rounded half to even (Round uses the default rounding mode, as
// nearbyint does), with NaN -> 0 so that NaN gives the zero point once it is
// added. +-inf stay infinite and saturate.
HWY_INLINE VF ScaleAndRound(VF x, VF inv) {
  const VF v = hn::Mul(x, inv);
  return hn::Round(hn::IfThenZeroElse(hn::IsNaN(v), v));
}

// q = clamp(r + zp, INT32_MIN, INT32_MAX) for r = ScaleAndRound(x, inv), in
// f64 where r + zp is exact below 2^53 and the bounds are exact; zp_lo /
// zp_hi are the zero points of the lower / upper half of the lanes.
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

// The int32 zero point as the quantize kernels take it: f64 lanes for the exact
// formula above, and int32 lanes for the shortcuts below when |zp| < 2^30.
struct Int32ZeroPoint {
  VD wide;
  VI narrow;
  bool small;
  bool zero;
};

HWY_INLINE Int32ZeroPoint MakeInt32ZeroPoint(int64_t zero_point) {
  const bool small = zero_point > -(int64_t{1} << 30) && zero_point < (int64_t{1} << 30);
  return Int32ZeroPoint{hn::Set(DD(), static_cast<double>(zero_point)),
                        hn::Set(DI(), small ? static_cast<int32_t>(zero_point) : 0), small,
                        zero_point == 0};
}

// Quantize32 with a zero point of 0: clamp(r, INT32_MIN, INT32_MAX) in int32
// lanes. Every integer-valued float below 2^31 is at most 2^31 - 128, so the
// float clamp changes no lane that is not saturated.
HWY_INLINE VI Quantize32ZeroZp(VF x, VF inv) {
  const DF df;
  const VF r = ScaleAndRound(x, inv);
  const VF clamped = hn::Min(hn::Max(r, hn::Set(df, -2147483648.0f)), hn::Set(df, 2147483520.0f));
  return hn::IfThenElse(hn::RebindMask(DI(), hn::Ge(r, hn::Set(df, 2147483648.0f))),
                        hn::Set(DI(), std::numeric_limits<int32_t>::max()),
                        hn::ConvertTo(DI(), clamped));
}

// Quantize32 for one zero point, with a shortcut for nearly every vector:
// where |r| <= 2^30 in every lane and |zp| < 2^30, r + zp cannot overflow
// int32, so it is added there without f64 or a clamp (NaN and +-inf fail
// the test and take the exact formula). A zero point of 0 (sigmoid's and
// tanh's, whose results are mostly past 2^30) clamps in int32 lanes instead.
HWY_INLINE VI Quantize32(VF x, VF inv, const Int32ZeroPoint& zp) {
  const DF df;
  const VF r = hn::Round(hn::Mul(x, inv));
  if (zp.small && hn::AllTrue(df, hn::Le(hn::Abs(r), hn::Set(df, 1073741824.0f)))) {
    return hn::Add(hn::ConvertTo(DI(), r), zp.narrow);
  }
  if (zp.zero) return Quantize32ZeroZp(x, inv);
  return Quantize32(x, inv, zp.wide, zp.wide);
}

// (double)(q - zp) for the lower and upper half of the lanes: exact.
HWY_INLINE VD LowerMinus(VI q, VD zp) {
  return hn::Sub(hn::PromoteTo(DD(), hn::LowerHalf(DI2(), q)), zp);
}
HWY_INLINE VD UpperMinus(VI q, VD zp) {
  return hn::Sub(hn::PromoteTo(DD(), hn::UpperHalf(DI2(), q)), zp);
}

// (float)(q - zp) for int32 q and zp, rounded once: the int32 difference
// converted when no lane overflows (the usual case, and always for zp = 0),
// else the exact f64 difference demoted.
HWY_INLINE VF Int32MinusToFloat(VI q, VI zp) {
  const DI di;
  const VI d = hn::Sub(q, zp);  // wraps where the difference needs 33 bits
  // Overflow: q and zp of opposite signs, and the sign of d not q's.
  const VI overflow = hn::And(hn::Xor(q, zp), hn::Xor(q, d));
  if (HWY_LIKELY(hn::AllFalse(di, hn::Lt(overflow, hn::Zero(di))))) {
    return hn::ConvertTo(DF(), d);
  }
  const DD dd;
  const VD zp_lo = hn::PromoteTo(dd, hn::LowerHalf(DI2(), zp));
  const VD zp_hi = hn::PromoteTo(dd, hn::UpperHalf(DI2(), zp));
  return hn::Combine(DF(), hn::DemoteTo(DF2(), UpperMinus(q, zp_hi)),
                     hn::DemoteTo(DF2(), LowerMinus(q, zp_lo)));
}

#endif  // HWY_TARGET != HWY_SCALAR

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
