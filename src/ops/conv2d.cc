#include "ops/conv2d.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/parallel.h"
#include "core/tensor_ops.h"
#include "kernels/depthwise_kernels.h"
#include "kernels/gemm_kernels.h"
#include "kernels/sum_requantize_kernels.h"

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
// (kh, kw, channel) order, the order of a channels-last receptive field,
// with their parameters and bias.
std::vector<PackedMatrix> GroupMatrices(const core::Tensor& weight, const std::vector<float>& bias,
                                        int64_t groups) {
  const std::vector<int64_t>& shape = weight.shape();
  const size_t out_channels = static_cast<size_t>(shape[0]);
  const size_t columns = out_channels / static_cast<size_t>(groups);
  const auto group_channels = static_cast<size_t>(shape[1]);
  const auto window = static_cast<size_t>(shape[2] * shape[3]);
  const size_t depth = group_channels * window;
  const core::ElementParams params = weight.Params();
  const auto* w = reinterpret_cast<const int8_t*>(core::FirstElement(weight));
  std::vector<int8_t> rows(columns * depth);
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
      for (size_t ch = 0; ch < group_channels; ++ch) {
        for (size_t k = 0; k < window; ++k) {
          rows[j * depth + k * group_channels + ch] = w[(o * group_channels + ch) * window + k];
        }
      }
    }
    matrices.emplace_back(rows.data(), columns, depth, std::move(scales), std::move(zero_points),
                          std::move(group_bias));
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

namespace {

// The laid-out windows a thread multiplies at a time: within L2 with the
// weights and sums beside them.
constexpr size_t kChunkBytes = 262144;

// Where the windows of a convolution fall: the input's and output's sizes
// and the settings.
struct Geometry {
  int64_t batch, height, width, channels;
  int64_t out_h, out_w, out_channels;
  int64_t kernel_h, kernel_w, group_channels;
  Conv2dSettings s;
};

// The input as channels-last unsigned bytes ([N, H, W, C]; a qint8 value
// shifted by 128, as its zero point is): the input's own storage when it
// already is one (quint8), else a copy.
class ChannelsLast {
 public:
  explicit ChannelsLast(const core::Tensor& input)
      : view_(core::Contiguous(input.Permute({0, 2, 3, 1}))) {
    bytes_ = core::FirstElement(view_);
    if (input.dtype() == core::DType::kQInt8) {
      copy_.resize(static_cast<size_t>(view_.numel()));
      for (size_t i = 0; i < copy_.size(); ++i) copy_[i] = bytes_[i] ^ 0x80;
      bytes_ = copy_.data();
    }
  }
  const uint8_t* pixel(const Geometry& g, int64_t n, int64_t h, int64_t w) const {
    return bytes_ + ((n * g.height + h) * g.width + w) * g.channels;
  }

 private:
  core::Tensor view_;
  std::vector<uint8_t> copy_;
  const uint8_t* bytes_;
};

// im2col for image n and group, a->rows output pixels from first_pixel on:
// one row per pixel holding its receptive field in (kh, kw, channel) order, positions outside the
// input at the zero point.
void LayOutWindows(const ChannelsLast& x, const Geometry& g, int64_t n, int64_t group,
                   int64_t first_pixel, UnsignedRows* a) {
  const auto pad = static_cast<uint8_t>(a->zero_point);
  const auto run = static_cast<size_t>(g.group_channels);
  for (size_t r = 0; r < a->rows; ++r) {
    const int64_t pixel = first_pixel + static_cast<int64_t>(r);
    const int64_t oh = pixel / g.out_w, ow = pixel % g.out_w;
    uint8_t* row = a->row(r);
    const int64_t first_iw = ow * g.s.stride[1] - g.s.padding[1];
    // One group, no dilation across the width, the kernel's width inside the
    // input: a kernel row's windows are consecutive pixels, one copy.
    const bool whole_rows = g.s.groups == 1 && g.s.dilation[1] == 1 && first_iw >= 0 &&
                            first_iw + g.kernel_w <= g.width;
    for (int64_t kh = 0; kh < g.kernel_h; ++kh) {
      const int64_t ih = oh * g.s.stride[0] - g.s.padding[0] + kh * g.s.dilation[0];
      if (whole_rows && ih >= 0 && ih < g.height) {
        std::memcpy(row, x.pixel(g, n, ih, first_iw), run * static_cast<size_t>(g.kernel_w));
        row += run * static_cast<size_t>(g.kernel_w);
        continue;
      }
      for (int64_t kw = 0; kw < g.kernel_w; ++kw, row += run) {
        const int64_t iw = ow * g.s.stride[1] - g.s.padding[1] + kw * g.s.dilation[1];
        if (ih < 0 || ih >= g.height || iw < 0 || iw >= g.width) {
          std::memset(row, pad, run);
        } else {
          std::memcpy(row, x.pixel(g, n, ih, iw) + group * g.group_channels, run);
        }
      }
    }
  }
}

// A depthwise convolution (one input and one output channel per group),
// summed directly across the channels of each pixel: the exact sums of the
// formula, then the same requantization. False, with nothing written, where
// a sum plus its bias might not fit in int32 (the matrix product's int64
// path takes those).
template <typename T>
bool Depthwise(const ChannelsLast& x, const Geometry& g, const PackedConv2d& weights,
               int32_t input_zero_point, const MatmulOutput& output, T* out) {
  const auto channels = static_cast<size_t>(g.channels);
  const auto window = static_cast<size_t>(g.kernel_h * g.kernel_w);
  // Centered weights [k][c], and per channel the multiplier and bias.
  std::vector<int32_t> centered(window * channels);
  std::vector<float> multipliers(channels);
  std::vector<int32_t> biases(channels, 0);
  for (size_t c = 0; c < channels; ++c) {
    const PackedMatrix& m = weights.groups()[c];
    const auto* w = reinterpret_cast<const int8_t*>(core::FirstElement(weights.weight()));
    for (size_t k = 0; k < window; ++k) {
      centered[k * channels + c] = int32_t{w[c * window + k]} - m.zero_points()[0];
    }
    multipliers[c] = Multiplier(output.input_scale, m.scales()[0], output.scale);
    if (!m.bias().empty()) {
      biases[c] =
          static_cast<int32_t>(QuantizedBias(m.bias()[0], output.input_scale, m.scales()[0]));
    }
  }
  const int64_t largest_sum = static_cast<int64_t>(window) * 255 * 255;
  for (const int32_t bias : biases) {
    if (largest_sum + std::abs(int64_t{bias}) > std::numeric_limits<int32_t>::max()) return false;
  }
  // The per-channel pieces repeated for every pixel of an output row: a row
  // of sums is requantized in one call.
  const auto out_w = static_cast<size_t>(g.out_w);
  std::vector<float> row_multipliers(out_w * channels);
  std::vector<int32_t> row_biases(out_w * channels);
  for (size_t q = 0; q < out_w; ++q) {
    std::copy(multipliers.begin(), multipliers.end(), row_multipliers.data() + q * channels);
    std::copy(biases.begin(), biases.end(), row_biases.data() + q * channels);
  }
  kernels::SumRequantizeParams p;
  p.column_terms = row_biases.data();
  p.multipliers = row_multipliers.data();
  p.zero_point = static_cast<int32_t>(output.zero_point);
  p.floor = output.relu ? p.zero_point : std::numeric_limits<int32_t>::min();
  // The pixels whose window lies inside the input across its width: ow in
  // [inner_first, inner_end).
  const int64_t reach = (g.kernel_w - 1) * g.s.dilation[1];
  const int64_t inner_first =
      std::min(g.out_w, (g.s.padding[1] + g.s.stride[1] - 1) / g.s.stride[1]);
  const int64_t inner_end =
      std::max(inner_first,
               std::min(g.out_w, g.width - 1 + g.s.padding[1] - reach < 0
                                     ? 0
                                     : (g.width - 1 + g.s.padding[1] - reach) / g.s.stride[1] + 1));
  const size_t step = static_cast<size_t>(g.s.stride[1]) * channels;
  // Output rows (n, oh) numbered n * out_h + oh; threads take ranges of them.
  const auto rows = static_cast<size_t>(g.batch * g.out_h);
  const auto run_rows = [&](size_t first_row, size_t last_row) {
    std::vector<int32_t> sums(out_w * channels);
    std::vector<const uint8_t*> inputs(window);
    std::vector<const int32_t*> tap_weights(window);
    // The taps of output (oh, ow) that fall inside the input.
    const auto gather = [&](int64_t n, int64_t oh, int64_t ow) {
      size_t taps = 0;
      for (int64_t kh = 0; kh < g.kernel_h; ++kh) {
        const int64_t ih = oh * g.s.stride[0] - g.s.padding[0] + kh * g.s.dilation[0];
        if (ih < 0 || ih >= g.height) continue;
        for (int64_t kw = 0; kw < g.kernel_w; ++kw) {
          const int64_t iw = ow * g.s.stride[1] - g.s.padding[1] + kw * g.s.dilation[1];
          if (iw < 0 || iw >= g.width) continue;
          inputs[taps] = x.pixel(g, n, ih, iw);
          tap_weights[taps++] =
              centered.data() + static_cast<size_t>(kh * g.kernel_w + kw) * channels;
        }
      }
      return taps;
    };
    for (size_t r = first_row; r < last_row; ++r) {
      const auto n = static_cast<int64_t>(r) / g.out_h, oh = static_cast<int64_t>(r) % g.out_h;
      for (int64_t ow = 0; ow < g.out_w; ++ow) {
        if (ow == inner_first && inner_first < inner_end) {
          // The whole inner run of the row in one call.
          const size_t taps = gather(n, oh, ow);
          kernels::DepthwiseSums(inputs.data(), tap_weights.data(), taps, input_zero_point,
                                 static_cast<size_t>(inner_end - inner_first), step, 0, channels,
                                 sums.data() + static_cast<size_t>(ow) * channels);
          ow = inner_end - 1;
          continue;
        }
        const size_t taps = gather(n, oh, ow);
        kernels::DepthwiseSums(inputs.data(), tap_weights.data(), taps, input_zero_point, 1, 0, 0,
                               channels, sums.data() + static_cast<size_t>(ow) * channels);
      }
      kernels::RequantizeSums(sums.data(), out_w * channels, p, out + r * out_w * channels);
    }
  };
  const size_t parts = core::PartsFor(rows * out_w * channels * window, rows);
  core::RunParts(parts,
                 [&](size_t part) { run_rows(rows * part / parts, rows * (part + 1) / parts); });
  return true;
}

}  // namespace

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
  const std::vector<int64_t>& w_shape = weights.weight().shape();
  Geometry g{};
  g.s = weights.settings();
  g.batch = input.shape()[0];
  g.channels = input.shape()[1];
  g.height = input.shape()[2];
  g.width = input.shape()[3];
  g.kernel_h = w_shape[2];
  g.kernel_w = w_shape[3];
  g.group_channels = w_shape[1];
  g.out_channels = weights.out_channels();
  g.out_h =
      OutputSize(g.height, g.kernel_h, g.s.stride[0], g.s.padding[0], g.s.dilation[0], "height");
  g.out_w =
      OutputSize(g.width, g.kernel_w, g.s.stride[1], g.s.padding[1], g.s.dilation[1], "width");
  // Channels-last storage, shown as NCHW.
  core::Tensor result =
      core::Tensor::ForOverwrite({g.batch, g.out_h, g.out_w, g.out_channels},
                                 core::Quantizer::PerTensor(input.dtype(), scale, zero_point));
  const int64_t pixels = g.out_h * g.out_w;
  if (g.batch == 0 || pixels == 0) return result.Permute({0, 3, 1, 2});

  const ChannelsLast x(input);
  const MatmulOutput output{input.Params().scale(0), scale, zero_point, relu};
  const bool shifted = input.dtype() == core::DType::kQInt8;
  uint8_t* out = core::MutableFirstElement(result);
  const int32_t input_zero_point =
      static_cast<int32_t>(input.Params().zero_point(0)) + (shifted ? 128 : 0);
  const int64_t window = g.kernel_h * g.kernel_w;
  if (g.group_channels == 1 && g.s.groups == g.out_channels &&
      (shifted ? Depthwise(x, g, weights, input_zero_point, output, reinterpret_cast<int8_t*>(out))
               : Depthwise(x, g, weights, input_zero_point, output, out))) {
    return result.Permute({0, 3, 1, 2});
  }
  const size_t depth = static_cast<size_t>(g.group_channels * window);
  const size_t columns = static_cast<size_t>(g.out_channels / g.s.groups);
  const auto stride = static_cast<size_t>(g.out_channels);
  // Threads take ranges of output pixels, each laying out its own windows
  // (with one part, the matrix product may split its columns instead).
  const size_t parts =
      core::PartsFor(static_cast<size_t>(pixels) * static_cast<size_t>(g.out_channels) * depth / 16,
                     static_cast<size_t>(pixels));
  const MatmulOutput part_output{output.input_scale, output.scale, output.zero_point, output.relu,
                                 parts == 1};
  // Each part lays out and multiplies chunks of its pixels whose windows
  // (about 256 KiB, at least 64 rows) stay in L2 through the product.
  const auto chunk =
      static_cast<int64_t>(std::max<size_t>(64, kChunkBytes / kernels::GemmPaddedDepth(depth)));
  core::RunParts(parts, [&](size_t part) {
    const auto first = static_cast<int64_t>(static_cast<size_t>(pixels) * part / parts);
    const auto last = static_cast<int64_t>(static_cast<size_t>(pixels) * (part + 1) / parts);
    UnsignedRows a(static_cast<size_t>(std::min(chunk, last - first)), depth, input.dtype(),
                   input.Params().zero_point(0));
    for (int64_t n = 0; n < g.batch; ++n) {
      for (int64_t group = 0; group < g.s.groups; ++group) {
        const PackedMatrix& matrix = weights.groups()[static_cast<size_t>(group)];
        for (int64_t begin = first; begin < last; begin += chunk) {
          a.rows = static_cast<size_t>(std::min(chunk, last - begin));  // within the allocation
          LayOutWindows(x, g, n, group, begin, &a);
          a.ComputeSums();
          const size_t offset = static_cast<size_t>((n * pixels + begin) * g.out_channels) +
                                static_cast<size_t>(group) * columns;
          if (shifted) {
            QuantizedMatmul(a, matrix, part_output, reinterpret_cast<int8_t*>(out) + offset,
                            stride);
          } else {
            QuantizedMatmul(a, matrix, part_output, out + offset, stride);
          }
        }
      }
    }
  });
  return result.Permute({0, 3, 1, 2});
}

}  // namespace qtensor::ops
