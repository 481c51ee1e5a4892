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

// The scalar kernels as objects (an overload set cannot be passed).
struct ScalarAdd {
  template <typename T>
  void operator()(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) const {
    scalar::AddQuantized(a, b, n, p, out);
  }
};
struct ScalarMultiply {
  template <typename T>
  void operator()(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) const {
    scalar::MultiplyQuantized(a, b, n, p, out);
  }
};

// All of [0, n): body(stream, i) for the whole steps of kVectors vectors,
// the scalar kernel for a head [0, first) and the tail after them. Outputs
// of kStreamBytes and more are streamed (non-temporal stores skip reading
// each line before it is overwritten) where a step's output is a whole
// vector (int32, or 8 bits four vectors at a time) or a whole 16-byte block
// (8 bits, 16 lanes: AVX3): the head then aligns out + first to it.
template <size_t kVectors = 1, typename T, class Scalar, class Body>
HWY_INLINE void ForEachVector(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out,
                              const Scalar& scalar_kernel, const Body& body) {
  const size_t step = kVectors * hn::Lanes(DF());
  size_t i = 0, first = 0;
  bool streamed = false;
  if constexpr (sizeof(T) * kVectors == 4 || hn::MaxLanes(DF()) * sizeof(T) == 16) {
    const size_t bytes = step * sizeof(T);
    const uintptr_t address = reinterpret_cast<uintptr_t>(out);
    if (n * sizeof(T) >= kStreamBytes && address % sizeof(T) == 0) {
      i = first = std::min(n, (bytes - address % bytes) % bytes / sizeof(T));
      for (; i + step <= n; i += step) body(std::true_type(), i);
      hwy::FlushStream();
      streamed = true;
    }
  }
  if (!streamed) {
    for (; i + step <= n; i += step) body(std::false_type(), i);
  }
  scalar_kernel(a, b, first, p, out);
  scalar_kernel(a + i, b + i, n - i, p, out + i);
}

#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
// AVX-512 only: whether PackedLoop may take values up to `bound` in
// magnitude times a positive factor inv: below 2^30, so that rounding and
// converting cannot overflow int32.
HWY_INLINE bool Packable(double bound, float inv) {
  return inv > 0.0f && bound * double{inv} < 1073741824.0;
}

// The four vectors' values rounded half to even and converted in one
// instruction (vcvtps2dq, default rounding), then the saturating packs to
// int16, the zero point added there with saturation, and the saturating
// pack to T: QuantizeStore's integers, with a third of its operations. A
// value past int16 stays past T's range after the zero point (|zo| <= 255)
// is added, on the same side. The values must lie below 2^30 in magnitude
// (the callers check Packable). The packs work within 128-bit blocks: block
// k of the result holds 4 bytes of block k of v[0], then of v[1], v[2] and
// v[3].
template <typename T>
HWY_INLINE __m512i PackInBlocks(const VF (&v)[4], __m512i zero16) {
  const auto q = [&](int j) HWY_ATTR { return _mm512_cvtps_epi32(v[j].raw); };
  const __m512i low = _mm512_adds_epi16(_mm512_packs_epi32(q(0), q(1)), zero16);
  const __m512i high = _mm512_adds_epi16(_mm512_packs_epi32(q(2), q(3)), zero16);
  return std::is_signed_v<T> ? _mm512_packs_epi16(low, high) : _mm512_packus_epi16(low, high);
}

// The AVX-512 loop over steps of 64 elements: values(i, v) gives the four
// vectors of values to quantize at step i, in memory order (put back in
// order after the packs by a permute of 32-bit lanes). relu is max(q, zo),
// taken on the 64 bytes at once: zo lies in T's range, so max(clamp(q), zo)
// is clamp(max(q, zo)).
template <typename T, class Scalar, class Values>
HWY_INLINE void PackedLoop(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out,
                           const Scalar& scalar_kernel, const Values& values) {
  const __m512i zero16 = _mm512_set1_epi16(static_cast<int16_t>(p.zero_out));
  const hn::Repartition<T, DF> d;
  const auto relu_floor = hn::Set(d, static_cast<T>(p.zero_out));
  const auto loop = [&](auto relu) HWY_ATTR {
    ForEachVector<4>(a, b, n, p, out, scalar_kernel, [&](auto stream, size_t i) HWY_ATTR {
      VF v[4];
      values(i, v);
      const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
      auto bytes =
          hn::Vec<decltype(d)>{_mm512_permutexvar_epi32(order, PackInBlocks<T>(v, zero16))};
      if constexpr (decltype(relu)::value) bytes = hn::Max(bytes, relu_floor);
      StoreVector<decltype(stream)::value>(bytes, d, out + i);
    });
  };
  if (p.relu) {
    loop(std::true_type());
  } else {
    loop(std::false_type());
  }
}
#endif

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
  // (float)(q - zp) * scale: the difference exact in int32 and in float.
  const auto dequantize_sum = [&](size_t i) HWY_ATTR {
    const VF x = hn::Mul(hn::ConvertTo(df, hn::Sub(LoadInt32(a + i), za)), sa);
    const VF y = hn::Mul(hn::ConvertTo(df, hn::Sub(LoadInt32(b + i), zb)), sb);
    return hn::Add(x, y);
  };
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  if (Packable(256.0 * (double{p.scale_a} + double{p.scale_b}), p.inv_scale)) {
    // relu as max(q, zo) on the integers: with inv > 0, quantizing sum > 0 ?
    // sum : 0 gives exactly that.
    PackedLoop(a, b, n, p, out, ScalarAdd(), [&](size_t i, VF(&v)[4]) HWY_ATTR {
      for (size_t j = 0; j < 4; ++j) v[j] = hn::Mul(dequantize_sum(i + j * hn::Lanes(df)), inv);
    });
    return;
  }
#endif
  ForEachVector(a, b, n, p, out, ScalarAdd(), [&](auto stream, size_t i) HWY_ATTR {
    VF sum = dequantize_sum(i);
    // sum > 0 ? sum : 0, so -0 gives +0 as in the scalar kernel.
    if (relu) sum = hn::IfThenElse(hn::Gt(sum, zero), sum, zero);
    QuantizeStore<decltype(stream)::value>(hn::Mul(sum, inv), zero_out, low, high, out + i);
  });
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
  // At most 255 * 255 in magnitude: exact in int32 and in float.
  const auto scaled_product = [&](size_t i) HWY_ATTR {
    const VI product = hn::Mul(hn::Sub(LoadInt32(a + i), za), hn::Sub(LoadInt32(b + i), zb));
    return hn::Mul(hn::ConvertTo(df, product), multiplier);
  };
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  // quint8: b - zb subtracted in 16-bit lanes from the zero-extended byte
  // leaves the upper half of each int32 lane 0, so vpmaddwd's sum of two
  // 16-bit products is the one (a - za) * (b - zb), in one operation where
  // vpmulld takes two.
  const __m512i zb16 = _mm512_set1_epi32(static_cast<int32_t>(p.zero_b) & 0xffff);
  const auto product_of_bytes = [&](size_t i) HWY_ATTR {
    if constexpr (std::is_same_v<T, uint8_t>) {
      const VI product{_mm512_madd_epi16(hn::Sub(LoadInt32(a + i), za).raw,
                                         _mm512_sub_epi16(LoadInt32(b + i).raw, zb16))};
      return hn::Mul(hn::ConvertTo(df, product), multiplier);
    } else {
      return scaled_product(i);
    }
  };
  if (Packable(65536.0, p.inv_scale)) {
    PackedLoop(a, b, n, p, out, ScalarMultiply(), [&](size_t i, VF(&v)[4]) HWY_ATTR {
      for (size_t j = 0; j < 4; ++j) v[j] = product_of_bytes(i + j * hn::Lanes(df));
    });
    return;
  }
#endif
  ForEachVector(a, b, n, p, out, ScalarMultiply(), [&](auto stream, size_t i) HWY_ATTR {
    QuantizeStore<decltype(stream)::value>(scaled_product(i), zero_out, low, high, out + i);
  });
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
  ForEachVector(a, b, n, p, out, ScalarAdd(), [&](auto stream, size_t i) HWY_ATTR {
    const VF x = hn::Mul(Int32MinusToFloat(hn::LoadU(di, a + i), za), sa);
    const VF y = hn::Mul(Int32MinusToFloat(hn::LoadU(di, b + i), zb), sb);
    VF sum = hn::Add(x, y);
    if (relu) sum = hn::IfThenElse(hn::Gt(sum, zero), sum, zero);
    const VI q = Quantize32(sum, inv, zero_out);
    StoreVector<decltype(stream)::value>(q, di, out + i);
  });
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
  ForEachVector(a, b, n, p, out, ScalarMultiply(), [&](auto stream, size_t i) HWY_ATTR {
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
