// Depthwise sums (depthwise_kernels.h) in Google Highway 1.0.3, compiled once
// per target and dispatched at run time: a vector of channels at a time,
// every tap added into the same int32 lanes.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/depthwise_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <vector>

#include "kernels/depthwise_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// From this many pixels per call, Sums pairs the taps.
constexpr size_t kPairedFrom = 8;

// Taps are taken two at a time: an int32 lane holds the two taps' inputs as
// int16 (the even tap's in the low half) and their weights alike, and one
// vpmaddwd (ReorderWidenMulAccumulate) adds both products, where widening,
// centering and multiplying each tap's inputs in int32 took five
// instructions (vpmulld is two). The inputs are not centered: the zero
// point's share, zero_point * sum_t weights[t][c], is subtracted instead
// (inputs below 256 and weights within int16 keep every pair exact; the
// wrapping int32 sums then equal the centered ones). With fewer than
// kPairedFrom pixels a call, pairing the weights costs more than it saves,
// and each tap is taken on its own.
void Sums(const uint8_t* const* inputs, const int32_t* const* weights, size_t taps,
          int32_t zero_point, size_t pixels, size_t pixel_step, size_t first, size_t end,
          int32_t* sums) {
  size_t c = first;
#if HWY_TARGET != HWY_SCALAR
  const hn::ScalableTag<int32_t> di;
  const hn::Repartition<int16_t, decltype(di)> d16;
  const hn::Rebind<uint8_t, decltype(di)> d8;
  const size_t lanes = hn::Lanes(di);
  const size_t vectors_end = first + (end - first) / lanes * lanes;
  const size_t width = vectors_end - first;
  if (pixels < kPairedFrom) {
    // Too few pixels to pay for pairing the weights: each tap on its own.
    const hn::Rebind<uint32_t, decltype(di)> du;
    const auto zero = hn::Set(di, zero_point);
    for (size_t q = 0; q < pixels; ++q) {
      const size_t offset = q * pixel_step;
      for (c = first; c < vectors_end; c += lanes) {
        auto sum = hn::Zero(di);
        for (size_t t = 0; t < taps; ++t) {
          const auto x = hn::Sub(
              hn::BitCast(di, hn::PromoteTo(du, hn::LoadU(d8, inputs[t] + offset + c))), zero);
          sum = hn::Add(sum, hn::Mul(x, hn::LoadU(di, weights[t] + c)));
        }
        hn::StoreU(sum, di, sums + q * end + c);
      }
    }
    scalar::DepthwiseSums(inputs, weights, taps, zero_point, pixels, pixel_step, vectors_end, end,
                          sums);
    return;
  }
  const size_t pairs = (taps + 1) / 2;
  // paired[p * width + c - first]: the weights of taps 2p and 2p + 1 (0
  // past the last tap) as int16 halves; shares[c - first]: the zero
  // point's share.
  thread_local std::vector<int32_t> paired, shares;
  paired.resize(pairs * width);
  shares.resize(width);
  for (size_t j = 0; j < width; ++j) {
    uint32_t share = 0;
    for (size_t t = 0; t < taps; ++t) {
      share += static_cast<uint32_t>(weights[t][first + j]) * static_cast<uint32_t>(zero_point);
    }
    shares[j] = static_cast<int32_t>(share);
    for (size_t pair = 0; pair < pairs; ++pair) {
      const auto low = static_cast<uint16_t>(weights[2 * pair][first + j]);
      const uint16_t high =
          2 * pair + 1 < taps ? static_cast<uint16_t>(weights[2 * pair + 1][first + j]) : 0;
      paired[pair * width + j] = static_cast<int32_t>(uint32_t{low} | uint32_t{high} << 16);
    }
  }
  for (size_t q = 0; q < pixels; ++q) {
    const size_t offset = q * pixel_step;
    for (c = first; c < vectors_end; c += lanes) {
      auto sum = hn::Neg(hn::LoadU(di, shares.data() + (c - first)));
      auto unused = hn::Zero(di);  // ReorderWidenMulAccumulate's second sum: x86 has none
      for (size_t pair = 0; pair < pairs; ++pair) {
        auto x = hn::PromoteTo(di, hn::LoadU(d8, inputs[2 * pair] + offset + c));
        if (2 * pair + 1 < taps) {
          const auto odd = hn::PromoteTo(di, hn::LoadU(d8, inputs[2 * pair + 1] + offset + c));
          x = hn::Or(x, hn::ShiftLeft<16>(odd));
        }
        const auto w = hn::LoadU(di, paired.data() + pair * width + (c - first));
        sum = hn::ReorderWidenMulAccumulate(di, hn::BitCast(d16, x), hn::BitCast(d16, w), sum,
                                            unused);
      }
      hn::StoreU(hn::Add(sum, unused), di, sums + q * end + c);
    }
  }
  c = vectors_end;
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
