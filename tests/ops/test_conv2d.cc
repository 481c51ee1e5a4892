// ops::Conv2d beyond the golden cases: qint8 inputs, weight zero points,
// views of the input, threads, read-back and bad input (the golden test
// covers quint8 against PyTorch).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/tensor_ops.h"
#include "matmul_reference.h"
#include "ops/conv2d.h"
#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

// docs/numerics.md's formula over each receptive field, in NCHW order.
std::vector<int64_t> Reference(const Tensor& x, const Tensor& w, const std::vector<float>& bias,
                               const Conv2dSettings& s, double scale, int64_t zero_point,
                               bool relu) {
  const std::vector<int64_t> xs = IntsOf(x), ws = IntsOf(w);
  const auto& xd = x.shape();
  const auto& wd = w.shape();
  const core::ElementParams xp = x.Params(), wp = w.Params();
  const int64_t oh = (xd[2] + 2 * s.padding[0] - s.dilation[0] * (wd[2] - 1) - 1) / s.stride[0] + 1;
  const int64_t ow = (xd[3] + 2 * s.padding[1] - s.dilation[1] * (wd[3] - 1) - 1) / s.stride[1] + 1;
  const int64_t og = wd[0] / s.groups;
  std::vector<int64_t> out;
  for (int64_t n = 0; n < xd[0]; ++n) {
    for (int64_t o = 0; o < wd[0]; ++o) {
      const size_t ch = wp.channels == 1 ? 0 : static_cast<size_t>(o);
      for (int64_t y = 0; y < oh; ++y) {
        for (int64_t z = 0; z < ow; ++z) {
          int64_t acc = 0;
          for (int64_t c = 0; c < wd[1]; ++c) {
            const int64_t ic = o / og * wd[1] + c;
            for (int64_t i = 0; i < wd[2]; ++i) {
              for (int64_t j = 0; j < wd[3]; ++j) {
                const int64_t ih = y * s.stride[0] - s.padding[0] + i * s.dilation[0];
                const int64_t iw = z * s.stride[1] - s.padding[1] + j * s.dilation[1];
                if (ih < 0 || ih >= xd[2] || iw < 0 || iw >= xd[3]) continue;
                const int64_t xv =
                    xs[static_cast<size_t>(((n * xd[1] + ic) * xd[2] + ih) * xd[3] + iw)];
                const int64_t wv =
                    ws[static_cast<size_t>(((o * wd[1] + c) * wd[2] + i) * wd[3] + j)];
                acc += (xv - xp.zero_point(0)) * (wv - wp.zero_point(ch));
              }
            }
          }
          out.push_back(ReferenceOutput(acc, bias.empty() ? nullptr : &bias[static_cast<size_t>(o)],
                                        xp.scale(0), wp.scale(ch), scale, zero_point, relu,
                                        x.dtype()));
        }
      }
    }
  }
  return out;
}

Tensor Weight(std::vector<int64_t> shape, bool per_channel, uint32_t seed) {
  std::vector<double> scales;
  std::vector<int64_t> zeros;
  for (int64_t o = 0; o < shape[0]; ++o) {
    scales.push_back(0.01 + 0.002 * static_cast<double>(o % 5));
    zeros.push_back(o % 3 - 1);
  }
  const Quantizer q = per_channel ? Quantizer::PerChannel(DType::kQInt8, scales, zeros, 0)
                                  : Quantizer::PerTensor(DType::kQInt8, 0.02, -3);
  return RandomTensor(shape, q, seed, 1.0f);
}

TEST_CASE("conv2d of qint8 and quint8 inputs, with weight zero points, equals the formula") {
  for (const DType dtype : {DType::kQInt8, DType::kQUInt8}) {
    for (const bool per_channel : {false, true}) {
      Conv2dSettings s;
      s.stride = {2, 1};
      s.padding = {1, 2};
      s.dilation = {1, 2};
      s.groups = 2;
      const int64_t zx = dtype == DType::kQInt8 ? 5 : 130;
      const Tensor x = RandomTensor({2, 6, 9, 8}, Quantizer::PerTensor(dtype, 0.05, zx), 3);
      const Tensor w = Weight({4, 3, 3, 2}, per_channel, 4);
      const std::vector<float> bias{0.3f, -0.7f, 1.1f, 0.0f};
      const PackedConv2d packed(w, bias, s);
      const int64_t zo = dtype == DType::kQInt8 ? -2 : 120;
      for (const bool relu : {false, true}) {
        const Tensor y = Conv2d(x, packed, 0.15, zo, relu);
        CHECK(y.shape() == std::vector<int64_t>{2, 4, 5, 10});
        CHECK(IntsOf(y) == Reference(x, w, bias, s, 0.15, zo, relu));
      }
    }
  }
}

TEST_CASE("depthwise conv2d equals the formula, also with biases past int32's reach") {
  for (const DType dtype : {DType::kQInt8, DType::kQUInt8}) {
    for (const bool per_channel : {false, true}) {
      // Stride 2 across, or dilation 2 with a padding wider than the kernel.
      Conv2dSettings s;
      s.stride = per_channel ? std::array<int64_t, 2>{1, 1} : std::array<int64_t, 2>{1, 2};
      s.padding = per_channel ? std::array<int64_t, 2>{0, 3} : std::array<int64_t, 2>{1, 1};
      s.dilation = per_channel ? std::array<int64_t, 2>{1, 2} : std::array<int64_t, 2>{1, 1};
      s.groups = 6;
      const int64_t zx = dtype == DType::kQInt8 ? -7 : 140;
      const Tensor x = RandomTensor({2, 6, 7, 9}, Quantizer::PerTensor(dtype, 0.05, zx), 8)
                           .Transpose(2, 3)
                           .Transpose(2, 3);
      const Tensor w = Weight({6, 1, 3, 3}, per_channel, 9);
      const int64_t zo = dtype == DType::kQInt8 ? 4 : 125;
      // The last bias is 1e11 steps: saturated to 2^31 - 1, too large for
      // the direct int32 sums.
      for (const float big : {0.5f, 1e8f}) {
        const std::vector<float> bias{0.3f, -0.7f, 1.1f, 0.0f, -2.0f, big};
        const PackedConv2d packed(w, bias, s);
        for (const bool relu : {false, true}) {
          CAPTURE(big);
          CHECK(IntsOf(Conv2d(x, packed, 0.1, zo, relu)) ==
                Reference(x, w, bias, s, 0.1, zo, relu));
        }
      }
    }
  }
}

TEST_CASE("conv2d reads any view of the input and gives channels-last strides") {
  const Tensor base = RandomTensor({7, 6, 3, 1}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 90), 5);
  const Tensor x = base.Permute({3, 2, 1, 0});  // [1, 3, 6, 7]
  const Tensor w = Weight({5, 3, 3, 3}, true, 6);
  Conv2dSettings s;
  s.padding = {1, 1};
  const PackedConv2d packed(w, {}, s);
  const Tensor y = Conv2d(x, packed, 0.3, 100, false);
  CHECK(y.shape() == std::vector<int64_t>{1, 5, 6, 7});
  CHECK(y.strides() == std::vector<int64_t>{210, 1, 35, 5});
  CHECK(IntsOf(y) == Reference(core::Clone(x), w, {}, s, 0.3, 100, false));
  CHECK(packed.settings().padding == std::array<int64_t, 2>{1, 1});
  CHECK(IntBytes(packed.weight()) == IntBytes(w));
  CHECK(packed.in_channels() == 3);
  CHECK(packed.out_channels() == 5);
}

TEST_CASE("conv2d on two threads gives one thread's integers") {
  // Large enough to be split (by output pixels), as a convolution and as a
  // depthwise one.
  const Tensor x =
      RandomTensor({1, 32, 64, 64}, Quantizer::PerTensor(DType::kQUInt8, 0.05, 100), 1);
  for (const int64_t groups : {1, 32}) {
    CAPTURE(groups);
    const int64_t out_channels = groups == 1 ? 64 : 32;
    const Tensor w = Weight({out_channels, 32 / groups, 3, 3}, true, 2);
    Conv2dSettings s;
    s.padding = {1, 1};
    s.groups = groups;
    const std::vector<float> bias(static_cast<size_t>(out_channels), 0.5f);
    const PackedConv2d packed(w, bias, s);
    // Both results alive at once: the second cannot reuse the first's block
    // (results are not zeroed), so every integer it holds was written.
    core::SetNumThreads(1);
    const Tensor y1 = Conv2d(x, packed, 0.3, 128, false);
    core::SetNumThreads(2);
    const Tensor y2 = Conv2d(x, packed, 0.3, 128, false);
    core::SetNumThreads(1);
    const std::vector<int64_t> one = IntsOf(y1), two = IntsOf(y2);
    CHECK(one == two);
    CHECK(one == Reference(x, w, bias, s, 0.3, 128, false));
  }
}

TEST_CASE("conv2d refuses bad settings, weights, biases and inputs") {
  using core::ErrorKind;
  const Tensor w = Weight({4, 2, 3, 3}, false, 1);
  const auto with = [](auto change) {
    Conv2dSettings s;
    change(s);
    return s;
  };
  CHECK(ErrorKindOf([&] {
          PackedConv2d(w, {}, with([](auto& s) { s.stride = {0, 1}; }));
        }) == ErrorKind::kInvalidArgument);
  CHECK(ErrorKindOf([&] {
          PackedConv2d(w, {}, with([](auto& s) { s.dilation = {1, 0}; }));
        }) == ErrorKind::kInvalidArgument);
  CHECK(ErrorKindOf([&] {
          PackedConv2d(w, {}, with([](auto& s) { s.padding = {-1, 0}; }));
        }) == ErrorKind::kInvalidArgument);
  CHECK(ErrorKindOf([&] { PackedConv2d(w, {}, with([](auto& s) { s.groups = 3; })); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(ErrorKindOf([&] { PackedConv2d(w, {}, with([](auto& s) { s.groups = 0; })); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(ErrorKindOf([&] { PackedConv2d(w.Select(0, 0), {}, Conv2dSettings{}); }) ==
        ErrorKind::kShapeMismatch);
  CHECK(ErrorKindOf([&] { PackedConv2d(w, {1.0f}, Conv2dSettings{}); }) ==
        ErrorKind::kShapeMismatch);
  CHECK(ErrorKindOf([&] {
          PackedConv2d(w, {0, 0, INFINITY, 0}, Conv2dSettings{});
        }) == ErrorKind::kInvalidArgument);
  const Tensor w_u8 = RandomTensor({4, 2, 3, 3}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 0), 1);
  CHECK(ErrorKindOf([&] { PackedConv2d(w_u8, {}, Conv2dSettings{}); }) == ErrorKind::kTypeMismatch);
  const Tensor w_axis1 =
      RandomTensor({4, 2, 3, 3}, Quantizer::PerChannel(DType::kQInt8, {0.1, 0.2}, {0, 0}, 1), 1);
  CHECK(ErrorKindOf([&] { PackedConv2d(w_axis1, {}, Conv2dSettings{}); }) ==
        ErrorKind::kInvalidArgument);

  const PackedConv2d packed(w, {}, Conv2dSettings{});
  const Quantizer u8 = Quantizer::PerTensor(DType::kQUInt8, 0.1, 0);
  const Tensor x = RandomTensor({1, 2, 5, 5}, u8, 2);
  CHECK(ErrorKindOf([&] {
          Conv2d(RandomTensor({1, 3, 5, 5}, u8, 2), packed, 0.1, 0, false);
        }) == ErrorKind::kShapeMismatch);
  CHECK(ErrorKindOf([&] { Conv2d(x.Select(0, 0), packed, 0.1, 0, false); }) ==
        ErrorKind::kShapeMismatch);
  CHECK(ErrorKindOf([&] {
          Conv2d(RandomTensor({1, 2, 2, 5}, u8, 2), packed, 0.1, 0, false);
        }) == ErrorKind::kShapeMismatch);  // kernel taller than the input
  CHECK(ErrorKindOf([&] {
          Conv2d(RandomTensor({1, 2, 5, 5}, Quantizer::PerTensor(DType::kQInt32, 0.1, 0), 2),
                 packed, 0.1, 0, false);
        }) == ErrorKind::kTypeMismatch);
  CHECK(ErrorKindOf([&] { Conv2d(x, packed, -1.0, 0, false); }) != ErrorKind::kNotFound);
  CHECK(ErrorKindOf([&] { Conv2d(x, packed, 0.1, 999, false); }) != ErrorKind::kNotFound);
  // An empty batch gives an empty result.
  CHECK(Conv2d(RandomTensor({0, 2, 5, 5}, u8, 2), packed, 0.1, 0, false).shape() ==
        std::vector<int64_t>{0, 4, 3, 3});
}

}  // namespace
}  // namespace qtensor::ops
