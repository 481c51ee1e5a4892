// GGUF-rounding kernels (gguf_rounding_kernels.h) in Google Highway 1.0.3:
// runs of one scale with it broadcast, channel runs shorter than a vector
// with per-lane patterns of the inverse scales (kernel_loops-inl.h).

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/gguf_rounding_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cstdint>
#include <vector>

#include "kernels/gguf_block_kernels.h"
#include "kernels/gguf_rounding_kernels.h"
#include "src/kernels/int32_lanes-inl.h"
#include "src/kernels/kernel_loops-inl.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane: the scalar loops are this target's kernels.
void GgufChannels(GgufValues values, const float* in, const ChannelBlock& b, const float* scales,
                  uint8_t* out) {
  scalar::QuantizeGgufChannels(values, in, b, scales, out);
}
void GgufBlockRows(GgufValues values, const float* in, const BlockRows& b, const float* scales,
                   uint8_t* out) {
  scalar::QuantizeGgufBlockRows(values, in, b, scales, out);
}
#else

constexpr size_t kLanes = hn::MaxLanes(DF());

// Q8_0: clamp(roundf(x * id), -128, 127), NaN -> 0. roundf (ties away from
// zero) is trunc(v) plus v's sign where |v - trunc(v)| >= 0.5; that
// difference is exact, and +-inf give an inf trunc and a NaN difference,
// so no step, then the clamp.
struct Q8_0Lanes {
  using T = int8_t;
  HWY_INLINE VF operator()(VF x, VF id) const {
    const DF df;
    const VF v = hn::Mul(x, id);
    const VF whole = hn::Trunc(v);
    const VF half_or_more = hn::IfThenElseZero(
        hn::Ge(hn::Abs(hn::Sub(v, whole)), hn::Set(df, 0.5f)), hn::CopySign(hn::Set(df, 1.0f), v));
    const VF r = hn::IfThenZeroElse(hn::IsNaN(v), hn::Add(whole, half_or_more));
    return hn::Min(hn::Max(r, hn::Set(df, -128.0f)), hn::Set(df, 127.0f));
  }
};

// Q4_0: v = x * id + 8.5f (two roundings); 15 from 15 on, trunc(v) above 0,
// else (and NaN) 0.
struct Q4_0Lanes {
  using T = uint8_t;
  HWY_INLINE VF operator()(VF x, VF id) const {
    const DF df;
    const VF v = hn::Add(hn::Mul(x, id), hn::Set(df, 8.5f));
    const VF positive = hn::IfThenElseZero(hn::Gt(v, hn::Zero(df)), v);
    return hn::Min(hn::Trunc(positive), hn::Set(df, 15.0f));
  }
};

template <class Lanes>
HWY_INLINE void StoreLanes(VF q, uint8_t* p) {
  using T = typename Lanes::T;
  const DT<T> dt;
  hn::StoreU(hn::DemoteTo(dt, hn::ConvertTo(DI(), q)), dt, reinterpret_cast<T*>(p));
}

template <class Lanes>
void QuantizeChannels(const float* in, const ChannelBlock& b, const float* scales, uint8_t* out) {
  if (b.outer == 0 || b.channels == 0 || b.inner == 0) return;
  const DF df;
  const Lanes lanes;
  std::vector<float> ids(b.channels);
  for (size_t c = 0; c < b.channels; ++c) ids[c] = scalar::GgufInverseScale(scales[c]);
  if (b.inner >= kLanes) {
    ForEachChannelRun<kLanes>(in, b.outer, b.channels, b.inner, out, false,
                              [&](auto, size_t c, const float* x, uint8_t* q) QTENSOR_KERNEL_OP {
                                StoreLanes<Lanes>(lanes(hn::LoadU(df, x), hn::Set(df, ids[c])), q);
                              });
    return;
  }
  const LanePattern<float> id(ids.data(), b.outer, b.channels, b.inner, kLanes);
  ForEachBlock<kLanes>(in, b.outer * b.channels * b.inner, out, id.period(), false,
                       [&](auto, size_t j, const float* x, uint8_t* q) QTENSOR_KERNEL_OP {
                         StoreLanes<Lanes>(lanes(hn::LoadU(df, x), hn::LoadU(df, id.data() + j)),
                                           q);
                       });
}

template <class Lanes>
void QuantizeBlocks(const float* in, const BlockRows& b, const float* scales, uint8_t* out) {
  const DF df;
  const Lanes lanes;
  ForEachRowBlock(b, [&](const Block& block) {
    const VF id = hn::Set(df, scalar::GgufInverseScale(scales[block.param]));
    const size_t first = block.first;
    ForEachBlock<kLanes>(in + first, block.count, out + first, 0, false,
                         [&](auto, size_t, const float* x, uint8_t* q) QTENSOR_KERNEL_OP {
                           StoreLanes<Lanes>(lanes(hn::LoadU(df, x), id), q);
                         });
  });
}

void GgufChannels(GgufValues values, const float* in, const ChannelBlock& b, const float* scales,
                  uint8_t* out) {
  if (values == GgufValues::kQ4_0) {
    QuantizeChannels<Q4_0Lanes>(in, b, scales, out);
  } else {
    QuantizeChannels<Q8_0Lanes>(in, b, scales, out);
  }
}

void GgufBlockRows(GgufValues values, const float* in, const BlockRows& b, const float* scales,
                   uint8_t* out) {
  if (values == GgufValues::kQ4_0) {
    QuantizeBlocks<Q4_0Lanes>(in, b, scales, out);
  } else {
    QuantizeBlocks<Q8_0Lanes>(in, b, scales, out);
  }
}

#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(GgufChannels);
HWY_EXPORT(GgufBlockRows);

void QuantizeGgufChannels(GgufValues values, const float* in, const ChannelBlock& b,
                          const float* scales, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(GgufChannels)(values, in, b, scales, out);
}

void QuantizeGgufBlockRows(GgufValues values, const float* in, const BlockRows& b,
                           const float* scales, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(GgufBlockRows)(values, in, b, scales, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
