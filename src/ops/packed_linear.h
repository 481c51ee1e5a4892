// Weights of a quantized linear layer packed once for the 8-bit matrix
// product (PyTorch's linear_prepack): a qint8 weight [out_features,
// in_features], per tensor or per channel on axis 0, and an optional float32
// bias. The packed layout is the kernels' business; the weight (a contiguous
// copy of what was given) and the bias are kept and can be read back.
#ifndef QTENSOR_OPS_PACKED_LINEAR_H_
#define QTENSOR_OPS_PACKED_LINEAR_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "ops/quantized_matmul.h"

namespace qtensor::ops {

class PackedLinear {
 public:
  // Throws kInvalidArgument for a weight that is not 2-D qint8 per tensor or
  // per channel on axis 0, in_features of 0 or above kernels::kGemmMaxDepth,
  // or a bias whose length is not out_features (an empty bias is none) or
  // that holds a NaN or infinity.
  PackedLinear(const core::Tensor& weight, std::vector<float> bias);

  const core::Tensor& weight() const { return weight_; }
  const std::vector<float>& bias() const { return bias_; }
  size_t out_features() const { return out_features_; }
  size_t in_features() const { return in_features_; }

  // For the operator: the weights as the matrix product takes them.
  const PackedMatrix& matrix() const { return matrix_; }

 private:
  core::Tensor weight_;
  std::vector<float> bias_;
  size_t out_features_ = 0, in_features_ = 0;
  PackedMatrix matrix_;
};

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_PACKED_LINEAR_H_
