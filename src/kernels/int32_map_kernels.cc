// The int32 map (int32_map_kernels.h) in Google Highway 1.0.3, compiled once
// per target and dispatched at run time: each vector dequantized, mapped and
// quantized in registers with the lane operations the quantize and
// elementwise kernels use, so the bits are theirs.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/int32_map_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "kernels/int32_map_kernels.h"
#include "src/kernels/float_map_lanes-inl.h"
#include "src/kernels/int32_lanes-inl.h"
#include "src/kernels/kernel_loops-inl.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
void Map(const int32_t* in, size_t n, const Int32MapParams& p, int32_t* out) {
  scalar::MapInt32(in, n, p, out);
}
#else

template <Int32Map kMap>
HWY_INLINE void MapWith(const int32_t* in, size_t n, const Int32MapParams& p, int32_t* out) {
  const DF df;
  const VF scale = hn::Set(df, p.scale), slope = hn::Set(df, p.slope);
  const VF inv = hn::Set(df, p.inv_scale);
  const VI zp = hn::Set(DI(), static_cast<int32_t>(p.zero_point));
  const Int32ZeroPoint zp_out = MakeInt32ZeroPoint(p.out_zero_point);
  // Sigmoid's and tanh's results at their qint32 scales are mostly past
  // 2^30 steps: with a zero point of 0 they go straight to the int32 clamp.
  const bool clamp_only = (kMap == Int32Map::kSigmoid || kMap == Int32Map::kTanh) && zp_out.zero;
  // Sigmoid and tanh two vectors at a time (float_map_lanes-inl.h).
  constexpr size_t kVectors = kMap == Int32Map::kSigmoid || kMap == Int32Map::kTanh ? 2 : 1;
  const size_t lanes = hn::Lanes(df);
  ForEachBlock<kVectors * hn::MaxLanes(DF())>(
      in, n, out, 0, ShouldStream<int32_t>(n) && in != out,
      [&](auto streamed, size_t, const int32_t* q, int32_t* r) QTENSOR_KERNEL_OP {
        // 8 KiB ahead: a line per block; the hardware prefetcher alone left
        // requantize 1.5x and sigmoid 1.1x slower from memory.
        hwy::Prefetch(q + 2048);
        VF x[kVectors];
        for (size_t j = 0; j < kVectors; ++j) {
          x[j] = hn::Mul(Int32MinusToFloat(hn::LoadU(DI(), q + j * lanes), zp), scale);
          if constexpr (kMap == Int32Map::kLeakyRelu) x[j] = LeakyReluLanes(df, x[j], slope);
          if constexpr (kMap == Int32Map::kHardswish) x[j] = HardswishLanes(df, x[j]);
        }
        if constexpr (kMap == Int32Map::kSigmoid) SigmoidLanes(df, x);
        if constexpr (kMap == Int32Map::kTanh) TanhLanes(df, x);
        for (size_t j = 0; j < kVectors; ++j) {
          const VI q_out = clamp_only ? Quantize32ZeroZp(x[j], inv) : Quantize32(x[j], inv, zp_out);
          StoreVector<decltype(streamed)::value>(q_out, DI(), r + j * lanes);
        }
      });
}

void Map(const int32_t* in, size_t n, const Int32MapParams& p, int32_t* out) {
  switch (p.map) {
    case Int32Map::kIdentity:
      return MapWith<Int32Map::kIdentity>(in, n, p, out);
    case Int32Map::kLeakyRelu:
      return MapWith<Int32Map::kLeakyRelu>(in, n, p, out);
    case Int32Map::kHardswish:
      return MapWith<Int32Map::kHardswish>(in, n, p, out);
    case Int32Map::kSigmoid:
      return MapWith<Int32Map::kSigmoid>(in, n, p, out);
    case Int32Map::kTanh:
      return MapWith<Int32Map::kTanh>(in, n, p, out);
  }
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Map);

void MapInt32(const int32_t* in, size_t n, const Int32MapParams& p, int32_t* out) {
  HWY_DYNAMIC_DISPATCH(Map)(in, n, p, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
