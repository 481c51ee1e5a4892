#include "ops/scalar_binary.h"
#include "ops/computable.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::ops {
namespace {

using core::Tensor;

// The input's one scale and zero point; throws for per-channel inputs and a
// non-finite number.
core::Quantizer PerTensorInput(const Tensor& src, double other, const char* name) {
  core::Quantizer quantizer = src.EffectiveQuantizer();
  if (quantizer.per_channel()) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               std::string(name) + ": the tensor must be quantized per tensor, as in PyTorch");
  }
  if (!std::isfinite(other)) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               std::string(name) + ": other = " + std::to_string(other) + " is not finite");
  }
  return quantizer;
}

// A new contiguous tensor of src's integers (each mapped by f) with
// quantizer's parameters.
template <class Map>
Tensor MapIntegers(const Tensor& src, const core::Quantizer& quantizer, const Map& map) {
  RequireComputable(src, "add_scalar / mul_scalar");
  Tensor result = Tensor::ForOverwrite(src.shape(), quantizer);
  if (result.numel() == 0) return result;
  uint8_t* out = core::MutableFirstElement(result);
  core::IntRepr(src, out);
  core::VisitDType(src.dtype(), [&](auto t) {
    using T = decltype(t);
    T* ints = reinterpret_cast<T*>(out);
    const size_t n = static_cast<size_t>(result.numel());
    for (size_t i = 0; i < n; ++i) ints[i] = map(ints[i]);
  });
  return result;
}

}  // namespace

Tensor AddScalar(const Tensor& src, double other, bool relu) {
  const char* name = relu ? "add_scalar_relu" : "add_scalar";
  const core::Quantizer input = PerTensorInput(src, other, name);
  const double scale = input.scales()[0];
  const int64_t zero_point = input.zero_points()[0];
  const double steps = std::nearbyint(other / scale);
  // PyTorch passes c_q to its kernel as an int32 and fails past that range.
  if (!(std::abs(steps) <= std::numeric_limits<int32_t>::max())) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               std::string(name) + ": other / scale = " + std::to_string(other / scale) +
                   " is out of the int32 range");
  }
  const int64_t c_q = static_cast<int64_t>(steps);
  const int64_t q_min = core::QMin(src.dtype()), q_max = core::QMax(src.dtype());
  const int64_t shifted = zero_point - c_q;
  if (shifted >= q_min && shifted <= q_max) {
    // Every sum is representable: only the zero point moves.
    const core::Quantizer output = core::Quantizer::PerTensor(src.dtype(), scale, shifted);
    return MapIntegers(src, output, [&](auto q) {
      using T = decltype(q);
      return relu ? std::max(q, static_cast<T>(shifted)) : q;
    });
  }
  // The range [q_min, q_max] is stretched to reach the sums, with zero point
  // at the end the shift went past, and every integer requantized.
  const double range = static_cast<double>(q_max) - static_cast<double>(q_min);
  const bool below = shifted < q_min;
  const double new_scale =
      below ? (static_cast<double>(q_max) - static_cast<double>(shifted)) / range * scale
            : (static_cast<double>(shifted) - static_cast<double>(q_min)) / range * scale;
  const int64_t new_zero_point = below ? q_min : q_max;
  const core::Quantizer output = core::Quantizer::PerTensor(src.dtype(), new_scale, new_zero_point);
  // PyTorch's requantize_from_int: (float)scale * (1 / (float)new_scale).
  const float multiplier = static_cast<float>(scale) * (1.0f / static_cast<float>(new_scale));
  return MapIntegers(src, output, [&](auto q) {
    using T = decltype(q);
    const float sum = static_cast<float>(static_cast<int64_t>(q) - zero_point + c_q);
    const T r = kernels::scalar::QuantizeValue<T>(sum, multiplier, new_zero_point);
    return relu ? std::max(r, static_cast<T>(new_zero_point)) : r;
  });
}

Tensor MulScalar(const Tensor& src, double other, bool relu) {
  const char* name = relu ? "mul_scalar_relu" : "mul_scalar";
  const core::Quantizer input = PerTensorInput(src, other, name);
  const double scale = input.scales()[0];
  const int64_t zero_point = input.zero_points()[0];
  if (other == 0.0) {
    // PyTorch's rule: every integer 0, scale 1, zero point 0.
    return MapIntegers(src, core::Quantizer::PerTensor(src.dtype(), 1.0, 0),
                       [](auto q) { return static_cast<decltype(q)>(0); });
  }
  const double new_scale = std::abs(other) * scale;
  if (!(new_scale > 0.0) || std::isinf(new_scale)) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               std::string(name) + ": |other| * scale = " + std::to_string(new_scale) +
                   " is not a usable scale");
  }
  if (other > 0.0) {
    return MapIntegers(src, core::Quantizer::PerTensor(src.dtype(), new_scale, zero_point),
                       [&](auto q) {
                         using T = decltype(q);
                         return relu ? std::max(q, static_cast<T>(zero_point)) : q;
                       });
  }
  // A negative factor mirrors the integers: q' = q_min + q_max - q around
  // the mirrored zero point, which every integer survives exactly.
  const int64_t q_min = core::QMin(src.dtype()), q_max = core::QMax(src.dtype());
  const int64_t mirrored = q_max - (zero_point - q_min);
  return MapIntegers(src, core::Quantizer::PerTensor(src.dtype(), new_scale, mirrored),
                     [&](auto q) {
                       using T = decltype(q);
                       const T r = static_cast<T>(q_min + q_max - static_cast<int64_t>(q));
                       return relu ? std::max(r, static_cast<T>(mirrored)) : r;
                     });
}

}  // namespace qtensor::ops
