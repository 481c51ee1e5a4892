#include "ops/packed_linear.h"

#include <cmath>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/gemm_kernels.h"

namespace qtensor::ops {

namespace {

const core::Tensor& CheckedWeight(const core::Tensor& weight) {
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
  return weight;
}

std::vector<float> CheckedBias(std::vector<float> bias, size_t out_features) {
  if (!bias.empty() && bias.size() != out_features) {
    core::Fail(core::ErrorKind::kShapeMismatch,
               "linear: the bias has " + std::to_string(bias.size()) + " values for out_features " +
                   std::to_string(out_features));
  }
  for (size_t j = 0; j < bias.size(); ++j) {
    if (!std::isfinite(bias[j])) {
      core::Fail(core::ErrorKind::kInvalidArgument,
                 "linear: bias[" + std::to_string(j) + "] is not finite");
    }
  }
  return bias;
}

// The weight's matrix: its integers row by row with each row's parameters.
PackedMatrix MatrixOf(const core::Tensor& weight, const std::vector<float>& bias) {
  const size_t columns = static_cast<size_t>(weight.shape()[0]);
  const size_t depth = static_cast<size_t>(weight.shape()[1]);
  const core::ElementParams params = weight.Params();
  std::vector<double> scales(columns);
  std::vector<int32_t> zero_points(columns);
  for (size_t j = 0; j < columns; ++j) {
    const size_t c = params.channels == 1 ? 0 : j;
    scales[j] = params.scale(c);
    zero_points[j] = static_cast<int32_t>(params.zero_point(c));
  }
  return PackedMatrix(reinterpret_cast<const int8_t*>(core::FirstElement(weight)), columns, depth,
                      std::move(scales), std::move(zero_points), bias);
}

}  // namespace

PackedLinear::PackedLinear(const core::Tensor& weight, std::vector<float> bias)
    : weight_(core::Clone(CheckedWeight(weight))),
      bias_(CheckedBias(std::move(bias), static_cast<size_t>(weight.shape()[0]))),
      out_features_(static_cast<size_t>(weight.shape()[0])),
      in_features_(static_cast<size_t>(weight.shape()[1])),
      matrix_(MatrixOf(weight_, bias_)) {}

}  // namespace qtensor::ops
