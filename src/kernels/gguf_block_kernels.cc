// GGUF's Q8_0 and Q4_0 blocks (gguf_block_kernels.h) in Google Highway
// 1.0.3, compiled once per target and dispatched at run time. A block of 32
// floats is 32 / N vectors; its scale is found with one reduction, then
// computed in scalar code exactly as the scalar kernels do. A Q8_0 block
// holding a NaN goes to the scalar kernel: there ggml's MAX depends on where
// the NaN is, which a reduction cannot see. On the AVX-512 targets Q4_0
// takes sixteen blocks at a time (q4_0_groups-inl.h).

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/gguf_block_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"
#include "kernels/quantize_kernels.h"      // kStreamBytes
#include "src/kernels/kernel_loops-inl.h"  // StoreVector, WithStreamedStores
#include "src/kernels/q4_0_groups-inl.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
void Q8_0(const float* in, size_t n, uint8_t* out) { scalar::QuantizeQ8_0(in, n, out); }
void Q4_0(const float* in, size_t n, uint8_t* out) { scalar::QuantizeQ4_0(in, n, out); }
void FromQ8_0(const uint8_t* in, size_t n, float* out) { scalar::DequantizeQ8_0(in, n, out); }
void FromQ4_0(const uint8_t* in, size_t n, float* out) { scalar::DequantizeQ4_0(in, n, out); }
#else

// At most 16 lanes, so that half a block is whole vectors.
using DF = hn::CappedTag<float, 16>;
using DI = hn::Rebind<int32_t, DF>;
using VF = hn::Vec<DF>;
using VI = hn::Vec<DI>;

// scalar::X86FloatToInt8 of each lane (truncated toward zero by ConvertTo),
// sign-extended to int32: out-of-range and NaN lanes (INT32_MIN on x86,
// whose low byte is 0) give 0.
HWY_INLINE VI ToInt8Lanes(VF v) {
  const DF df;
  const DI di;
  const auto in_range = hn::And(hn::Ge(v, hn::Set(df, -0x1p31f)), hn::Lt(v, hn::Set(df, 0x1p31f)));
  const VI i = hn::ConvertTo(di, hn::IfThenElseZero(in_range, v));
  return hn::ShiftRight<24>(hn::ShiftLeft<24>(hn::IfThenElseZero(hn::RebindMask(di, in_range), i)));
}

// roundf: half away from zero. v - trunc(v) is exact.
HWY_INLINE VF RoundHalfAway(VF v) {
  const DF df;
  const VF t = hn::Trunc(v);
  const auto up = hn::Ge(hn::Abs(hn::Sub(v, t)), hn::Set(df, 0.5f));
  return hn::Add(t, hn::IfThenElseZero(up, hn::CopySign(hn::Set(df, 1.0f), v)));
}

void Q8_0(const float* in, size_t n, uint8_t* out) {
  const DF df;
  const hn::Rebind<int8_t, DF> d8;
  const size_t N = hn::Lanes(df);
  for (size_t b = 0; b < n / kGgufBlock; ++b, out += kQ8_0BlockBytes) {
    const float* x = in + b * kGgufBlock;
    VF amax = hn::Zero(df);
    VF nan = hn::Zero(df);
    for (size_t k = 0; k < kGgufBlock; k += N) {
      const VF v = hn::LoadU(df, x + k);
      amax = hn::Max(amax, hn::Abs(v));
      nan = hn::Or(nan, hn::VecFromMask(df, hn::IsNaN(v)));
    }
    if (!hn::AllFalse(df, hn::MaskFromVec(nan))) {
      scalar::QuantizeQ8_0(x, kGgufBlock, out);
      continue;
    }
    const float d = hn::GetLane(hn::MaxOfLanes(df, amax)) / 127.0f;
    const float id = scalar::GgufInverseScale(d);
    StoreHalf(d, out);
    const VF vid = hn::Set(df, id);
    for (size_t k = 0; k < kGgufBlock; k += N) {
      const VI q = ToInt8Lanes(RoundHalfAway(hn::Mul(hn::LoadU(df, x + k), vid)));
      hn::StoreU(hn::DemoteTo(d8, q), d8, reinterpret_cast<int8_t*>(out + 2 + k));
    }
  }
}

// min(15, I8(x * id + 8.5f)) as int32 lanes.
HWY_INLINE VI Q4Lanes(const float* x, VF id) {
  const DF df;
  const DI di;
  const VF t = hn::Add(hn::Mul(hn::LoadU(df, x), id), hn::Set(df, 8.5f));
  return hn::Min(ToInt8Lanes(t), hn::Set(di, 15));
}

void Q4_0(const float* in, size_t n, uint8_t* out) {
  const DF df;
  const DI di;
  const hn::Rebind<uint8_t, DF> d8;
  const size_t N = hn::Lanes(df);
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  return Q4_0Groups(in, n / kGgufBlock, out);
#endif
  for (size_t b = 0; b < n / kGgufBlock; ++b, out += kQ4_0BlockBytes) {
    const float* x = in + b * kGgufBlock;
    // The largest magnitude, NaN counting as 0 (it never wins), then the
    // first element that has it, with its sign.
    VF amax = hn::Zero(df);
    for (size_t k = 0; k < kGgufBlock; k += N) {
      const VF v = hn::LoadU(df, x + k);
      amax = hn::Max(amax, hn::IfThenZeroElse(hn::IsNaN(v), hn::Abs(v)));
    }
    const VF top = hn::MaxOfLanes(df, amax);
    float max = 0.0f;
    if (hn::GetLane(top) > 0.0f) {
      for (size_t k = 0; k < kGgufBlock; k += N) {
        const intptr_t first = hn::FindFirstTrue(df, hn::Eq(hn::Abs(hn::LoadU(df, x + k)), top));
        if (first >= 0) {
          max = x[k + static_cast<size_t>(first)];
          break;
        }
      }
    }
    const float d = max / -8.0f;
    const float id = scalar::GgufInverseScale(d);
    StoreHalf(d, out);
    const VF vid = hn::Set(df, id);
    for (size_t k = 0; k < kGgufBlock / 2; k += N) {
      const VI lo = hn::And(Q4Lanes(x + k, vid), hn::Set(di, 0xff));
      const VI hi = hn::And(hn::ShiftLeft<4>(Q4Lanes(x + k + 16, vid)), hn::Set(di, 0xf0));
      hn::StoreU(hn::DemoteTo(d8, hn::Or(lo, hi)), d8, out + 2 + k);
    }
  }
}

// Whether a dequantize of n values into out streams its floats: kStreamBytes
// or more, out aligned to the vectors (blocks are whole vectors, so every
// store is then aligned). Non-temporal stores skip reading each destination
// line first.
bool StreamsDequantized(size_t n, const float* out) {
  return n * sizeof(float) >= kStreamBytes &&
         reinterpret_cast<uintptr_t>(out) % (hn::Lanes(DF()) * sizeof(float)) == 0;
}

void FromQ8_0(const uint8_t* in, size_t n, float* out) {
  const DF df;
  const DI di;
  const hn::Rebind<int8_t, DF> d8;
  const size_t N = hn::Lanes(df);
  WithStreamedStores(StreamsDequantized(n, out), [&](auto streamed) {
    const uint8_t* block = in;
    for (size_t b = 0; b < n / kGgufBlock; ++b, block += kQ8_0BlockBytes) {
      const VF d = hn::Set(df, LoadHalf(block));
      const auto* q = reinterpret_cast<const int8_t*>(block + 2);
      for (size_t k = 0; k < kGgufBlock; k += N) {
        const VF v = hn::ConvertTo(df, hn::PromoteTo(di, hn::LoadU(d8, q + k)));
        StoreVector<decltype(streamed)::value>(hn::Mul(v, d), DF(), out + b * kGgufBlock + k);
      }
    }
  });
}

void FromQ4_0(const uint8_t* in, size_t n, float* out) {
  const DF df;
  const DI di;
  const hn::Rebind<uint8_t, DF> d8;
  const size_t N = hn::Lanes(df);
  const VI eight = hn::Set(di, 8);
  WithStreamedStores(StreamsDequantized(n, out), [&](auto streamed) {
    const uint8_t* block = in;
    for (size_t b = 0; b < n / kGgufBlock; ++b, block += kQ4_0BlockBytes) {
      const VF d = hn::Set(df, LoadHalf(block));
      float* y = out + b * kGgufBlock;
      for (size_t k = 0; k < kGgufBlock / 2; k += N) {
        const VI bytes = hn::PromoteTo(di, hn::LoadU(d8, block + 2 + k));
        const VI lo = hn::Sub(hn::And(bytes, hn::Set(di, 0x0f)), eight);
        const VI hi = hn::Sub(hn::ShiftRight<4>(bytes), eight);
        StoreVector<decltype(streamed)::value>(hn::Mul(hn::ConvertTo(df, lo), d), DF(), y + k);
        StoreVector<decltype(streamed)::value>(hn::Mul(hn::ConvertTo(df, hi), d), DF(), y + k + 16);
      }
    }
  });
}
#endif  // HWY_TARGET == HWY_SCALAR

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Q8_0);
HWY_EXPORT(Q4_0);
HWY_EXPORT(FromQ8_0);
HWY_EXPORT(FromQ4_0);

void QuantizeQ8_0(const float* in, size_t n, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Q8_0)(in, n, out);
}
void QuantizeQ4_0(const float* in, size_t n, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Q4_0)(in, n, out);
}
void DequantizeQ8_0(const uint8_t* in, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(FromQ8_0)(in, n, out);
}
void DequantizeQ4_0(const uint8_t* in, size_t n, float* out) {
  HWY_DYNAMIC_DISPATCH(FromQ4_0)(in, n, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
