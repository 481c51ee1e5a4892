#include "ops/float_unary.h"
#include "ops/computable.h"

#include <cmath>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "ops/lookup_table.h"

namespace qtensor::ops {

namespace {

void CheckSlope(float negative_slope) {
  if (!std::isfinite(negative_slope)) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               "leaky_relu: negative_slope " + std::to_string(negative_slope) + " is not finite");
  }
}

// A per-tensor quantizer of scale 2^-scale_bits (sigmoid's and tanh's).
core::Quantizer Fixed(core::DType dtype, int scale_bits, int64_t zero_point) {
  return core::Quantizer::PerTensor(dtype, std::ldexp(1.0, -scale_bits), zero_point);
}

core::Quantizer SigmoidQuantizer(core::DType dtype) {
  const bool wide = dtype == core::DType::kQInt32;
  return Fixed(dtype, wide ? 32 : 8, dtype == core::DType::kQInt8 ? -128 : 0);
}

core::Quantizer TanhQuantizer(core::DType dtype) {
  const bool wide = dtype == core::DType::kQInt32;
  return Fixed(dtype, wide ? 31 : 7, dtype == core::DType::kQUInt8 ? 128 : 0);
}

}  // namespace

void LeakyReluInto(const core::Tensor& dst, const core::Tensor& src, float negative_slope) {
  RequireComputable(src, "leaky_relu");
  RequireComputable(dst, "leaky_relu");
  CheckSlope(negative_slope);
  MapElements(dst, src, KnownMap{kernels::Int32Map::kLeakyRelu, negative_slope});
}

core::Tensor LeakyRelu(const core::Tensor& src, float negative_slope) {
  RequireComputable(src, "leaky_relu");
  CheckSlope(negative_slope);
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), src.EffectiveQuantizer());
  LeakyReluInto(result, src, negative_slope);
  return result;
}

void HardswishInto(const core::Tensor& dst, const core::Tensor& src) {
  RequireComputable(src, "hardswish");
  RequireComputable(dst, "hardswish");
  // PyTorch's hardswish quantizes with (float)(1 / scale) computed in
  // double, not with 1 / (float)scale as quantize_per_tensor does.
  const float inverse_scale = static_cast<float>(1.0 / dst.Params().scale(0));
  MapElements(dst, src, KnownMap{kernels::Int32Map::kHardswish}, &inverse_scale);
}

core::Tensor Hardswish(const core::Tensor& src, double scale, int64_t zero_point) {
  RequireComputable(src, "hardswish");
  core::Tensor result = core::Tensor::ForOverwrite(
      src.shape(), core::Quantizer::PerTensor(src.dtype(), scale, zero_point));
  HardswishInto(result, src);
  return result;
}

void SigmoidInto(const core::Tensor& dst, const core::Tensor& src) {
  RequireComputable(src, "sigmoid");
  RequireComputable(dst, "sigmoid");
  MapElements(dst, src, KnownMap{kernels::Int32Map::kSigmoid});
}

core::Tensor Sigmoid(const core::Tensor& src) {
  RequireComputable(src, "sigmoid");
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), SigmoidQuantizer(src.dtype()));
  SigmoidInto(result, src);
  return result;
}

void TanhInto(const core::Tensor& dst, const core::Tensor& src) {
  RequireComputable(src, "tanh");
  RequireComputable(dst, "tanh");
  MapElements(dst, src, KnownMap{kernels::Int32Map::kTanh});
}

core::Tensor Tanh(const core::Tensor& src) {
  RequireComputable(src, "tanh");
  core::Tensor result = core::Tensor::ForOverwrite(src.shape(), TanhQuantizer(src.dtype()));
  TanhInto(result, src);
  return result;
}

}  // namespace qtensor::ops
