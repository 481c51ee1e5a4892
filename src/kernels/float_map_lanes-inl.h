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

// The maps below work on kN vectors at once, each step on all of them
// before the next: the vectors' chains of about 30 dependent operations
// then overlap, where one vector at a time left the loop waiting on each
// chain (qint32 sigmoid in cache: 10.5 ns per vector one at a time, 8.5 two
// at a time; four spill registers). Each lane goes through the same
// operations either way.

// 1 + e^t for t in [-20, 87]: the scalar kernels' OnePlusExp lane by lane
// (exp_formula_constants.h). Overwrites t.
template <size_t kN, class D, class V>
HWY_INLINE void OnePlusExpLanes(D d, V (&t)[kN]) {
  const hn::RebindToUnsigned<D> du;
  const V magic = hn::Set(d, kRoundMagic), one = hn::Set(d, 1.0f);
  V k[kN], n[kN], r[kN], p[kN];
  for (size_t j = 0; j < kN; ++j) k[j] = hn::Add(hn::Mul(t[j], hn::Set(d, kLog2e)), magic);
  for (size_t j = 0; j < kN; ++j) n[j] = hn::Sub(k[j], magic);
  for (size_t j = 0; j < kN; ++j) {
    r[j] = hn::Sub(hn::Sub(t[j], hn::Mul(n[j], hn::Set(d, kLn2Hi))),
                   hn::Mul(n[j], hn::Set(d, kLn2Lo)));
  }
  for (size_t j = 0; j < kN; ++j)
    p[j] = hn::Add(hn::Mul(hn::Set(d, kExp6), r[j]), hn::Set(d, kExp5));
  for (size_t j = 0; j < kN; ++j) p[j] = hn::Add(hn::Mul(p[j], r[j]), hn::Set(d, kExp4));
  for (size_t j = 0; j < kN; ++j) p[j] = hn::Add(hn::Mul(p[j], r[j]), hn::Set(d, kExp3));
  for (size_t j = 0; j < kN; ++j) p[j] = hn::Add(hn::Mul(p[j], r[j]), hn::Set(d, kExp2));
  for (size_t j = 0; j < kN; ++j) {
    const V e = hn::Add(r[j], hn::Mul(hn::Mul(r[j], r[j]), p[j]));
    const V s = hn::BitCast(
        d, hn::Add(hn::ShiftLeft<23>(hn::BitCast(du, k[j])), hn::Set(du, kExponentOne)));
    const V se = hn::Mul(s, e);
    t[j] = hn::IfThenElse(hn::Ge(n[j], hn::Set(d, kExactOnePlus)), hn::Add(s, hn::Add(one, se)),
                          hn::Add(hn::Add(one, s), se));
  }
}

// Sigmoid of each x, in place.
template <size_t kN, class D, class V>
HWY_INLINE void SigmoidLanes(D d, V (&x)[kN]) {
  V y[kN];
  for (size_t j = 0; j < kN; ++j) {
    y[j] =
        hn::Max(hn::Min(hn::Neg(x[j]), hn::Set(d, -kSigmoidArgMin)), hn::Set(d, -kSigmoidArgMax));
  }
  OnePlusExpLanes(d, y);
  for (size_t j = 0; j < kN; ++j) y[j] = hn::Div(hn::Set(d, 1.0f), y[j]);
  for (size_t j = 0; j < kN; ++j) {
    x[j] = hn::IfThenElse(hn::IsNaN(x[j]), x[j],
                          hn::IfThenZeroElse(hn::Lt(x[j], hn::Set(d, kSigmoidArgMin)), y[j]));
  }
}

// Tanh of each x, in place.
template <size_t kN, class D, class V>
HWY_INLINE void TanhLanes(D d, V (&x)[kN]) {
  V a[kN], z[kN], p[kN], large[kN];
  for (size_t j = 0; j < kN; ++j) {
    a[j] = hn::Abs(x[j]);
    z[j] = hn::Mul(a[j], a[j]);
  }
  for (size_t j = 0; j < kN; ++j)
    p[j] = hn::Add(hn::Mul(hn::Set(d, kTanh11), z[j]), hn::Set(d, kTanh9));
  for (size_t j = 0; j < kN; ++j) p[j] = hn::Add(hn::Mul(p[j], z[j]), hn::Set(d, kTanh7));
  for (size_t j = 0; j < kN; ++j) p[j] = hn::Add(hn::Mul(p[j], z[j]), hn::Set(d, kTanh5));
  for (size_t j = 0; j < kN; ++j) p[j] = hn::Add(hn::Mul(p[j], z[j]), hn::Set(d, kTanh3));
  for (size_t j = 0; j < kN; ++j) {
    const V m = hn::Min(a[j], hn::Set(d, kTanhArgMax));
    large[j] = hn::Add(m, m);
  }
  OnePlusExpLanes(d, large);
  for (size_t j = 0; j < kN; ++j) {
    large[j] = hn::Sub(hn::Set(d, 1.0f), hn::Div(hn::Set(d, 2.0f), large[j]));
  }
  for (size_t j = 0; j < kN; ++j) {
    const V small = hn::Add(a[j], hn::Mul(a[j], hn::Mul(z[j], p[j])));
    // Both are +0 or positive: x's sign goes in with an Or.
    const V y = hn::IfThenElse(hn::Lt(a[j], hn::Set(d, kTanhPolyBelow)), small, large[j]);
    x[j] = hn::IfThenElse(hn::IsNaN(x[j]), x[j], hn::CopySignToAbs(y, x[j]));
  }
}

// One vector at a time.
template <class D, class V>
HWY_INLINE V SigmoidLanes(D d, V x) {
  V one[1] = {x};
  SigmoidLanes(d, one);
  return one[0];
}
template <class D, class V>
HWY_INLINE V TanhLanes(D d, V x) {
  V one[1] = {x};
  TanhLanes(d, one);
  return one[0];
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
