// Fused add / mul kernels (fused_binary_kernels.h) in Google Highway 1.0.3,
// compiled once per target and dispatched at run time: a vector of int32
// lanes at a time, from the 8-bit inputs to the 8-bit result, with the
// scalar kernels' operations in their order (no fused multiply-add: the
// build turns contraction off). The last partial vector goes through the
// scalar kernel.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/fused_binary_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "kernels/fused_binary_kernels.h"
#include "kernels/quantize_kernels.h"  // kStreamBytes
#include "src/kernels/int32_lanes-inl.h"
#include "src/kernels/kernel_loops-inl.h"  // StoreVector

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane: the scalar kernels are this target's.
template <typename T>
void Add(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  scalar::AddQuantized(a, b, n, p, out);
}
template <typename T>
void Multiply(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  scalar::MultiplyQuantized(a, b, n, p, out);
}
void AddI32(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
            int32_t* out) {
  scalar::AddQuantized(a, b, n, p, out);
}
void MultiplyI32(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                 int32_t* out) {
  scalar::MultiplyQuantized(a, b, n, p, out);
}
#else

// DF, DI, DT<T>, VF, VI and the int32 lane formulas: int32_lanes-inl.h.

template <typename T>
HWY_INLINE VI LoadInt32(const T* p) {
  return hn::PromoteTo(DI(), hn::LoadU(DT<T>(), p));
}

// 1.5 * 2^23: a float in [2^23, 2^24) holds integers in its low mantissa
// bits, so adding it to |v| < 2^22 rounds v to an integer (half to even, the
// default rounding mode, as Round and nearbyint do), and the low byte of the
// sum's bits is that integer's two's complement byte.
constexpr float kMagic = 12582912.0f;

// QuantizeValue on lanes for finite or infinite v (never NaN: the callers
// check their parameters): v rounded half to even, plus the zero point,
// clamped to [floor, T's max], all while offset by kMagic. For |v| >= 2^22
// the rounding differs, but then v + kMagic is beyond the clamp's bounds on
// the same side as v, so the clamp gives what the scalar kernel's does.
template <bool kStream, typename T>
HWY_INLINE void QuantizeStore(VF v, VF zero, VF floor_magic, VF high_magic, T* out) {
  const VF magic = hn::Set(DF(), kMagic);
  const VF q = hn::Min(hn::Max(hn::Add(hn::Add(v, magic), zero), floor_magic), high_magic);
  const hn::Rebind<uint8_t, DF> d8;
#if HWY_TARGET == HWY_AVX3_DL
  // Highway 1.0.3's AVX3_DL TruncateTo from 16 uint32 lanes to bytes
  // permutes 32-bit lanes (_mm512_permutexvar_epi32 where epi8 is meant) and
  // returns wrong bytes: truncate with vpmovdb instead.
  const hn::Vec<decltype(d8)> bytes{_mm512_cvtepi32_epi8(hn::BitCast(DI(), q).raw)};
#else
  const auto bytes = hn::TruncateTo(d8, hn::BitCast(hn::RebindToUnsigned<DI>(), q));
#endif
  StoreVector<kStream>(hn::BitCast(DT<T>(), bytes), DT<T>(), out);
}

// Runs body(stream, i) for the whole vectors of [0, n), from first, and
// returns where they end; a head [0, first) and that tail are the caller's
// (the scalar kernel's). Outputs of kStreamBytes and more are streamed
// (non-temporal stores skip reading each line before it is overwritten)
// where a vector's output is a whole vector (int32) or a whole 16-byte block
// (8 bits, 16 lanes: AVX3): first then aligns out + first to it.
template <typename T, class Body>
HWY_INLINE size_t ForEachVector(size_t n, const T* out, size_t& first, const Body& body) {
  const size_t lanes = hn::Lanes(DF());
  size_t i = 0;
  if constexpr (sizeof(T) == 4 || hn::MaxLanes(DF()) * sizeof(T) == 16) {
    const size_t bytes = lanes * sizeof(T);
    const uintptr_t address = reinterpret_cast<uintptr_t>(out);
    if (n * sizeof(T) >= kStreamBytes && address % sizeof(T) == 0) {
      i = first = std::min(n, (bytes - address % bytes) % bytes / sizeof(T));
      for (; i + lanes <= n; i += lanes) body(std::true_type(), i);
      hwy::FlushStream();
      return i;
    }
  }
  first = 0;
  for (; i + lanes <= n; i += lanes) body(std::false_type(), i);
  return i;
}

HWY_INLINE VF Magic(float value) {
  return hn::Set(DF(), value + kMagic);  // exact: |value| <= 255
}

template <typename T>
void Add(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  // NaN could arise only from an infinite dequantized value (inf - inf) or
  // an infinite inverse scale (0 * inf): those parameters take the scalar
  // kernel.
  if (!(256.0 * (double{p.scale_a} + double{p.scale_b}) < 1e38) || !std::isfinite(p.inv_scale)) {
    scalar::AddQuantized(a, b, n, p, out);
    return;
  }
  const DF df;
  const DI di;
  const VI za = hn::Set(di, static_cast<int32_t>(p.zero_a));
  const VI zb = hn::Set(di, static_cast<int32_t>(p.zero_b));
  const VF sa = hn::Set(df, p.scale_a), sb = hn::Set(df, p.scale_b);
  const VF inv = hn::Set(df, p.inv_scale);
  const VF zero_out = hn::Set(df, static_cast<float>(p.zero_out));
  const VF zero = hn::Zero(df);
  const VF low = Magic(std::numeric_limits<T>::min());
  const VF high = Magic(std::numeric_limits<T>::max());
  const bool relu = p.relu;
  size_t first = 0;
  const size_t end = ForEachVector(n, out, first, [&](auto stream, size_t i) HWY_ATTR {
    // (float)(q - zp) * scale: the difference exact in int32 and in float.
    const VF x = hn::Mul(hn::ConvertTo(df, hn::Sub(LoadInt32(a + i), za)), sa);
    const VF y = hn::Mul(hn::ConvertTo(df, hn::Sub(LoadInt32(b + i), zb)), sb);
    VF sum = hn::Add(x, y);
    // sum > 0 ? sum : 0, so -0 gives +0 as in the scalar kernel.
    if (relu) sum = hn::IfThenElse(hn::Gt(sum, zero), sum, zero);
    QuantizeStore<decltype(stream)::value>(hn::Mul(sum, inv), zero_out, low, high, out + i);
  });
  scalar::AddQuantized(a, b, first, p, out);
  scalar::AddQuantized(a + end, b + end, n - end, p, out + end);
}

template <typename T>
void Multiply(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  // An infinite multiplier makes 0 * inf = NaN: the scalar kernel.
  if (!std::isfinite(p.inv_scale)) {
    scalar::MultiplyQuantized(a, b, n, p, out);
    return;
  }
  const DF df;
  const DI di;
  const VI za = hn::Set(di, static_cast<int32_t>(p.zero_a));
  const VI zb = hn::Set(di, static_cast<int32_t>(p.zero_b));
  const VF multiplier = hn::Set(df, p.inv_scale);
  const VF zero_out = hn::Set(df, static_cast<float>(p.zero_out));
  // max(q, zo) after the clamp: zo lies in T's range, so a clamp from zo is
  // the scalar kernel's integer maximum.
  const VF low =
      p.relu ? Magic(static_cast<float>(p.zero_out)) : Magic(std::numeric_limits<T>::min());
  const VF high = Magic(std::numeric_limits<T>::max());
  size_t first = 0;
  const size_t end = ForEachVector(n, out, first, [&](auto stream, size_t i) HWY_ATTR {
    // At most 255 * 255 in magnitude: exact in int32 and in float.
    const VI product = hn::Mul(hn::Sub(LoadInt32(a + i), za), hn::Sub(LoadInt32(b + i), zb));
    QuantizeStore<decltype(stream)::value>(hn::Mul(hn::ConvertTo(df, product), multiplier),
                                           zero_out, low, high, out + i);
  });
  scalar::MultiplyQuantized(a, b, first, p, out);
  scalar::MultiplyQuantized(a + end, b + end, n - end, p, out + end);
}

// int32: the lane formulas of int32_lanes-inl.h hold for every value
// (differences of 33 bits, NaN from inf - inf, saturation), so no
// parameters need the scalar kernel.
void AddI32(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
            int32_t* out) {
  const DF df;
  const DI di;
  const VI za = hn::Set(di, static_cast<int32_t>(p.zero_a));
  const VI zb = hn::Set(di, static_cast<int32_t>(p.zero_b));
  const VF sa = hn::Set(df, p.scale_a), sb = hn::Set(df, p.scale_b);
  const VF inv = hn::Set(df, p.inv_scale);
  const VF zero = hn::Zero(df);
  const Int32ZeroPoint zero_out = MakeInt32ZeroPoint(p.zero_out);
  const bool relu = p.relu;
  size_t first = 0;
  const size_t end = ForEachVector(n, out, first, [&](auto stream, size_t i) HWY_ATTR {
    const VF x = hn::Mul(Int32MinusToFloat(hn::LoadU(di, a + i), za), sa);
    const VF y = hn::Mul(Int32MinusToFloat(hn::LoadU(di, b + i), zb), sb);
    VF sum = hn::Add(x, y);
    if (relu) sum = hn::IfThenElse(hn::Gt(sum, zero), sum, zero);
    const VI q = Quantize32(sum, inv, zero_out);
    StoreVector<decltype(stream)::value>(q, di, out + i);
  });
  scalar::AddQuantized(a, b, first, p, out);
  scalar::AddQuantized(a + end, b + end, n - end, p, out + end);
}

// int32 mul: each difference exact in f64 (33 bits), and their product too
// while below 2^53 in magnitude, then rounded once to float as the scalar
// kernel's int64 (or 128-bit) product is. A vector with a larger product
// goes through the scalar kernel.
void MultiplyI32(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                 int32_t* out) {
  const DF df;
  const DI di;
  const DD dd;
  const VD za = hn::Set(dd, static_cast<double>(p.zero_a));
  const VD zb = hn::Set(dd, static_cast<double>(p.zero_b));
  const VD exact_below = hn::Set(dd, 9007199254740992.0);  // 2^53
  const VF multiplier = hn::Set(df, p.inv_scale);
  const Int32ZeroPoint zero_out = MakeInt32ZeroPoint(p.zero_out);
  // relu: max(q, zo), zo being a qint32 zero point.
  const VI floor =
      hn::Set(di, p.relu ? static_cast<int32_t>(p.zero_out) : std::numeric_limits<int32_t>::min());
  const size_t lanes = hn::Lanes(df);
  size_t first = 0;
  const size_t end = ForEachVector(n, out, first, [&](auto stream, size_t i) HWY_ATTR {
    const VI qa = hn::LoadU(di, a + i), qb = hn::LoadU(di, b + i);
    const VD lo = hn::Mul(LowerMinus(qa, za), LowerMinus(qb, zb));
    const VD hi = hn::Mul(UpperMinus(qa, za), UpperMinus(qb, zb));
    if (HWY_UNLIKELY(!hn::AllTrue(dd, hn::Lt(hn::Max(hn::Abs(lo), hn::Abs(hi)), exact_below)))) {
      scalar::MultiplyQuantized(a + i, b + i, lanes, p, out + i);
      return;
    }
    const VF product = hn::Combine(df, hn::DemoteTo(DF2(), hi), hn::DemoteTo(DF2(), lo));
    const VI q = hn::Max(Quantize32(product, multiplier, zero_out), floor);
    StoreVector<decltype(stream)::value>(q, di, out + i);
  });
  scalar::MultiplyQuantized(a, b, first, p, out);
  scalar::MultiplyQuantized(a + end, b + end, n - end, p, out + end);
}
#endif

void AddI8(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p, int8_t* out) {
  Add(a, b, n, p, out);
}
void AddU8(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p, uint8_t* out) {
  Add(a, b, n, p, out);
}
void MultiplyI8(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                int8_t* out) {
  Multiply(a, b, n, p, out);
}
void MultiplyU8(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                uint8_t* out) {
  Multiply(a, b, n, p, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(AddI8);
HWY_EXPORT(AddU8);
HWY_EXPORT(AddI32);
HWY_EXPORT(MultiplyI32);
HWY_EXPORT(MultiplyI8);
HWY_EXPORT(MultiplyU8);

void AddQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                  int8_t* out) {
  HWY_DYNAMIC_DISPATCH(AddI8)(a, b, n, p, out);
}
void AddQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                  uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(AddU8)(a, b, n, p, out);
}
void AddQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                  int32_t* out) {
  HWY_DYNAMIC_DISPATCH(AddI32)(a, b, n, p, out);
}
void MultiplyQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                       int8_t* out) {
  HWY_DYNAMIC_DISPATCH(MultiplyI8)(a, b, n, p, out);
}
void MultiplyQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                       uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(MultiplyU8)(a, b, n, p, out);
}
void MultiplyQuantized(const int32_t* a, const int32_t* b, size_t n, const FusedBinaryParams& p,
                       int32_t* out) {
  HWY_DYNAMIC_DISPATCH(MultiplyI32)(a, b, n, p, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
