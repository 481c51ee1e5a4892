// Sum requantization (sum_requantize_kernels.h) in Google Highway 1.0.3,
// compiled once per target and dispatched at run time: the float product
// clamped to the output's range before it is rounded (the same integer, as
// the bounds are integers), converted with round half to even, and narrowed.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/sum_requantize_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <limits>

#include "kernels/sum_requantize_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <typename T>
void Requantize(const int32_t* sums, size_t n, const SumRequantizeParams& p, T* out) {
#if HWY_TARGET == HWY_SCALAR
  scalar::RequantizeSums(sums, n, p, out);
#else
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<T, decltype(df)> dt;
  const size_t lanes = hn::Lanes(df);
  const int32_t low = std::max<int32_t>(p.floor, std::numeric_limits<T>::min());
  const auto lowest = hn::Set(df, static_cast<float>(low - p.zero_point));
  const auto highest =
      hn::Set(df, static_cast<float>(int32_t{std::numeric_limits<T>::max()} - p.zero_point));
  const auto zero_point = hn::Set(di, p.zero_point);
  const auto row_sum = hn::Set(di, p.row_sum);
  size_t j = 0;
  for (; j + lanes <= n; j += lanes) {
    auto acc = hn::Add(hn::LoadU(di, sums + j), hn::LoadU(di, p.column_terms + j));
    if (p.weight_zero_points) {
      acc = hn::Sub(acc, hn::Mul(hn::LoadU(di, p.weight_zero_points + j), row_sum));
    }
    auto v = hn::Mul(hn::ConvertTo(df, acc), hn::LoadU(df, p.multipliers + j));
    v = hn::Min(hn::Max(hn::IfThenZeroElse(hn::IsNaN(v), v), lowest), highest);
    hn::StoreU(hn::DemoteTo(dt, hn::Add(hn::NearestInt(v), zero_point)), dt, out + j);
  }
  SumRequantizeParams rest = p;
  if (rest.weight_zero_points) rest.weight_zero_points += j;
  rest.column_terms += j;
  rest.multipliers += j;
  scalar::RequantizeSums(sums + j, n - j, rest, out + j);
#endif
}

void RequantizeU8(const int32_t* sums, size_t n, const SumRequantizeParams& p, uint8_t* out) {
  Requantize(sums, n, p, out);
}
void RequantizeI8(const int32_t* sums, size_t n, const SumRequantizeParams& p, int8_t* out) {
  Requantize(sums, n, p, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(RequantizeU8);
HWY_EXPORT(RequantizeI8);

void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(RequantizeU8)(sums, n, p, out);
}
void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(RequantizeI8)(sums, n, p, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
