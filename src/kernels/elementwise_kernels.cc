// Elementwise kernels (elementwise_kernels.h) in Google Highway 1.0.3,
// compiled once per target and dispatched at run time. Whole vectors go
// through SIMD code and the last partial vector through the scalar kernel,
// so no access passes the arrays' ends.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/elementwise_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstdint>

#include "kernels/elementwise_kernels.h"
#include "kernels/quantize_kernels.h"  // kStreamBytes
#include "src/kernels/float_map_lanes-inl.h"
#include "src/kernels/kernel_loops-inl.h"  // QTENSOR_KERNEL_OP

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <bool kStream, typename T>
HWY_INLINE void ClampVectors(const T* in, size_t n, T low, T high, T* out) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  const auto lower = hn::Set(d, low), upper = hn::Set(d, high);
  for (size_t i = 0; i + lanes <= n; i += lanes) {
    const auto v = hn::Min(hn::Max(hn::LoadU(d, in + i), lower), upper);
    if constexpr (kStream) {
      hn::Stream(v, d, out + i);
    } else {
      hn::StoreU(v, d, out + i);
    }
  }
}

// Outputs too large for the caches (not in place) are streamed: non-temporal
// stores skip reading each line before overwriting it. They need out aligned
// to the vector, so a head goes the scalar way first.
template <typename T>
void Clamp(const T* in, size_t n, T low, T high, T* out) {
  const size_t lanes = hn::Lanes(hn::ScalableTag<T>());
  const bool stream = n * sizeof(T) >= kStreamBytes && in != out &&
                      reinterpret_cast<uintptr_t>(out) % sizeof(T) == 0;
  size_t head = 0;
  if (stream) {
    const size_t bytes = lanes * sizeof(T);
    head = std::min(n, (bytes - reinterpret_cast<uintptr_t>(out) % bytes) % bytes / sizeof(T));
    scalar::ClampIntegers(in, head, low, high, out);
  }
  const size_t body = (n - head) / lanes * lanes;
  if (stream) {
    ClampVectors<true>(in + head, body, low, high, out + head);
    hwy::FlushStream();
  } else {
    ClampVectors<false>(in + head, body, low, high, out + head);
  }
  scalar::ClampIntegers(in + head + body, n - head - body, low, high, out + head + body);
}

void ClampI8(const int8_t* in, size_t n, int8_t low, int8_t high, int8_t* out) {
  Clamp(in, n, low, high, out);
}
void ClampU8(const uint8_t* in, size_t n, uint8_t low, uint8_t high, uint8_t* out) {
  Clamp(in, n, low, high, out);
}
void ClampI32(const int32_t* in, size_t n, int32_t low, int32_t high, int32_t* out) {
  Clamp(in, n, low, high, out);
}

void Add(const float* a, const float* b, size_t n, bool relu, float* out) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  const auto zero = hn::Zero(d);
  size_t i = 0;
  if (relu) {
    for (; i + lanes <= n; i += lanes) {
      const auto sum = hn::Add(hn::LoadU(d, a + i), hn::LoadU(d, b + i));
      // sum > 0 ? sum : 0, so NaN and -0 give +0 as in the scalar kernel.
      hn::StoreU(hn::IfThenElse(hn::Gt(sum, zero), sum, zero), d, out + i);
    }
  } else {
    for (; i + lanes <= n; i += lanes) {
      hn::StoreU(hn::Add(hn::LoadU(d, a + i), hn::LoadU(d, b + i)), d, out + i);
    }
  }
  scalar::AddFloats(a + i, b + i, n - i, relu, out + i);
}

// Whole vectors through a lane map, the last partial vector through its
// scalar kernel (tail).
template <class LaneMap, class Tail>
HWY_INLINE void MapFloatVectors(const float* in, size_t n, float* out, const LaneMap& map,
                                const Tail& tail) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) hn::StoreU(map(d, hn::LoadU(d, in + i)), d, out + i);
  tail(in + i, n - i, out + i);
}

void LeakyRelu(const float* in, size_t n, float slope, float* out) {
  const auto factor = hn::Set(hn::ScalableTag<float>(), slope);
  MapFloatVectors(
      in, n, out, [&](auto d, auto x) QTENSOR_KERNEL_OP { return LeakyReluLanes(d, x, factor); },
      [slope](const float* tail_in, size_t count, float* tail_out) {
        scalar::LeakyReluFloats(tail_in, count, slope, tail_out);
      });
}

void Hardswish(const float* in, size_t n, float* out) {
  MapFloatVectors(
      in, n, out, [](auto d, auto x) QTENSOR_KERNEL_OP { return HardswishLanes(d, x); },
      scalar::HardswishFloats);
}

void Sigmoid(const float* in, size_t n, float* out) {
  MapFloatVectors(
      in, n, out, [](auto d, auto x) QTENSOR_KERNEL_OP { return SigmoidLanes(d, x); },
      scalar::SigmoidFloats);
}

void Tanh(const float* in, size_t n, float* out) {
  MapFloatVectors(
      in, n, out, [](auto d, auto x) QTENSOR_KERNEL_OP { return TanhLanes(d, x); },
      scalar::TanhFloats);
}

// 8-bit integers widened to int32: (a - za) * (b - zb) is exact there (at
// most 255 * 255), and its conversion to float rounds once.
template <typename T>
void Multiply(const T* a, int64_t za, const T* b, int64_t zb, size_t n, float* out) {
  const hn::ScalableTag<float> df;
  const hn::RebindToSigned<decltype(df)> di;
  const hn::Rebind<T, decltype(di)> dt;
  const size_t lanes = hn::Lanes(di);
  const auto zero_a = hn::Set(di, static_cast<int32_t>(za));
  const auto zero_b = hn::Set(di, static_cast<int32_t>(zb));
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    const auto x = hn::Sub(hn::PromoteTo(di, hn::LoadU(dt, a + i)), zero_a);
    const auto y = hn::Sub(hn::PromoteTo(di, hn::LoadU(dt, b + i)), zero_b);
    hn::StoreU(hn::ConvertTo(df, hn::Mul(x, y)), df, out + i);
  }
  scalar::MultiplyCentered(a + i, za, b + i, zb, n - i, out + i);
}

void MultiplyI8(const int8_t* a, int64_t za, const int8_t* b, int64_t zb, size_t n, float* out) {
  Multiply(a, za, b, zb, n, out);
}
void MultiplyU8(const uint8_t* a, int64_t za, const uint8_t* b, int64_t zb, size_t n, float* out) {
  Multiply(a, za, b, zb, n, out);
}

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(ClampI8);
HWY_EXPORT(ClampU8);
HWY_EXPORT(ClampI32);
HWY_EXPORT(Add);
HWY_EXPORT(LeakyRelu);
HWY_EXPORT(Hardswish);
HWY_EXPORT(Sigmoid);
HWY_EXPORT(Tanh);
HWY_EXPORT(MultiplyI8);
HWY_EXPORT(MultiplyU8);

void ClampIntegers(const int8_t* in, size_t n, int8_t low, int8_t high, int8_t* out) {
  HWY_DYNAMIC_DISPATCH(ClampI8)(in, n, low, high, out);
}
void ClampIntegers(const uint8_t* in, size_t n, uint8_t low, uint8_t high, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(ClampU8)(in, n, low, high, out);
}
void ClampIntegers(const int32_t* in, size_t n, int32_t low, int32_t high, int32_t* out) {
  HWY_DYNAMIC_DISPATCH(ClampI32)(in, n, low, high, out);
}
void AddFloats(const float* a, const float* b, size_t n, bool relu, float* out) {
  HWY_DYNAMIC_DISPATCH(Add)(a, b, n, relu, out);
}
void LeakyReluFloats(const float* in, size_t n, float slope, float* out) {
  HWY_DYNAMIC_DISPATCH(LeakyRelu)(in, n, slope, out);
}
void HardswishFloats(const float* in, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(Hardswish)(in, n, out);
}
void SigmoidFloats(const float* in, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(Sigmoid)(in, n, out);
}
void TanhFloats(const float* in, size_t n, float* out) { HWY_DYNAMIC_DISPATCH(Tanh)(in, n, out); }
void MultiplyCentered(const int8_t* a, int64_t za, const int8_t* b, int64_t zb, size_t n,
                      float* out) {
  HWY_DYNAMIC_DISPATCH(MultiplyI8)(a, za, b, zb, n, out);
}
void MultiplyCentered(const uint8_t* a, int64_t za, const uint8_t* b, int64_t zb, size_t n,
                      float* out) {
  HWY_DYNAMIC_DISPATCH(MultiplyU8)(a, za, b, zb, n, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
