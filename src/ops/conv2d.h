// torch.ops.quantized.conv2d / conv2d_relu with weights packed once
// (conv2d_prepack): NCHW inputs as PyTorch shows them, weights [out_channels,
// in_channels / groups, kH, kW] qint8 per tensor or per channel on axis 0,
// an optional float bias, stride, padding, dilation and groups (depthwise
// included). Each output element is docs/numerics.md's "Linear" formula
// over its receptive field, padding counting as the input's zero point.
#ifndef QTENSOR_OPS_CONV2D_H_
#define QTENSOR_OPS_CONV2D_H_

#include <array>
#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "ops/quantized_matmul.h"

namespace qtensor::ops {

struct Conv2dSettings {
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 2> padding{0, 0};
  std::array<int64_t, 2> dilation{1, 1};
  int64_t groups = 1;
};

class PackedConv2d {
 public:
  // Throws kTypeMismatch for a weight that is not qint8, kShapeMismatch for
  // one that is not 4-D or a bias whose length is not out_channels, and
  // kInvalidArgument for channels on another axis, a stride or dilation
  // below 1, a negative padding, groups below 1 or not dividing
  // out_channels, an empty kernel or one deeper than the kernels take, or
  // a bias that is not finite.
  PackedConv2d(const core::Tensor& weight, std::vector<float> bias, const Conv2dSettings& settings);

  const core::Tensor& weight() const { return weight_; }
  const std::vector<float>& bias() const { return bias_; }
  const Conv2dSettings& settings() const { return settings_; }
  int64_t out_channels() const { return weight_.shape()[0]; }
  int64_t in_channels() const { return weight_.shape()[1] * settings_.groups; }
  // Per group: its out_channels / groups columns over the depth
  // in_channels / groups * kH * kW, in (channel, kh, kw) order.
  const std::vector<PackedMatrix>& groups() const { return groups_; }

 private:
  core::Tensor weight_;
  std::vector<float> bias_;
  Conv2dSettings settings_;
  std::vector<PackedMatrix> groups_;
};

// input: quint8 or qint8 per tensor, [N, C, H, W] with C = in_channels, any
// view. The result [N, out_channels, oH, oW], oH = (H + 2 padding - dilation
// (kH - 1) - 1) / stride + 1 (and oW alike, each at least 1), has input's
// dtype, the given scale and zero point, and channels-last strides (as
// PyTorch's quantized conv2d gives).
core::Tensor Conv2d(const core::Tensor& input, const PackedConv2d& weights, double scale,
                    int64_t zero_point, bool relu);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_CONV2D_H_
