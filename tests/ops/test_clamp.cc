// relu, relu_, relu6 and clamp against their integer formulas: each element
// clamped to bounds quantized with its own channel's parameters, the result
// keeping the source's parameters; views of any layout; relu_ writes the
// view and nothing else.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "kernels/quantize_kernels.h"
#include "ops/clamp.h"

#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

Tensor Random(const std::vector<int64_t>& shape, const Quantizer& quantizer, uint32_t seed) {
  return RandomTensor(shape, quantizer, seed, 8.0f);
}

Quantizer PerChannel(DType dtype, int64_t channels, int64_t axis) {
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  for (int64_t c = 0; c < channels; ++c) {
    scales.push_back(0.05 * static_cast<double>(c + 1));
    zero_points.push_back(dtype == DType::kQUInt8 ? 100 + c : c - 3);
  }
  return Quantizer::PerChannel(dtype, scales, zero_points, axis);
}

// Integers of the view, row-major, widened, and each one's (scale, zp).
struct Elements {
  std::vector<int64_t> ints;
  std::vector<float> inv_scales;
  std::vector<int64_t> zero_points;
};

Elements ElementsOf(const Tensor& tensor) {
  Elements e;
  const size_t n = static_cast<size_t>(tensor.numel());
  std::vector<uint8_t> bytes(n * core::ElementSize(tensor.dtype()));
  core::IntRepr(tensor, bytes.data());
  core::VisitDType(tensor.dtype(), [&](auto t) {
    using T = decltype(t);
    const T* ints = reinterpret_cast<const T*>(bytes.data());
    e.ints.assign(ints, ints + n);
  });
  const core::ElementParams p = tensor.Params();
  for (size_t o = 0; o < p.outer; ++o) {
    for (size_t c = 0; c < p.channels; ++c) {
      for (size_t i = 0; i < p.inner; ++i) {
        e.inv_scales.push_back(p.channel.inv_scales[c]);
        e.zero_points.push_back(p.zero_point(c));
      }
    }
  }
  return e;
}

int64_t QuantizeWith(DType dtype, float x, float inv_scale, int64_t zero_point) {
  return core::VisitDType(dtype, [&](auto t) -> int64_t {
    using T = decltype(t);
    return kernels::scalar::QuantizeValue<T>(x, inv_scale, zero_point);
  });
}

// result == min(max(q, low(element)), high(element)) for every element.
template <class Low, class High>
void CheckClamped(const Tensor& source, const Tensor& result, Low low, High high) {
  const Elements in = ElementsOf(source);
  const Elements out = ElementsOf(result);
  REQUIRE(out.ints.size() == in.ints.size());
  CHECK(result.EffectiveQuantizer() == source.EffectiveQuantizer());
  CHECK(result.IsContiguous());
  size_t wrong = 0;
  for (size_t k = 0; k < in.ints.size(); ++k) {
    const int64_t expected = std::min(std::max(in.ints[k], low(in, k)), high(in, k));
    if (out.ints[k] != expected) ++wrong;
  }
  CHECK(wrong == 0);
}

std::vector<Tensor> Sources(DType dtype) {
  const Tensor per_tensor =
      Random({6, 7, 9}, Quantizer::PerTensor(dtype, 0.1, dtype == DType::kQUInt8 ? 120 : 5), 1);
  const Tensor per_channel = Random({6, 7, 9}, PerChannel(dtype, 7, 1), 2);
  const Tensor last_axis = Random({5, 100, 3}, PerChannel(dtype, 3, 2), 3);  // short runs
  const Tensor long_rows = Random({2, 200}, PerChannel(dtype, 2, 0), 4);     // long runs
  return {per_tensor,
          per_tensor.Transpose(0, 2).Slice(1, 6, 0, -2),
          per_channel,
          per_channel.Permute({1, 2, 0}),
          per_channel.Select(1, 4),
          last_axis,
          last_axis.Slice(1, 3, 90, 7),
          long_rows};
}

const DType kDTypes[] = {DType::kQInt8, DType::kQUInt8, DType::kQInt32};

TEST_CASE("relu, relu6 and clamp clamp each integer to its own channel's bounds") {
  for (DType dtype : kDTypes) {
    const std::string name = core::DTypeName(dtype);
    CAPTURE(name);
    const int64_t highest = core::VisitDType(
        dtype, [](auto t) -> int64_t { return std::numeric_limits<decltype(t)>::max(); });
    for (const Tensor& source : Sources(dtype)) {
      auto zero_point = [](const Elements& e, size_t k) { return e.zero_points[k]; };
      auto none = [&](const Elements&, size_t) { return highest; };
      auto value = [&](float x) {
        return [=](const Elements& e, size_t k) {
          return QuantizeWith(dtype, x, e.inv_scales[k], e.zero_points[k]);
        };
      };
      CheckClamped(source, Relu(source), zero_point, none);
      CheckClamped(source, Relu6(source), zero_point, value(6.0f));
      CheckClamped(source, Clamp(source, -1.25f, 2.5f), value(-1.25f), value(2.5f));
      CheckClamped(source, Clamp(source, 3.0f, -3.0f), value(3.0f), value(-3.0f));  // max wins
      CheckClamped(source, Clamp(source, -INFINITY, INFINITY), value(-INFINITY), value(INFINITY));
    }
  }
}

TEST_CASE("relu_ writes the view's own elements and no other") {
  for (DType dtype : kDTypes) {
    for (const Tensor& source : Sources(dtype)) {
      const Tensor base = core::Clone(source);  // its own storage
      const Tensor whole = base;
      const Tensor view = base.ndim() > 1 ? base.Slice(0, 0, base.shape()[0], 2) : base;
      const Elements before = ElementsOf(whole);
      const Tensor expected = Relu(view);
      ReluInPlace(view);
      CHECK(ElementsOf(view).ints == ElementsOf(expected).ints);
      if (view.ndim() > 1 && base.shape()[0] > 1) {  // the odd rows are untouched
        const Tensor rest = base.Slice(0, 1, base.shape()[0], 2);
        const Tensor rest_before = core::Clone(source).Slice(0, 1, base.shape()[0], 2);
        CHECK(ElementsOf(rest).ints == ElementsOf(rest_before).ints);
      }
      CHECK(before.ints.size() == ElementsOf(whole).ints.size());
    }
  }
}

TEST_CASE("clamp refuses NaN bounds and leaves the source as it was") {
  const Tensor source = Random({3, 4}, Quantizer::PerTensor(DType::kQInt8, 0.1, 0), 5);
  const Elements before = ElementsOf(source);
  CHECK_THROWS_AS(Clamp(source, NAN, 1.0f), core::Error);
  CHECK_THROWS_AS(Clamp(source, -1.0f, NAN), core::Error);
  CHECK(ElementsOf(source).ints == before.ints);
}

TEST_CASE("empty tensors give empty results") {
  const Tensor empty = core::Tensor::Empty({0, 3}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 4));
  CHECK(Relu(empty).numel() == 0);
  CHECK(Relu(empty).shape() == std::vector<int64_t>{0, 3});
  ReluInPlace(empty);
  CHECK(Clamp(empty, 0.0f, 1.0f).numel() == 0);
}

}  // namespace
}  // namespace qtensor::ops
