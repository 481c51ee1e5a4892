// The float maps of elementwise_kernels.h for one vector of lanes (per
// Highway target, included once per target), shared by the kernels that
// apply them: elementwise_kernels.cc and int32_map_kernels.cc.

// Per-target include guard.
#if defined(QTENSOR_KERNELS_FLOAT_MAP_LANES_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QTENSOR_KERNELS_FLOAT_MAP_LANES_INL_H_
#undef QTENSOR_KERNELS_FLOAT_MAP_LANES_INL_H_
#else
#define QTENSOR_KERNELS_FLOAT_MAP_LANES_INL_H_
#endif

#include <hwy/highway.h>

#include "kernels/exp_formula_constants.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// x > 0 ? x : x * slope
template <class D, class V>
HWY_INLINE V LeakyReluLanes(D d, V x, V slope) {
  return hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Mul(x, slope));
}

// x * c / 6 with t = x + 3, c = t > 0 ? min(t, 6) : 0
template <class D, class V>
HWY_INLINE V HardswishLanes(D d, V x) {
  const V six = hn::Set(d, 6.0f);
  const V t = hn::Add(x, hn::Set(d, 3.0f));
  const V c = hn::IfThenElse(hn::Gt(t, hn::Zero(d)), hn::Min(t, six), hn::Zero(d));
  return hn::Div(hn::Mul(x, c), six);
}

// 1 + e^t for t in [-20, 87]: the scalar kernels' OnePlusExp lane by lane
// (exp_formula_constants.h).
template <class D, class V>
HWY_INLINE V OnePlusExpLanes(D d, V t) {
  const hn::RebindToUnsigned<D> du;
  const V magic = hn::Set(d, kRoundMagic), one = hn::Set(d, 1.0f);
  const V k = hn::Add(hn::Mul(t, hn::Set(d, kLog2e)), magic);
  const V n = hn::Sub(k, magic);
  const V r = hn::Sub(hn::Sub(t, hn::Mul(n, hn::Set(d, kLn2Hi))), hn::Mul(n, hn::Set(d, kLn2Lo)));
  V p = hn::Set(d, kExp6);
  p = hn::Add(hn::Mul(p, r), hn::Set(d, kExp5));
  p = hn::Add(hn::Mul(p, r), hn::Set(d, kExp4));
  p = hn::Add(hn::Mul(p, r), hn::Set(d, kExp3));
  p = hn::Add(hn::Mul(p, r), hn::Set(d, kExp2));
  const V e = hn::Add(r, hn::Mul(hn::Mul(r, r), p));
  const V s =
      hn::BitCast(d, hn::Add(hn::ShiftLeft<23>(hn::BitCast(du, k)), hn::Set(du, kExponentOne)));
  const V se = hn::Mul(s, e);
  return hn::IfThenElse(hn::Ge(n, hn::Set(d, kExactOnePlus)), hn::Add(s, hn::Add(one, se)),
                        hn::Add(hn::Add(one, s), se));
}

template <class D, class V>
HWY_INLINE V SigmoidLanes(D d, V x) {
  const V t =
      hn::Max(hn::Min(hn::Neg(x), hn::Set(d, -kSigmoidArgMin)), hn::Set(d, -kSigmoidArgMax));
  const V y = hn::Div(hn::Set(d, 1.0f), OnePlusExpLanes(d, t));
  return hn::IfThenElse(hn::IsNaN(x), x,
                        hn::IfThenZeroElse(hn::Lt(x, hn::Set(d, kSigmoidArgMin)), y));
}

template <class D, class V>
HWY_INLINE V TanhLanes(D d, V x) {
  const V a = hn::Abs(x), z = hn::Mul(a, a);
  V p = hn::Set(d, kTanh11);
  p = hn::Add(hn::Mul(p, z), hn::Set(d, kTanh9));
  p = hn::Add(hn::Mul(p, z), hn::Set(d, kTanh7));
  p = hn::Add(hn::Mul(p, z), hn::Set(d, kTanh5));
  p = hn::Add(hn::Mul(p, z), hn::Set(d, kTanh3));
  const V small = hn::Add(a, hn::Mul(a, hn::Mul(z, p)));
  const V m = hn::Min(a, hn::Set(d, kTanhArgMax));
  const V large =
      hn::Sub(hn::Set(d, 1.0f), hn::Div(hn::Set(d, 2.0f), OnePlusExpLanes(d, hn::Add(m, m))));
  // Both are +0 or positive: x's sign goes in with an Or.
  const V y = hn::IfThenElse(hn::Lt(a, hn::Set(d, kTanhPolyBelow)), small, large);
  return hn::IfThenElse(hn::IsNaN(x), x, hn::CopySignToAbs(y, x));
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
