#include "ops/float_unary.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"

namespace qtensor::ops {

core::Tensor LeakyRelu(const core::Tensor& src, float negative_slope) {
  if (!std::isfinite(negative_slope)) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               "leaky_relu: negative_slope " + std::to_string(negative_slope) + " is not finite");
  }
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), src.EffectiveQuantizer());
  core::MapInto(result, src, [negative_slope](float* values, size_t count) {
    // max(x, 0) + min(x, 0) * slope is x >= 0 ? x : x * slope but for the
    // sign of a zero, which quantizes the same; it compiles to vector
    // min/max instead of a branch on random signs (12x slower here).
    const float slope = negative_slope;
    for (size_t i = 0; i < count; ++i) {
      const float x = values[i];
      values[i] = std::max(x, 0.0f) + std::min(x, 0.0f) * slope;
    }
  });
  return result;
}

namespace {

// A new per-tensor tensor of src's shape: src's values mapped, quantized
// with scale 2^-scale_bits and zero_point.
core::Tensor MapToFixed(const core::Tensor& src, int scale_bits, int64_t zero_point,
                        const core::FloatMap& map) {
  const double scale = std::ldexp(1.0, -scale_bits);
  core::Tensor result = core::Tensor::ForOverwrite(
      src.shape(), core::Quantizer::PerTensor(src.dtype(), scale, zero_point));
  core::MapInto(result, src, map);
  return result;
}

}  // namespace

core::Tensor Hardswish(const core::Tensor& src, double scale, int64_t zero_point) {
  core::Tensor result = core::Tensor::ForOverwrite(
      src.shape(), core::Quantizer::PerTensor(src.dtype(), scale, zero_point));
  // PyTorch's hardswish quantizes with (float)(1 / scale) computed in
  // double, not with 1 / (float)scale as quantize_per_tensor does.
  const float inverse_scale = static_cast<float>(1.0 / scale);
  core::MapInto(
      result, src,
      [](float* values, size_t count) {
        for (size_t i = 0; i < count; ++i) {
          const float x = values[i];
          values[i] = x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f;
        }
      },
      &inverse_scale);
  return result;
}

core::Tensor Sigmoid(const core::Tensor& src) {
  const bool wide = src.dtype() == core::DType::kQInt32;
  const int64_t zero_point = src.dtype() == core::DType::kQInt8 ? -128 : 0;
  return MapToFixed(src, wide ? 32 : 8, zero_point, [](float* values, size_t count) {
    for (size_t i = 0; i < count; ++i) values[i] = 1.0f / (1.0f + std::exp(-values[i]));
  });
}

core::Tensor Tanh(const core::Tensor& src) {
  const bool wide = src.dtype() == core::DType::kQInt32;
  const int64_t zero_point = src.dtype() == core::DType::kQUInt8 ? 128 : 0;
  return MapToFixed(src, wide ? 31 : 7, zero_point, [](float* values, size_t count) {
    for (size_t i = 0; i < count; ++i) values[i] = std::tanh(values[i]);
  });
}

}  // namespace qtensor::ops
