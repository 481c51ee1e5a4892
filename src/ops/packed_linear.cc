#include "ops/packed_linear.h"

#include <cmath>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/gemm_kernels.h"

namespace qtensor::ops {

namespace {

void CheckWeight(const core::Tensor& weight) {
  if (weight.dtype() != core::DType::kQInt8) {
    core::Fail(
        core::ErrorKind::kTypeMismatch,
        std::string("linear: the weight must be qint8, not ") + core::DTypeName(weight.dtype()));
  }
  if (weight.ndim() != 2) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               "linear: the weight must be 2-D [out_features, in_features], not " +
                   std::to_string(weight.ndim()) + "-D");
  }
  const core::ElementParams params = weight.Params();
  if (params.per_channel_arithmetic && params.channel_dim != 0) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               "linear: a per-channel weight must have its channels on axis 0 (out_features)");
  }
  const int64_t depth = weight.shape()[1];
  if (depth < 1 || depth > static_cast<int64_t>(kernels::kGemmMaxDepth)) {
    core::Fail(core::ErrorKind::kInvalidArgument, "linear: in_features " + std::to_string(depth) +
                                                      " is outside [1, " +
                                                      std::to_string(kernels::kGemmMaxDepth) + "]");
  }
}

}  // namespace

PackedLinear::PackedLinear(const core::Tensor& weight, std::vector<float> bias)
    : weight_(core::Tensor::Empty({0}, core::Quantizer::PerTensor(core::DType::kQInt8, 1.0, 0))) {
  CheckWeight(weight);
  out_features_ = static_cast<size_t>(weight.shape()[0]);
  in_features_ = static_cast<size_t>(weight.shape()[1]);
  if (!bias.empty() && bias.size() != out_features_) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               "linear: the bias has " + std::to_string(bias.size()) + " values for out_features " +
                   std::to_string(out_features_));
  }
  for (size_t j = 0; j < bias.size(); ++j) {
    if (!std::isfinite(bias[j])) {
      core::Fail(core::ErrorKind::kInvalidArgument,
                 "linear: bias[" + std::to_string(j) + "] is not finite");
    }
  }
  weight_ = core::Clone(weight);
  bias_ = std::move(bias);

  const core::ElementParams params = weight_.Params();
  scales_.resize(out_features_);
  zero_points_.resize(out_features_);
  column_sums_.assign(out_features_, 0);
  const auto* w = reinterpret_cast<const int8_t*>(core::FirstElement(weight_));
  for (size_t j = 0; j < out_features_; ++j) {
    const size_t c = params.channels == 1 ? 0 : j;
    scales_[j] = params.scale(c);
    zero_points_[j] = static_cast<int32_t>(params.zero_point(c));
    for (size_t k = 0; k < in_features_; ++k) column_sums_[j] += w[j * in_features_ + k];
  }
  packed_ = core::AllocateBlock(kernels::GemmPackedBytes(out_features_, in_features_));
  kernels::PackGemmWeights(w, out_features_, in_features_,
                           reinterpret_cast<int8_t*>(packed_.get()));
}

const int8_t* PackedLinear::packed() const {
  return reinterpret_cast<const int8_t*>(packed_.get());
}

}  // namespace qtensor::ops
