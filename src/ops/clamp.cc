#include "ops/clamp.h"
#include "ops/computable.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/elementwise_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::ops {
namespace {

using core::ElementParams;

// One end of a clamp: the channel's zero point, a float quantized with the
// channel's own parameters, or none (the dtype's own end).
struct Bound {
  enum class Kind { kNone, kZeroPoint, kValue };
  Kind kind = Kind::kNone;
  float value = 0.0f;
};

constexpr Bound kNoBound{};
constexpr Bound kZeroPoint{Bound::Kind::kZeroPoint, 0.0f};
Bound ValueBound(float value) { return {Bound::Kind::kValue, value}; }

template <typename T>
T IntegerBound(const Bound& bound, const ElementParams& params, size_t c, T none) {
  switch (bound.kind) {
    case Bound::Kind::kZeroPoint:
      return static_cast<T>(params.zero_point(c));
    case Bound::Kind::kValue:
      return kernels::scalar::QuantizeValue<T>(bound.value, params.channel.inv_scales[c],
                                               params.zero_point(c));
    case Bound::Kind::kNone:
      break;
  }
  return none;
}

// Runs at least this long are clamped with their own two bounds; shorter
// channel runs (a channel dim near the end) use a row of bounds instead.
constexpr size_t kLongRun = 64;

// out[k] = min(max(in[k], low), high) (kernels::ClampIntegers) over the row-major
// [outer][channels][inner] block of params, each channel with its own
// bounds; in may be out.
template <typename T>
void ClampBlock(const T* in, const ElementParams& params, const Bound& lower, const Bound& upper,
                T* out) {
  const T lowest = std::numeric_limits<T>::lowest(), highest = std::numeric_limits<T>::max();
  const size_t inner = params.inner, channels = params.channels;
  if (channels == 1 || inner >= kLongRun) {
    for (size_t o = 0; o < params.outer; ++o) {
      for (size_t c = 0; c < channels; ++c) {
        const T low = IntegerBound(lower, params, c, lowest);
        const T high = IntegerBound(upper, params, c, highest);
        kernels::ClampIntegers(in, inner, low, high, out);
        in += inner;
        out += inner;
      }
    }
    return;
  }
  const size_t row = channels * inner;
  std::vector<T> low(row), high(row);
  for (size_t c = 0; c < channels; ++c) {
    std::fill_n(low.begin() + c * inner, inner, IntegerBound(lower, params, c, lowest));
    std::fill_n(high.begin() + c * inner, inner, IntegerBound(upper, params, c, highest));
  }
  for (size_t o = 0; o < params.outer; ++o) {
    for (size_t k = 0; k < row; ++k) out[k] = std::min(std::max(in[k], low[k]), high[k]);
    in += row;
    out += row;
  }
}

void ClampWith(const uint8_t* in, const ElementParams& params, core::DType dtype,
               const Bound& lower, const Bound& upper, uint8_t* out) {
  core::VisitDType(dtype, [&](auto t) {
    using T = decltype(t);
    ClampBlock(reinterpret_cast<const T*>(in), params, lower, upper, reinterpret_cast<T*>(out));
  });
}

// dst (contiguous, src's shape and parameters) = src's integers clamped.
// op names the operator in messages.
void ClampInto(const core::Tensor& dst, const core::Tensor& src, const Bound& lower,
               const Bound& upper, const char* op) {
  RequireComputable(src, op);
  RequireComputable(dst, op);
  if (dst.numel() == 0) return;
  uint8_t* out = core::MutableFirstElement(dst);
  const uint8_t* in = out;
  if (src.IsContiguous()) {
    in = core::FirstElement(src);
  } else {
    core::IntRepr(src, out);  // then clamped in place
  }
  ClampWith(in, src.Params(), src.dtype(), lower, upper, out);
}

// A new contiguous tensor with src's parameters and its integers clamped.
core::Tensor ClampToNew(const core::Tensor& src, const Bound& lower, const Bound& upper,
                        const char* op) {
  RequireComputable(src, op);
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), src.EffectiveQuantizer());
  ClampInto(result, src, lower, upper, op);
  return result;
}

void CheckBound(float value, const char* name) {
  if (std::isnan(value)) {
    core::Fail(core::ErrorKind::kInvalidArgument, std::string("clamp: ") + name + " is NaN");
  }
}

}  // namespace

core::Tensor Relu(const core::Tensor& src) { return ClampToNew(src, kZeroPoint, kNoBound, "relu"); }

void ReluInPlace(const core::Tensor& tensor) {
  RequireComputable(tensor, "relu_");
  if (tensor.numel() == 0) return;
  const ElementParams params = tensor.Params();
  if (tensor.IsContiguous()) {
    ClampWith(core::FirstElement(tensor), params, tensor.dtype(), kZeroPoint, kNoBound,
              core::MutableFirstElement(tensor));
    return;
  }
  std::vector<uint8_t> ints(static_cast<size_t>(tensor.numel()) *
                            core::ElementSize(tensor.dtype()));
  core::IntRepr(tensor, ints.data());
  ClampWith(ints.data(), params, tensor.dtype(), kZeroPoint, kNoBound, ints.data());
  core::WriteIntRepr(tensor, ints.data());
}

core::Tensor Relu6(const core::Tensor& src) {
  return ClampToNew(src, kZeroPoint, ValueBound(6.0f), "relu6");
}

core::Tensor Clamp(const core::Tensor& src, float min, float max) {
  CheckBound(min, "min");
  CheckBound(max, "max");
  return ClampToNew(src, ValueBound(min), ValueBound(max), "clamp");
}

void ReluInto(const core::Tensor& dst, const core::Tensor& src) {
  ClampInto(dst, src, kZeroPoint, kNoBound, "relu");
}

void Relu6Into(const core::Tensor& dst, const core::Tensor& src) {
  ClampInto(dst, src, kZeroPoint, ValueBound(6.0f), "relu6");
}

void ClampInto(const core::Tensor& dst, const core::Tensor& src, float min, float max) {
  CheckBound(min, "min");
  CheckBound(max, "max");
  ClampInto(dst, src, ValueBound(min), ValueBound(max), "clamp");
}

}  // namespace qtensor::ops
