#include "ops/conv2d.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/gemm_kernels.h"

namespace qtensor::ops {

namespace {

[[noreturn]] void Refuse(core::ErrorKind kind, const std::string& message) {
  core::Fail(kind, "conv2d: " + message);
}

std::string Pair(const std::array<int64_t, 2>& v) {
  return "[" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + "]";
}

void CheckSettings(const Conv2dSettings& s) {
  if (s.stride[0] < 1 || s.stride[1] < 1) {
    Refuse(core::ErrorKind::kInvalidArgument, "stride " + Pair(s.stride) + " must be positive");
  }
  if (s.dilation[0] < 1 || s.dilation[1] < 1) {
    Refuse(core::ErrorKind::kInvalidArgument, "dilation " + Pair(s.dilation) + " must be positive");
  }
  if (s.padding[0] < 0 || s.padding[1] < 0) {
    Refuse(core::ErrorKind::kInvalidArgument,
           "padding " + Pair(s.padding) + " must not be negative");
  }
  if (s.groups < 1) {
    Refuse(core::ErrorKind::kInvalidArgument,
           "groups " + std::to_string(s.groups) + " must be positive");
  }
}

const core::Tensor& CheckedWeight(const core::Tensor& weight, const Conv2dSettings& s) {
  CheckSettings(s);
  if (weight.dtype() != core::DType::kQInt8) {
    Refuse(core::ErrorKind::kTypeMismatch,
           std::string("the weight must be qint8, not ") + core::DTypeName(weight.dtype()));
  }
  if (weight.ndim() != 4) {
    Refuse(core::ErrorKind::kShapeMismatch,
           "the weight must be 4-D [out_channels, in_channels / groups, kH, kW], not " +
               std::to_string(weight.ndim()) + "-D");
  }
  const core::ElementParams params = weight.Params();
  if (params.per_channel_arithmetic && params.channel_dim != 0) {
    Refuse(core::ErrorKind::kInvalidArgument,
           "a per-channel weight must have its channels on axis 0 (out_channels)");
  }
  const std::vector<int64_t>& shape = weight.shape();
  if (shape[0] % s.groups != 0 || shape[0] == 0) {
    Refuse(core::ErrorKind::kInvalidArgument, "groups " + std::to_string(s.groups) +
                                                  " must divide out_channels " +
                                                  std::to_string(shape[0]));
  }
  const int64_t depth = shape[1] * shape[2] * shape[3];
  if (depth < 1 || depth > static_cast<int64_t>(kernels::kGemmMaxDepth)) {
    Refuse(core::ErrorKind::kInvalidArgument,
           "in_channels / groups * kH * kW = " + std::to_string(depth) + " is outside [1, " +
               std::to_string(kernels::kGemmMaxDepth) + "]");
  }
  return weight;
}

std::vector<float> CheckedBias(std::vector<float> bias, int64_t out_channels) {
  if (!bias.empty() && static_cast<int64_t>(bias.size()) != out_channels) {
    Refuse(core::ErrorKind::kShapeMismatch, "the bias has " + std::to_string(bias.size()) +
                                                " values for out_channels " +
                                                std::to_string(out_channels));
  }
  for (size_t j = 0; j < bias.size(); ++j) {
    if (!std::isfinite(bias[j])) {
      Refuse(core::ErrorKind::kInvalidArgument, "bias[" + std::to_string(j) + "] is not finite");
    }
  }
  return bias;
}

// One matrix per group: the weight's rows of that group, each flattened in
// (channel, kh, kw) order, with their parameters and bias.
std::vector<PackedMatrix> GroupMatrices(const core::Tensor& weight, const std::vector<float>& bias,
                                        int64_t groups) {
  const size_t out_channels = static_cast<size_t>(weight.shape()[0]);
  const size_t columns = out_channels / static_cast<size_t>(groups);
  const size_t depth = static_cast<size_t>(weight.numel()) / out_channels;
  const core::ElementParams params = weight.Params();
  const auto* w = reinterpret_cast<const int8_t*>(core::FirstElement(weight));
  std::vector<PackedMatrix> matrices;
  for (size_t g = 0; g < static_cast<size_t>(groups); ++g) {
    std::vector<double> scales(columns);
    std::vector<int32_t> zero_points(columns);
    std::vector<float> group_bias;
    for (size_t j = 0; j < columns; ++j) {
      const size_t o = g * columns + j;
      const size_t c = params.channels == 1 ? 0 : o;
      scales[j] = params.scale(c);
      zero_points[j] = static_cast<int32_t>(params.zero_point(c));
      if (!bias.empty()) group_bias.push_back(bias[o]);
    }
    matrices.emplace_back(w + g * columns * depth, columns, depth, std::move(scales),
                          std::move(zero_points), std::move(group_bias));
  }
  return matrices;
}

// The output size of one spatial dim, or a clear error if the window does
// not fit.
int64_t OutputSize(int64_t input, int64_t kernel, int64_t stride, int64_t padding, int64_t dilation,
                   const char* name) {
  const int64_t span = dilation * (kernel - 1) + 1;
  if (input + 2 * padding < span) {
    Refuse(core::ErrorKind::kShapeMismatch,
           std::string("the input's ") + name + " " + std::to_string(input) + " plus padding " +
               std::to_string(2 * padding) + " is smaller than the dilated kernel " +
               std::to_string(span));
  }
  return (input + 2 * padding - span) / stride + 1;
}

}  // namespace

PackedConv2d::PackedConv2d(const core::Tensor& weight, std::vector<float> bias,
                           const Conv2dSettings& settings)
    : weight_(core::Clone(CheckedWeight(weight, settings))),
      bias_(CheckedBias(std::move(bias), weight.shape()[0])),
      settings_(settings),
      groups_(GroupMatrices(weight_, bias_, settings.groups)) {}

core::Tensor Conv2d(const core::Tensor& input, const PackedConv2d& weights, double scale,
                    int64_t zero_point, bool relu) {
  if (input.dtype() != core::DType::kQUInt8 && input.dtype() != core::DType::kQInt8) {
    Refuse(core::ErrorKind::kTypeMismatch,
           std::string("the input must be quint8 or qint8, not ") + core::DTypeName(input.dtype()));
  }
  if (input.Params().per_channel_arithmetic) {
    Refuse(core::ErrorKind::kInvalidArgument, "the input must be quantized per tensor");
  }
  if (input.ndim() != 4 || input.shape()[1] != weights.in_channels()) {
    Refuse(core::ErrorKind::kShapeMismatch,
           "the input must be [N, " + std::to_string(weights.in_channels()) + ", H, W]");
  }
  const Conv2dSettings& s = weights.settings();
  const std::vector<int64_t>& in_shape = input.shape();
  const std::vector<int64_t>& w_shape = weights.weight().shape();
  const int64_t batch = in_shape[0], height = in_shape[2], width = in_shape[3];
  const int64_t out_h =
      OutputSize(height, w_shape[2], s.stride[0], s.padding[0], s.dilation[0], "height");
  const int64_t out_w =
      OutputSize(width, w_shape[3], s.stride[1], s.padding[1], s.dilation[1], "width");
  const int64_t out_channels = weights.out_channels();
  // Channels-last storage, shown as NCHW.
  core::Tensor result =
      core::Tensor::ForOverwrite({batch, out_h, out_w, out_channels},
                                 core::Quantizer::PerTensor(input.dtype(), scale, zero_point));
  const int64_t pixels = out_h * out_w;
  if (batch == 0 || pixels == 0) return result.Permute({0, 3, 1, 2});

  const core::Tensor x = core::Contiguous(input);
  const uint8_t* in = core::FirstElement(x);
  const size_t group_channels = static_cast<size_t>(w_shape[1]);
  const size_t depth = group_channels * static_cast<size_t>(w_shape[2] * w_shape[3]);
  UnsignedRows a(static_cast<size_t>(pixels), depth, input.dtype(), input.Params().zero_point(0));
  const uint8_t flip = a.shifted ? 0x80 : 0;
  const auto pad = static_cast<uint8_t>(a.zero_point);  // dequantizes to 0
  const MatmulOutput output{input.Params().scale(0), scale, zero_point, relu};
  uint8_t* out = core::FirstElement(result);
  const size_t columns = static_cast<size_t>(out_channels / s.groups);
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t g = 0; g < s.groups; ++g) {
      // im2col: one row per output pixel, (channel, kh, kw) along the row.
      for (int64_t oh = 0; oh < out_h; ++oh) {
        for (int64_t ow = 0; ow < out_w; ++ow) {
          uint8_t* row = a.row(static_cast<size_t>(oh * out_w + ow));
          for (size_t c = 0; c < group_channels; ++c) {
            const uint8_t* plane =
                in + ((n * weights.in_channels() + g * static_cast<int64_t>(group_channels) +
                       static_cast<int64_t>(c)) *
                      height * width);
            for (int64_t kh = 0; kh < w_shape[2]; ++kh) {
              const int64_t ih = oh * s.stride[0] - s.padding[0] + kh * s.dilation[0];
              for (int64_t kw = 0; kw < w_shape[3]; ++kw) {
                const int64_t iw = ow * s.stride[1] - s.padding[1] + kw * s.dilation[1];
                const bool inside = ih >= 0 && ih < height && iw >= 0 && iw < width;
                *row++ = inside ? static_cast<uint8_t>(plane[ih * width + iw] ^ flip) : pad;
              }
            }
          }
        }
      }
      a.ComputeSums();
      const size_t offset =
          static_cast<size_t>(n * pixels * out_channels) + static_cast<size_t>(g) * columns;
      const PackedMatrix& matrix = weights.groups()[static_cast<size_t>(g)];
      if (a.shifted) {
        QuantizedMatmul(a, matrix, output, reinterpret_cast<int8_t*>(out) + offset,
                        static_cast<size_t>(out_channels));
      } else {
        QuantizedMatmul(a, matrix, output, out + offset, static_cast<size_t>(out_channels));
      }
    }
  }
  return result.Permute({0, 3, 1, 2});
}

}  // namespace qtensor::ops
