// Depthwise sums (depthwise_kernels.h) in Google Highway 1.0.3, compiled once
// per target and dispatched at run time: a vector of channels at a time,
// every tap added into the same int32 lanes.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/depthwise_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/depthwise_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void Sums(const uint8_t* const* inputs, const int32_t* const* weights, size_t taps,
          int32_t zero_point, size_t pixels, size_t pixel_step, size_t first, size_t end,
          int32_t* sums) {
  size_t c = first;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<int32_t> di;
  const hn::Rebind<uint8_t, decltype(di)> d8;
  const hn::Rebind<uint32_t, decltype(di)> du;
  const size_t lanes = hn::Lanes(di);
  const auto zero = hn::Set(di, zero_point);
  for (size_t q = 0; q < pixels; ++q) {
    const size_t offset = q * pixel_step;
    for (c = first; c + lanes <= end; c += lanes) {
      auto sum = hn::Zero(di);
      for (size_t t = 0; t < taps; ++t) {
        const auto x = hn::Sub(
            hn::BitCast(di, hn::PromoteTo(du, hn::LoadU(d8, inputs[t] + offset + c))), zero);
        sum = hn::Add(sum, hn::Mul(x, hn::LoadU(di, weights[t] + c)));
      }
      hn::StoreU(sum, di, sums + q * end + c);
    }
  }
#endif
  // The channels past the last whole vector, every pixel.
  scalar::DepthwiseSums(inputs, weights, taps, zero_point, pixels, pixel_step, c, end, sums);
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Sums);

void DepthwiseSums(const uint8_t* const* inputs, const int32_t* const* weights, size_t taps,
                   int32_t zero_point, size_t pixels, size_t pixel_step, size_t first, size_t end,
                   int32_t* sums) {
  HWY_DYNAMIC_DISPATCH(Sums)
  (inputs, weights, taps, zero_point, pixels, pixel_step, first, end, sums);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
