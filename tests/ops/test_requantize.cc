// Requantize against its definition: quantizing the source's dequantized
// float32 values with the new quantizer, element for element, for every
// source and target dtype and scheme, views included, and sizes that take
// every chunking path (one pass, slices of the leading dim, one leading
// index at a time).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "ops/requantize.h"
#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

std::vector<float> Values(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 4.0f);
  std::vector<float> values(n);
  for (float& v : values) v = normal(rng);
  // Ties, saturation and non-finite values among them.
  const float specials[] = {0.5f,     -0.5f,     1.5f, 2.5f, 1e9f, -1e9f,
                            INFINITY, -INFINITY, NAN,  0.0f, -0.0f};
  for (size_t i = 0; i < n && i < std::size(specials); ++i) values[i * 7 % n] = specials[i];
  return values;
}

Quantizer PerChannel(DType dtype, int64_t channels, int64_t axis, double base) {
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  const int64_t zero_span = dtype == DType::kQUInt8 ? 200 : 50;
  for (int64_t c = 0; c < channels; ++c) {
    scales.push_back(base * (1.0 + 0.37 * static_cast<double>(c % 5)));
    zero_points.push_back((c * 13) % zero_span - (dtype == DType::kQUInt8 ? 0 : 25));
  }
  return Quantizer::PerChannel(dtype, scales, zero_points, axis);
}

// Requantize(src, target) against Quantize(Dequantize(src), target).
void CheckAgainstDefinition(const Tensor& src, const Quantizer& target) {
  std::vector<float> values(static_cast<size_t>(src.numel()));
  core::Dequantize(src, values.data());
  const Tensor expected = core::Quantize(values.data(), src.shape(), target);
  const Tensor actual = Requantize(src, target);
  CHECK(actual.shape() == src.shape());
  CHECK(actual.IsContiguous());
  CHECK(actual.EffectiveQuantizer() == expected.EffectiveQuantizer());
  CHECK(IntBytes(actual) == IntBytes(expected));
}

const DType kDTypes[] = {DType::kQInt8, DType::kQUInt8, DType::kQInt32};

TEST_CASE("requantize equals quantize of the dequantized values for every scheme and dtype") {
  const std::vector<int64_t> shape = {4, 5, 6};
  const std::vector<float> data = Values(4 * 5 * 6, 1);
  for (DType from : kDTypes) {
    const Tensor sources[] = {
        core::Quantize(data.data(), shape, Quantizer::PerTensor(from, 0.05, 3)),
        core::Quantize(data.data(), shape, PerChannel(from, 5, 1, 0.03)),
    };
    for (const Tensor& source : sources) {
      const Tensor views[] = {source, source.Transpose(0, 2), source.Slice(1, 4, 0, -2),
                              source.Select(2, 3), source.Permute({2, 0, 1}).Slice(0, 1, 6, 2)};
      for (const Tensor& view : views) {
        for (DType to : kDTypes) {
          const std::string from_name = core::DTypeName(from), to_name = core::DTypeName(to);
          CAPTURE(from_name);
          CAPTURE(to_name);
          CheckAgainstDefinition(view,
                                 Quantizer::PerTensor(to, 0.11, to == DType::kQUInt8 ? 7 : -2));
          CheckAgainstDefinition(view, PerChannel(to, view.shape()[0], 0, 0.02));
          CheckAgainstDefinition(view, PerChannel(to, view.shape().back(), -1, 0.07));
        }
      }
    }
  }
}

TEST_CASE("requantize chunks large tensors without changing a value") {
  // 1-d past one chunk; leading dim sliced; rows longer than a chunk.
  const std::vector<std::vector<int64_t>> shapes = {{70001}, {9, 5000}, {2, 3, 40000}};
  for (const auto& shape : shapes) {
    int64_t numel = 1;
    for (int64_t size : shape) numel *= size;
    const std::vector<float> data = Values(static_cast<size_t>(numel), 2);
    const Tensor source =
        core::Quantize(data.data(), shape, PerChannel(DType::kQInt8, shape[0], 0, 0.04));
    CheckAgainstDefinition(source, Quantizer::PerTensor(DType::kQUInt8, 0.09, 128));
    CheckAgainstDefinition(source.Transpose(0, -1),
                           PerChannel(DType::kQInt32, shape.back(), 0, 0.001));
  }
}

TEST_CASE("requantize refuses a quantizer whose channels do not fit the shape") {
  const std::vector<float> data = Values(6, 3);
  const Tensor source =
      core::Quantize(data.data(), {2, 3}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0));
  CHECK_THROWS_AS(Requantize(source, PerChannel(DType::kQInt8, 4, 1, 0.1)), core::Error);
  CHECK_THROWS_AS(Requantize(source, PerChannel(DType::kQInt8, 2, 2, 0.1)), core::Error);
  CHECK(IntBytes(source) ==
        IntBytes(core::Quantize(data.data(), {2, 3}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0))));
}

}  // namespace
}  // namespace qtensor::ops
