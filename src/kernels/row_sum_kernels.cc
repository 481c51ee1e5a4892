// Row sums (row_sum_kernels.h) in Google Highway 1.0.3, compiled once per
// target and dispatched at run time: SumsOf8 (psadbw on x86) adds eight
// bytes into each 64-bit lane, a vector of bytes at a time.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/row_sum_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/row_sum_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void Sums(const uint8_t* a, size_t rows, size_t depth, size_t stride, int32_t* sums) {
#if HWY_TARGET == HWY_SCALAR
  scalar::RowSums(a, rows, depth, stride, sums);
#else
  const hn::ScalableTag<uint8_t> d8;
  const hn::Repartition<uint64_t, decltype(d8)> d64;
  const size_t lanes = hn::Lanes(d8);
  for (size_t i = 0; i < rows; ++i) {
    const uint8_t* row = a + i * stride;
    auto total = hn::Zero(d64);
    size_t k = 0;
    for (; k + lanes <= depth; k += lanes)
      total = hn::Add(total, hn::SumsOf8(hn::LoadU(d8, row + k)));
    int32_t sum = static_cast<int32_t>(hn::GetLane(hn::SumOfLanes(d64, total)));
    for (; k < depth; ++k) sum += row[k];
    sums[i] = sum;
  }
#endif
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Sums);

void RowSums(const uint8_t* a, size_t rows, size_t depth, size_t stride, int32_t* sums) {
  HWY_DYNAMIC_DISPATCH(Sums)(a, rows, depth, stride, sums);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
