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

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#endif  // per-target include guard
