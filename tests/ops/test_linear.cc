// ops::Linear beyond the golden cases: qint8 inputs, leading dims and views
// of the input, threads, and bad input (the golden test covers quint8
// against PyTorch).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/tensor_ops.h"
#include "matmul_reference.h"
#include "ops/linear.h"
#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

// docs/numerics.md's formula, element by element, from the integers.
std::vector<int64_t> Reference(const Tensor& x, const Tensor& w, const std::vector<float>& bias,
                               double scale, int64_t zero_point, bool relu) {
  const std::vector<int64_t> xs = IntsOf(x), ws = IntsOf(w);
  const size_t k = static_cast<size_t>(w.shape()[1]), n = static_cast<size_t>(w.shape()[0]);
  const size_t m = xs.size() / k;
  const core::ElementParams xp = x.Params(), wp = w.Params();
  std::vector<int64_t> out;
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const size_t c = wp.channels == 1 ? 0 : j;
      int64_t acc = 0;
      for (size_t kk = 0; kk < k; ++kk) {
        acc += (xs[i * k + kk] - xp.zero_point(0)) * (ws[j * k + kk] - wp.zero_point(c));
      }
      out.push_back(ReferenceOutput(acc, bias.empty() ? nullptr : &bias[j], xp.scale(0),
                                    wp.scale(c), scale, zero_point, relu, x.dtype()));
    }
  }
  return out;
}

Tensor Weight(int64_t n, int64_t k, bool per_channel, uint32_t seed) {
  std::vector<double> scales;
  std::vector<int64_t> zeros;
  for (int64_t j = 0; j < n; ++j) {
    scales.push_back(0.01 + 0.001 * static_cast<double>(j % 7));
    zeros.push_back(j % 3 - 1);
  }
  const Quantizer q = per_channel ? Quantizer::PerChannel(DType::kQInt8, scales, zeros, 0)
                                  : Quantizer::PerTensor(DType::kQInt8, 0.02, 2);
  return RandomTensor({n, k}, q, seed, 1.0f);
}

std::vector<float> Bias(size_t n) {
  std::vector<float> b(n);
  for (size_t j = 0; j < n; ++j) b[j] = 0.37f * static_cast<float>(j % 5) - 0.6f;
  return b;
}

TEST_CASE("linear of qint8 and quint8 inputs equals the formula") {
  for (const DType dtype : {DType::kQInt8, DType::kQUInt8}) {
    for (const bool per_channel : {false, true}) {
      for (const bool relu : {false, true}) {
        const int64_t zx = dtype == DType::kQInt8 ? -5 : 120;
        const Tensor x = RandomTensor({13, 70}, Quantizer::PerTensor(dtype, 0.05, zx), 4);
        const Tensor w = Weight(37, 70, per_channel, 5);
        const PackedLinear packed(w, Bias(37));
        const int64_t zo = dtype == DType::kQInt8 ? 3 : 130;
        CHECK(IntsOf(Linear(x, packed, 0.2, zo, relu)) == Reference(x, w, Bias(37), 0.2, zo, relu));
      }
    }
  }
}

TEST_CASE("linear takes any leading shape and any view of the input") {
  const Tensor w = Weight(20, 33, true, 8);
  const PackedLinear packed(w, {});
  const Tensor base = RandomTensor({33, 2, 6}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 128), 9);
  const Tensor x = base.Permute({2, 1, 0});  // [6, 2, 33], not contiguous
  const Tensor y = Linear(x, packed, 0.5, 128, false);
  CHECK(y.shape() == std::vector<int64_t>{6, 2, 20});
  CHECK(IntsOf(y) == Reference(core::Clone(x), w, {}, 0.5, 128, false));
  // No rows: an empty result.
  const Tensor empty = core::Tensor::Empty({0, 33}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 0));
  CHECK(Linear(empty, packed, 0.5, 0, false).shape() == std::vector<int64_t>{0, 20});
}

TEST_CASE("linear with biases past int32's reach takes the exact int64 path") {
  // sx * sw = 1e-4: a bias of 1e6 is 1e10 steps, saturated to 2^31 - 1 as
  // quantize_per_tensor does; the sums then exceed int32.
  const Tensor x = RandomTensor({5, 40}, Quantizer::PerTensor(DType::kQUInt8, 0.01, 3), 6);
  const Tensor w = RandomTensor({9, 40}, Quantizer::PerTensor(DType::kQInt8, 0.01, 1), 7, 1.0f);
  std::vector<float> bias(9, 1e6f);
  bias[2] = -1e6f;
  bias[4] = 0.25f;
  const PackedLinear packed(w, bias);
  for (const double scale : {1e4, 1e7}) {
    CHECK(IntsOf(Linear(x, packed, scale, 128, false)) == Reference(x, w, bias, scale, 128, false));
  }
  // Past 2^31 the sums saturate the output; wrapped int32 sums would not.
  const Tensor ones = RandomTensor({1, 40}, Quantizer::PerTensor(DType::kQUInt8, 0.01, 0), 1);
  const Tensor big = core::Quantize(std::vector<float>(40, 1.27f).data(), {1, 40},
                                    Quantizer::PerTensor(DType::kQInt8, 0.01, 0));
  const PackedLinear saturating(big, {1e6f});
  core::Fill(ones, 2.55f);
  CHECK(IntsOf(Linear(ones, saturating, 1e-3, 0, false)) == std::vector<int64_t>{255});
}

TEST_CASE("linear on two threads gives one thread's integers") {
  // 64 rows: the threads split the columns; 300: the rows.
  for (const int64_t rows : {64, 300}) {
    CAPTURE(rows);
    const Tensor x = RandomTensor({rows, 512}, Quantizer::PerTensor(DType::kQUInt8, 0.05, 100), 1);
    const Tensor w = Weight(256, 512, true, 2);
    const PackedLinear packed(w, Bias(256));
    // Both results alive at once: the second cannot reuse the first's block
    // (results are not zeroed), so every integer it holds was written.
    core::SetNumThreads(1);
    const Tensor y1 = Linear(x, packed, 0.3, 128, false);
    core::SetNumThreads(2);
    const Tensor y2 = Linear(x, packed, 0.3, 128, false);
    core::SetNumThreads(1);
    const std::vector<int64_t> one = IntsOf(y1), two = IntsOf(y2);
    CHECK(one == two);
    CHECK(one == Reference(x, w, Bias(256), 0.3, 128, false));
  }
}

TEST_CASE("packed linear keeps its weight and bias") {
  const Tensor w = Weight(5, 9, true, 3).Transpose(0, 1).Transpose(0, 1);
  const PackedLinear packed(w, Bias(5));
  CHECK(packed.out_features() == 5);
  CHECK(packed.in_features() == 9);
  CHECK(IntBytes(packed.weight()) == IntBytes(w));
  CHECK(packed.weight().Params().Scales() == w.Params().Scales());
  CHECK(packed.bias() == Bias(5));
}

TEST_CASE("linear refuses bad weights, biases, inputs and output parameters") {
  using core::ErrorKind;
  const Tensor w = Weight(4, 6, false, 1);
  const Tensor w_u8 = RandomTensor({4, 6}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 0), 1);
  CHECK(ErrorKindOf([&] { PackedLinear(w_u8, {}); }) == ErrorKind::kTypeMismatch);
  CHECK(ErrorKindOf([&] { PackedLinear(w.Unsqueeze(0), {}); }) == ErrorKind::kShapeMismatch);
  const Tensor w_axis1 =
      RandomTensor({4, 6},
                   Quantizer::PerChannel(DType::kQInt8, std::vector<double>(6, 0.1),
                                         std::vector<int64_t>(6, 0), 1),
                   1);
  CHECK(ErrorKindOf([&] { PackedLinear(w_axis1, {}); }) == ErrorKind::kInvalidArgument);
  CHECK(ErrorKindOf([&] { PackedLinear(w, {1.0f, 2.0f}); }) == ErrorKind::kShapeMismatch);
  CHECK(ErrorKindOf([&] {
          PackedLinear(w, {1.0f, NAN, 0.0f, 0.0f});
        }) == ErrorKind::kInvalidArgument);
  const Tensor no_depth = Tensor::Empty({4, 0}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0));
  CHECK(ErrorKindOf([&] { PackedLinear(no_depth, {}); }) == ErrorKind::kInvalidArgument);

  const PackedLinear packed(w, {});
  const Tensor x = RandomTensor({3, 6}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 0), 2);
  const Tensor x32 = RandomTensor({3, 6}, Quantizer::PerTensor(DType::kQInt32, 0.1, 0), 2);
  const Tensor x_channels =
      RandomTensor({3, 6}, Quantizer::PerChannel(DType::kQUInt8, {0.1, 0.2, 0.3}, {0, 0, 0}, 0), 2);
  CHECK(ErrorKindOf([&] { Linear(x32, packed, 0.1, 0, false); }) == ErrorKind::kTypeMismatch);
  CHECK(ErrorKindOf([&] { Linear(x_channels, packed, 0.1, 0, false); }) ==
        ErrorKind::kInvalidArgument);
  CHECK(ErrorKindOf([&] { Linear(x.Narrow(1, 0, 5), packed, 0.1, 0, false); }) ==
        ErrorKind::kShapeMismatch);
  CHECK(ErrorKindOf([&] { Linear(x, packed, 0.0, 0, false); }) != ErrorKind::kNotFound);
  CHECK(ErrorKindOf([&] { Linear(x, packed, 0.1, 256, false); }) != ErrorKind::kNotFound);
  CHECK(ErrorKindOf([&] { Linear(x, packed, NAN, 0, false); }) != ErrorKind::kNotFound);
}

}  // namespace
}  // namespace qtensor::ops
