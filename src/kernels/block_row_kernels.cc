// Per-block row kernels (block_row_kernels.h) in Google Highway 1.0.3: each
// block's whole vectors in SIMD code with its parameters broadcast, the rest
// of a block through the scalar formula.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/block_row_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "kernels/block_row_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// How far ahead of the loads to prefetch: 16 KiB (measured: 8 KiB and
// 32 KiB were slower).
constexpr size_t kPrefetchFloats = 4096;

template <typename T>
void QuantizeBytes(const float* in, const BlockRows& b, const float* inv_scales,
                   const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  const hn::ScalableTag<float> df;
  const hn::Rebind<int32_t, decltype(df)> di;
  const hn::Rebind<T, decltype(df)> d8;
  const size_t lanes = hn::Lanes(df);
  ForEachBlock(b, [&](size_t first, size_t count, size_t p) {
    const int32_t zp = zero_points[p];
    const auto inv = hn::Set(df, inv_scales[p]);
    const auto lo = hn::Set(di, qmin - zp), hi = hn::Set(di, qmax - zp);
    const auto z = hn::Set(di, zp);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      // Blocks are short: the hardware prefetcher alone left the loads
      // waiting on memory for half the time.
      hwy::Prefetch(in + first + i + kPrefetchFloats);
      const auto v = hn::Mul(hn::LoadU(df, in + first + i), inv);
      // NearestInt saturates; clamping before adding zp cannot overflow,
      // and a NaN lane becomes 0, so zp.
      auto q = hn::Min(hn::Max(hn::NearestInt(v), lo), hi);
      q = hn::Add(hn::IfThenElseZero(hn::RebindMask(di, hn::Eq(v, v)), q), z);
      hn::StoreU(hn::DemoteTo(d8, q), d8, reinterpret_cast<T*>(out + first + i));
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    scalar::QuantizeBlockRows(in + first + i, rest, inv_scales + p, zero_points + p, qmin, qmax,
                              out + first + i);
  });
}

template <typename T>
void DequantizeBytes(const uint8_t* in, const BlockRows& b, const float* scales,
                     const int32_t* zero_points, float* out) {
  const hn::ScalableTag<float> df;
  const hn::Rebind<int32_t, decltype(df)> di;
  const hn::Rebind<T, decltype(df)> d8;
  const size_t lanes = hn::Lanes(df);
  ForEachBlock(b, [&](size_t first, size_t count, size_t p) {
    const auto scale = hn::Set(df, scales[p]);
    const auto z = hn::Set(di, zero_points[p]);
    size_t i = 0;
    for (; i + lanes <= count; i += lanes) {
      const auto q = hn::PromoteTo(di, hn::LoadU(d8, reinterpret_cast<const T*>(in + first + i)));
      hn::StoreU(hn::Mul(hn::ConvertTo(df, hn::Sub(q, z)), scale), df, out + first + i);
    }
    if (i == count) return;
    const BlockRows rest{1, count - i, count - i};
    scalar::DequantizeBlockRows(in + first + i, std::is_signed_v<T>, rest, scales + p,
                                zero_points + p, out + first + i);
  });
}

void Quantize(const float* in, const BlockRows& b, const float* inv_scales,
              const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  if (qmin < 0) {
    QuantizeBytes<int8_t>(in, b, inv_scales, zero_points, qmin, qmax, out);
  } else {
    QuantizeBytes<uint8_t>(in, b, inv_scales, zero_points, qmin, qmax, out);
  }
}

void Dequantize(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                const int32_t* zero_points, float* out) {
  if (is_signed) {
    DequantizeBytes<int8_t>(in, b, scales, zero_points, out);
  } else {
    DequantizeBytes<uint8_t>(in, b, scales, zero_points, out);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Quantize);
HWY_EXPORT(Dequantize);

void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Quantize)(in, b, inv_scales, zero_points, qmin, qmax, out);
}

void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out) {
  HWY_DYNAMIC_DISPATCH(Dequantize)(in, is_signed, b, scales, zero_points, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
