// Quantizing into tensors with GGUF rounding (core/gguf_rounding.h) through
// the core, on every path it takes: blocks of 32 along the last axis of a
// whole tensor (also with a short last block, and on two threads), blocks
// along another axis, views, per tensor and per channel; each element
// against the scalar value formula with its own scale.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/gguf_rounding.h"
#include "core/parallel.h"
#include "core/quantizer.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "int_values.h"

namespace {

using qtensor::core::DType;
using qtensor::core::Quantizer;
using qtensor::core::QuantizerForms;
using qtensor::core::Rounding;
using qtensor::core::ScaleType;
using qtensor::core::Tensor;
namespace core = qtensor::core;

constexpr QuantizerForms kGguf{Rounding::kGguf, ScaleType::kFloat16};

int64_t ZeroPointOf(DType dtype) { return dtype == DType::kQUInt4 ? 8 : 0; }

// Float16 scales: ordinary ones of both signs, 0 and -0.
std::vector<double> Scales(size_t n) {
  std::vector<double> scales(n);
  for (size_t i = 0; i < n; ++i) {
    const double d = 0.0625 + static_cast<double>(i % 13) * 0.0078125;
    scales[i] = i % 11 == 5 ? (i % 2 == 0 ? 0.0 : -0.0) : i % 3 == 1 ? -d : d;
  }
  return scales;
}

// Values with ties, NaN and infinities among them.
std::vector<float> Data(size_t n) {
  const float special[] = {NAN, INFINITY, -INFINITY, 0.15625f, -0.15625f, 1e6f};
  std::vector<float> x(n);
  for (size_t k = 0; k < n; ++k) {
    x[k] = k % 29 == 0 ? special[k / 29 % 6] : static_cast<float>(k % 611) * 0.0137f - 4.0f;
  }
  return x;
}

// Every element k of q (quantized from x) is the formula's value with the
// scale scale_of(k).
void CheckEachElement(const Tensor& q, const std::vector<float>& x,
                      const std::function<double(size_t)>& scale_of) {
  const std::vector<int64_t> ints = IntValues(q);
  REQUIRE(ints.size() == x.size());
  size_t wrong = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    const uint8_t value = core::QuantizeGgufValue(q.dtype(), x[k], static_cast<float>(scale_of(k)));
    const int64_t want = q.dtype() == DType::kQInt8 ? int64_t{static_cast<int8_t>(value)} : value;
    if (ints[k] != want) {
      CAPTURE(k);
      CAPTURE(x[k]);
      CHECK(ints[k] == want);
      ++wrong;
    }
  }
  CHECK(wrong == 0);
}

}  // namespace

TEST_CASE("gguf rounding: blocks along the last axis, whole tensors and views") {
  for (DType dtype : {DType::kQInt8, DType::kQUInt4}) {
    CAPTURE(core::DTypeName(dtype));
    // [6, 70] in blocks of 32: three blocks a row, the last of 6.
    const std::vector<double> scales = Scales(size_t{6} * 3);
    const Quantizer quantizer = Quantizer::PerBlock(
        dtype, scales, std::vector<int64_t>(scales.size(), ZeroPointOf(dtype)), -1, 32, kGguf);
    const std::vector<float> x = Data(size_t{6} * 70);
    const auto scale_of = [&](size_t k) { return scales[k / 70 * 3 + k % 70 / 32]; };
    const Tensor q = core::Quantize(x.data(), {6, 70}, quantizer);
    CheckEachElement(q, x, scale_of);
    // Into a view (rows 1..3, columns 3..60): element by element.
    const Tensor part = q.Slice(0, 1, 4, 1).Slice(1, 3, 61, 1);
    const std::vector<float> y = Data(size_t{3} * 58);
    core::QuantizeInto(part, y.data());
    CheckEachElement(part, y, [&](size_t k) { return scale_of((k / 58 + 1) * 70 + k % 58 + 3); });
  }
}

TEST_CASE("gguf rounding: blocks along the first axis") {
  for (DType dtype : {DType::kQInt8, DType::kQUInt4}) {
    CAPTURE(core::DTypeName(dtype));
    // [40, 5] in blocks of 32 along axis 0: parameters [2][5].
    const std::vector<double> scales = Scales(size_t{2} * 5);
    const Quantizer quantizer = Quantizer::PerBlock(
        dtype, scales, std::vector<int64_t>(scales.size(), ZeroPointOf(dtype)), 0, 32, kGguf);
    const std::vector<float> x = Data(size_t{40} * 5);
    const Tensor q = core::Quantize(x.data(), {40, 5}, quantizer);
    CheckEachElement(q, x, [&](size_t k) { return scales[k / 5 / 32 * 5 + k % 5]; });
  }
}

TEST_CASE("gguf rounding: per tensor and per channel") {
  for (DType dtype : {DType::kQInt8, DType::kQUInt4}) {
    CAPTURE(core::DTypeName(dtype));
    const std::vector<float> x = Data(size_t{9} * 37);
    const Tensor one = core::Quantize(
        x.data(), {9, 37}, Quantizer::PerTensor(dtype, -0.125, ZeroPointOf(dtype), kGguf));
    CheckEachElement(one, x, [](size_t) { return -0.125; });
    for (int64_t axis : {0, 1}) {
      CAPTURE(axis);
      const std::vector<double> scales = Scales(axis == 0 ? 9 : 37);
      const Quantizer quantizer = Quantizer::PerChannel(
          dtype, scales, std::vector<int64_t>(scales.size(), ZeroPointOf(dtype)), axis, kGguf);
      const Tensor q = core::Quantize(x.data(), {9, 37}, quantizer);
      CheckEachElement(q, x, [&](size_t k) { return scales[axis == 0 ? k / 37 : k % 37]; });
    }
  }
}

TEST_CASE("gguf rounding: large tensors on two threads") {
  struct Restore {
    ~Restore() { core::SetNumThreads(1); }
  } restore;
  core::SetNumThreads(2);
  // [1024, 1056]: past core::kParallelElements, split by rows.
  constexpr int64_t kRows = 1024, kColumns = 1056, kBlocks = kColumns / 32;
  const std::vector<float> x = Data(static_cast<size_t>(kRows * kColumns));
  for (DType dtype : {DType::kQInt8, DType::kQUInt4}) {
    CAPTURE(core::DTypeName(dtype));
    const std::vector<double> scales = Scales(static_cast<size_t>(kRows * kBlocks));
    const Quantizer blocks = Quantizer::PerBlock(
        dtype, scales, std::vector<int64_t>(scales.size(), ZeroPointOf(dtype)), -1, 32, kGguf);
    CheckEachElement(core::Quantize(x.data(), {kRows, kColumns}, blocks), x,
                     [&](size_t k) { return scales[k / kColumns * kBlocks + k % kColumns / 32]; });
    const std::vector<double> row_scales = Scales(kRows);
    const Quantizer rows = Quantizer::PerChannel(
        dtype, row_scales, std::vector<int64_t>(kRows, ZeroPointOf(dtype)), 0, kGguf);
    CheckEachElement(core::Quantize(x.data(), {kRows, kColumns}, rows), x,
                     [&](size_t k) { return row_scales[k / kColumns]; });
  }
}
