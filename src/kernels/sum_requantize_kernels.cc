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
#include <type_traits>

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
  // Locals: stores to out could alias the parameters' arrays for the compiler.
  const int32_t* weight_zero_points = p.weight_zero_points;
  const int32_t* column_terms = p.column_terms;
  const float* multipliers = p.multipliers;
  // The product, NaN as 0, clamped: within [lowest, highest] from here on.
  const auto clamped = [&](size_t j) HWY_ATTR {
    auto acc = hn::Add(hn::LoadU(di, sums + j), hn::LoadU(di, column_terms + j));
    if (weight_zero_points) {
      acc = hn::Sub(acc, hn::Mul(hn::LoadU(di, weight_zero_points + j), row_sum));
    }
    const auto v = hn::Mul(hn::ConvertTo(df, acc), hn::LoadU(df, multipliers + j));
    return hn::Min(hn::Max(hn::IfThenZeroElse(hn::IsNaN(v), v), lowest), highest);
  };
  size_t j = 0;
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  // 64 outputs a step: the clamped values convert without overflow
  // (vcvtps2dq, half to even), and two saturating packs (saturating
  // nothing) and a permute of 32-bit lanes narrow four vectors at once.
  const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  const auto rounded = [&](size_t k) HWY_ATTR {
    return _mm512_add_epi32(_mm512_cvtps_epi32(clamped(k).raw), zero_point.raw);
  };
  for (; j + 4 * lanes <= n; j += 4 * lanes) {
    const __m512i low = _mm512_packs_epi32(rounded(j), rounded(j + lanes));
    const __m512i high = _mm512_packs_epi32(rounded(j + 2 * lanes), rounded(j + 3 * lanes));
    const __m512i bytes =
        std::is_signed_v<T> ? _mm512_packs_epi16(low, high) : _mm512_packus_epi16(low, high);
    _mm512_storeu_si512(out + j, _mm512_permutexvar_epi32(order, bytes));
  }
#elif HWY_TARGET == HWY_AVX2
  // The same with four vectors of 8: 32 outputs a step.
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  const auto rounded = [&](size_t k) HWY_ATTR {
    return _mm256_add_epi32(_mm256_cvtps_epi32(clamped(k).raw), zero_point.raw);
  };
  for (; j + 4 * lanes <= n; j += 4 * lanes) {
    const __m256i low = _mm256_packs_epi32(rounded(j), rounded(j + lanes));
    const __m256i high = _mm256_packs_epi32(rounded(j + 2 * lanes), rounded(j + 3 * lanes));
    const __m256i bytes =
        std::is_signed_v<T> ? _mm256_packs_epi16(low, high) : _mm256_packus_epi16(low, high);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j),
                        _mm256_permutevar8x32_epi32(bytes, order));
  }
#endif
  for (; j + lanes <= n; j += lanes) {
    hn::StoreU(hn::DemoteTo(dt, hn::Add(hn::NearestInt(clamped(j)), zero_point)), dt, out + j);
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
