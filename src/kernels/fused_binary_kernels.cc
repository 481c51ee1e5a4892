// Fused add / mul kernels (fused_binary_kernels.h) in Google Highway 1.0.3,
// compiled once per target and dispatched at run time: a vector of int32
// lanes at a time, from the 8-bit inputs to the 8-bit result, with the
// scalar kernels' operations in their order (no fused multiply-add: the
// build turns contraction off). The last partial vector goes through the
// scalar kernel.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/fused_binary_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <limits>

#include "kernels/fused_binary_kernels.h"

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
#else

using DF = hn::ScalableTag<float>;
using DI = hn::RebindToSigned<DF>;
template <typename T>
using DT = hn::Rebind<T, DF>;  // one stored integer per float lane
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;

template <typename T>
HWY_INLINE VI LoadInt32(const T* p) {
  return hn::PromoteTo(DI(), hn::LoadU(DT<T>(), p));
}

// QuantizeValue on lanes: x * inv rounded half to even (NaN -> 0), plus the
// zero point, clamped to T's range. In float: r + zp is exact below 2^24,
// and beyond it the sum is far outside the range either way; the clamped
// value is an integer, so the conversion is exact.
template <typename T>
HWY_INLINE void QuantizeStore(VF x, VF inv, VF zero, T* out) {
  const DF df;
  const VF lo = hn::Set(df, static_cast<float>(std::numeric_limits<T>::min()));
  const VF hi = hn::Set(df, static_cast<float>(std::numeric_limits<T>::max()));
  const VF v = hn::Mul(x, inv);
  const VF r = hn::Round(hn::IfThenZeroElse(hn::IsNaN(v), v));
  const VF q = hn::Min(hn::Max(hn::Add(r, zero), lo), hi);
  hn::StoreU(hn::DemoteTo(DT<T>(), hn::ConvertTo(DI(), q)), DT<T>(), out);
}

template <typename T>
void Add(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  const DF df;
  const DI di;
  const size_t lanes = hn::Lanes(df);
  const VI za = hn::Set(di, static_cast<int32_t>(p.zero_a));
  const VI zb = hn::Set(di, static_cast<int32_t>(p.zero_b));
  const VF sa = hn::Set(df, p.scale_a), sb = hn::Set(df, p.scale_b);
  const VF inv = hn::Set(df, p.inv_scale);
  const VF zero_out = hn::Set(df, static_cast<float>(p.zero_out));
  const VF zero = hn::Zero(df);
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    // (float)(q - zp) * scale: the difference exact in int32 and in float.
    const VF x = hn::Mul(hn::ConvertTo(df, hn::Sub(LoadInt32(a + i), za)), sa);
    const VF y = hn::Mul(hn::ConvertTo(df, hn::Sub(LoadInt32(b + i), zb)), sb);
    VF sum = hn::Add(x, y);
    // sum > 0 ? sum : 0, so NaN and -0 give +0 as in the scalar kernel.
    if (p.relu) sum = hn::IfThenElse(hn::Gt(sum, zero), sum, zero);
    QuantizeStore(sum, inv, zero_out, out + i);
  }
  scalar::AddQuantized(a + i, b + i, n - i, p, out + i);
}

template <typename T>
void Multiply(const T* a, const T* b, size_t n, const FusedBinaryParams& p, T* out) {
  const DF df;
  const DI di;
  const size_t lanes = hn::Lanes(df);
  const VI za = hn::Set(di, static_cast<int32_t>(p.zero_a));
  const VI zb = hn::Set(di, static_cast<int32_t>(p.zero_b));
  const VF multiplier = hn::Set(df, p.inv_scale);
  // max(q, zo) after the clamp: zo lies in T's range, so the float maximum
  // before the conversion is the scalar kernel's integer maximum.
  const VF zero_out = hn::Set(df, static_cast<float>(p.zero_out));
  const VF floor =
      p.relu ? zero_out : hn::Set(df, static_cast<float>(std::numeric_limits<T>::min()));
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    // At most 255 * 255 in magnitude: exact in int32 and in float.
    const VI product = hn::Mul(hn::Sub(LoadInt32(a + i), za), hn::Sub(LoadInt32(b + i), zb));
    const VF v = hn::Mul(hn::ConvertTo(df, product), multiplier);
    const VF r = hn::Round(hn::IfThenZeroElse(hn::IsNaN(v), v));
    const VF hi = hn::Set(df, static_cast<float>(std::numeric_limits<T>::max()));
    const VF q = hn::Min(hn::Max(hn::Add(r, zero_out), floor), hi);
    hn::StoreU(hn::DemoteTo(DT<T>(), hn::ConvertTo(di, q)), DT<T>(), out + i);
  }
  scalar::MultiplyQuantized(a + i, b + i, n - i, p, out + i);
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
void MultiplyQuantized(const int8_t* a, const int8_t* b, size_t n, const FusedBinaryParams& p,
                       int8_t* out) {
  HWY_DYNAMIC_DISPATCH(MultiplyI8)(a, b, n, p, out);
}
void MultiplyQuantized(const uint8_t* a, const uint8_t* b, size_t n, const FusedBinaryParams& p,
                       uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(MultiplyU8)(a, b, n, p, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
