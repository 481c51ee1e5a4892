// add, add_relu, mul and mul_relu against their formulas, element by
// element: NumPy broadcasting, views, per-channel inputs (each element with
// its own parameters), mixed dtypes (the result has the first input's), and
// qint32 products past int32.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/quantize_kernels.h"
#include "ops/binary.h"

#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

// One element's integer, zero point and scales, read through GetElement's
// own index arithmetic rather than the operator's.
struct Element {
  int64_t q, zero_point;
  double scale;
  float value;  // dequantized
};

Element At(const Tensor& t, const std::vector<int64_t>& index) {
  const Quantizer quantizer = t.EffectiveQuantizer();
  const int64_t channel = quantizer.per_channel() ? index[quantizer.axis()] : 0;
  std::vector<uint8_t> bytes(static_cast<size_t>(t.numel()) * core::ElementSize(t.dtype()));
  core::IntRepr(t, bytes.data());
  int64_t flat = 0;
  for (size_t d = 0; d < index.size(); ++d) flat = flat * t.shape()[d] + index[d];
  const int64_t q = core::VisitDType(t.dtype(), [&](auto v) -> int64_t {
    return reinterpret_cast<const decltype(v)*>(bytes.data())[flat];
  });
  return {q, quantizer.zero_points()[channel], quantizer.scales()[channel],
          core::GetElement(t, index)};
}

// The index of `t` an element of the broadcast result at `index` reads.
std::vector<int64_t> SourceIndex(const Tensor& t, const std::vector<int64_t>& index) {
  std::vector<int64_t> source(t.ndim());
  const size_t skip = index.size() - t.ndim();
  for (size_t d = 0; d < t.ndim(); ++d) source[d] = t.shape()[d] == 1 ? 0 : index[skip + d];
  return source;
}

int64_t Expected(BinaryOp op, bool relu, const Element& a, const Element& b, DType dtype,
                 double scale, int64_t zero_point) {
  return core::VisitDType(dtype, [&](auto v) -> int64_t {
    using T = decltype(v);
    const float inv_scale = 1.0f / static_cast<float>(scale);
    if (op == BinaryOp::kAdd) {
      float sum = a.value + b.value;
      if (relu) sum = std::max(sum, 0.0f);
      return kernels::scalar::QuantizeValue<T>(sum, inv_scale, zero_point);
    }
    const float multiplier = static_cast<float>(a.scale) * static_cast<float>(b.scale) * inv_scale;
    const float product = static_cast<float>((a.q - a.zero_point) * (b.q - b.zero_point));
    T q = kernels::scalar::QuantizeValue<T>(product, multiplier, zero_point);
    if (relu) q = std::max<T>(q, static_cast<T>(zero_point));
    return q;
  });
}

void CheckAgainstFormula(BinaryOp op, bool relu, const Tensor& a, const Tensor& b, double scale,
                         int64_t zero_point) {
  const Tensor result = Binary(op, a, b, scale, zero_point, relu);
  CHECK(result.dtype() == a.dtype());
  CHECK(result.EffectiveQuantizer() == Quantizer::PerTensor(a.dtype(), scale, zero_point));
  std::vector<int64_t> index(result.ndim(), 0);
  size_t wrong = 0;
  for (int64_t k = 0; k < result.numel(); ++k) {
    const Element got = At(result, index);
    const int64_t want = Expected(op, relu, At(a, SourceIndex(a, index)),
                                  At(b, SourceIndex(b, index)), a.dtype(), scale, zero_point);
    if (got.q != want) ++wrong;
    for (size_t d = index.size(); d-- > 0;) {
      if (++index[d] < result.shape()[d]) break;
      index[d] = 0;
    }
  }
  CHECK(wrong == 0);
}

Quantizer PerChannel(DType dtype, int64_t channels, int64_t axis) {
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  for (int64_t c = 0; c < channels; ++c) {
    scales.push_back(0.013 * static_cast<double>(c + 2));
    zero_points.push_back(dtype == DType::kQUInt8 ? 90 + 3 * c : 2 * c - 5);
  }
  return Quantizer::PerChannel(dtype, scales, zero_points, axis);
}

TEST_CASE("add and mul follow their formulas with broadcasting, views and any scheme") {
  const Tensor a = RandomTensor({4, 3, 5}, Quantizer::PerTensor(DType::kQUInt8, 0.031, 37), 1);
  const Tensor b = RandomTensor({3, 1}, Quantizer::PerTensor(DType::kQUInt8, 0.047, 101), 2);
  const Tensor c = RandomTensor({5, 3, 4}, PerChannel(DType::kQInt8, 3, 1), 3).Transpose(0, 2);
  const Tensor d = RandomTensor({5}, Quantizer::PerTensor(DType::kQInt32, 0.002, -7), 4);
  const struct {
    const Tensor& x;
    const Tensor& y;
  } pairs[] = {{a, a}, {a, b}, {b, a}, {a, c}, {c, a}, {c, d}, {d, c}};
  for (const auto& pair : pairs) {
    for (BinaryOp op : {BinaryOp::kAdd, BinaryOp::kMul}) {
      for (bool relu : {false, true}) {
        CheckAgainstFormula(op, relu, pair.x, pair.y, 0.05,
                            pair.x.dtype() == DType::kQUInt8 ? 77 : 3);
        CheckAgainstFormula(op, relu, pair.x, pair.y, 0.0123,
                            pair.x.dtype() == DType::kQUInt8 ? 0 : -9);
      }
    }
  }
}

TEST_CASE("a qint32 product past int32 is exact before it is scaled") {
  const std::vector<float> values = {5.0f, -4.0f, 3.0f};  // 500000, -400000, 300000
  const Tensor big =
      core::Quantize(values.data(), {3}, Quantizer::PerTensor(DType::kQInt32, 1e-5, 0));
  CheckAgainstFormula(BinaryOp::kMul, false, big, big, 1.0, 0);
  const Tensor result = Binary(BinaryOp::kMul, big, big, 1e-3, 0, false);
  // 500000^2 = 2.5e11 (past int32) times 1e-10 / 1e-3: 25000.
  CHECK(At(result, {0}).q == 25000);
  CHECK(At(result, {1}).q == 16000);
}

TEST_CASE("shapes that do not broadcast and bad output parameters are refused") {
  const Tensor a = RandomTensor({2, 3}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0), 6);
  const Tensor b = RandomTensor({4}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0), 7);
  try {
    Binary(BinaryOp::kAdd, a, b, 0.1, 0, false);
    FAIL("no error");
  } catch (const core::Error& error) {
    CHECK(std::string(error.what()) == "add: shapes (2, 3) and (4,) do not broadcast");
  }
  CHECK_THROWS_AS(Binary(BinaryOp::kMul, a, a, -1.0, 0, true), core::Error);
  CHECK_THROWS_AS(Binary(BinaryOp::kMul, a, a, 0.1, 200, false), core::Error);
  const Tensor empty = RandomTensor({0, 3}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0), 8);
  CHECK(Binary(BinaryOp::kAdd, empty, a.Select(0, 1), 0.1, 0, false).shape() ==
        std::vector<int64_t>{0, 3});
}

}  // namespace
}  // namespace qtensor::ops
