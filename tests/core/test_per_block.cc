// Per-block quantization: one scale and zero point per block of block_size
// elements along an axis, parameters in ONNX's layout. The whole storage
// (kernels) and every view (element by element) against the formulas, the
// effective quantizer of views, files, printing and the operators' refusal.

#include <doctest/doctest.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "int_values.h"
#include "io/serialize.h"
#include "ops/binary.h"
#include "ops/requantize.h"

namespace {

using qtensor::core::DType;
using qtensor::core::Quantizer;
using qtensor::core::Rounding;
using qtensor::core::Tensor;
namespace core = qtensor::core;

struct Case {
  std::vector<int64_t> shape;
  int64_t axis, block_size;
};

// Random parameters for shape: ceil(size / block) blocks along axis.
Quantizer RandomBlocks(DType dtype, const Case& c, unsigned seed) {
  size_t count = 1;
  const int64_t axis = c.axis < 0 ? c.axis + static_cast<int64_t>(c.shape.size()) : c.axis;
  for (size_t d = 0; d < c.shape.size(); ++d) {
    const int64_t size = c.shape[d];
    count *= static_cast<size_t>(
        static_cast<int64_t>(d) == axis ? (size + c.block_size - 1) / c.block_size : size);
  }
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> scale(0.01f, 0.5f);
  std::uniform_int_distribution<int64_t> zero_point(core::QMin(dtype), core::QMax(dtype));
  std::vector<double> scales(count);
  std::vector<int64_t> zero_points(count);
  for (size_t i = 0; i < count; ++i) {
    scales[i] = scale(rng);
    zero_points[i] = zero_point(rng) / 2;
  }
  return Quantizer::PerBlock(dtype, scales, zero_points, c.axis, c.block_size);
}

// The index of the parameters of the element at flat row-major index k.
size_t ParamIndex(const Case& c, int64_t k) {
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(c.axis) + 1; d < c.shape.size(); ++d) inner *= c.shape[d];
  const int64_t size = c.shape[c.axis];
  const int64_t blocks = (size + c.block_size - 1) / c.block_size;
  const int64_t o = k / (size * inner), a = k / inner % size, i = k % inner;
  return static_cast<size_t>((o * blocks + a / c.block_size) * inner + i);
}

int64_t Quantized(float x, double scale, int64_t zero_point, DType dtype, Rounding rounding) {
  const float s = static_cast<float>(scale);
  const float v = rounding == Rounding::kOnnx ? x / s : x * (1.0f / s);
  const int64_t q = zero_point + static_cast<int64_t>(std::nearbyint(v));
  return std::min(std::max(q, core::QMin(dtype)), core::QMax(dtype));
}

std::vector<float> Values(const Tensor& t) {
  std::vector<float> out(static_cast<size_t>(t.numel()));
  core::Dequantize(t, out.data());
  return out;
}

}  // namespace

TEST_CASE("per block: the whole storage quantizes and dequantizes by the formulas") {
  const Case cases[] = {{{3, 70}, 1, 32}, {{70, 3}, 0, 32}, {{2, 5, 9}, 1, 2}, {{4, 6}, -1, 7}};
  for (const Case& c : cases) {
    for (DType dtype : {DType::kQInt8, DType::kQUInt4, DType::kQInt4, DType::kQInt16}) {
      for (Rounding rounding : {Rounding::kPyTorch, Rounding::kOnnx}) {
        CAPTURE(core::DTypeName(dtype));
        CAPTURE(static_cast<int>(rounding));
        CAPTURE(c.shape.size());
        const Quantizer q = RandomBlocks(dtype, c, 5).WithRounding(rounding);
        const Case resolved{c.shape,
                            c.axis < 0 ? c.axis + static_cast<int64_t>(c.shape.size()) : c.axis,
                            c.block_size};
        int64_t numel = 1;
        for (int64_t size : c.shape) numel *= size;
        std::mt19937 rng(9);
        std::uniform_real_distribution<float> dist(-6.0f, 6.0f);
        std::vector<float> x(static_cast<size_t>(numel));
        for (float& v : x) v = dist(rng);
        const Tensor t = core::Quantize(x.data(), c.shape, q);
        const std::vector<int64_t> ints = IntValues(t);
        const std::vector<float> values = Values(t);
        for (int64_t k = 0; k < numel; ++k) {
          const size_t p = ParamIndex(resolved, k);
          const auto i = static_cast<size_t>(k);
          REQUIRE(ints[i] == Quantized(x[i], q.scales()[p], q.zero_points()[p], dtype, rounding));
          REQUIRE(values[i] == static_cast<float>(ints[i] - q.zero_points()[p]) *
                                   static_cast<float>(q.scales()[p]));
        }
      }
    }
  }
}

TEST_CASE("per block: views read, write and report their own parameters") {
  const Case c{{3, 70}, 1, 32};
  const Quantizer q = RandomBlocks(DType::kQUInt4, c, 7);
  std::vector<float> x(210);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 13) * 0.37f - 2.0f;
  const Tensor base = core::Quantize(x.data(), c.shape, q);
  const std::vector<float> all = Values(base);

  // Element by element (views) against the kernels (the whole storage).
  const Tensor transposed = base.Transpose(0, 1).Slice(0, 3, 70, 5);  // [14, 3]
  const std::vector<float> values = Values(transposed);
  for (int64_t i = 0; i < 14; ++i) {
    for (int64_t j = 0; j < 3; ++j) {
      CHECK(values[static_cast<size_t>(i * 3 + j)] == all[static_cast<size_t>(j * 70 + 3 + 5 * i)]);
    }
  }
  // Effective quantizers: an aligned slice keeps blocks of 32; an unaligned
  // one gives each element its own; a clone dequantizes the same.
  const Tensor aligned = base.Slice(1, 32, 70, 1);
  const Quantizer qa = aligned.EffectiveQuantizer();
  CHECK(qa.per_block());
  CHECK(qa.block_size() == 32);
  CHECK(qa.axis() == 1);
  CHECK(qa.num_channels() == 6);
  CHECK(qa.scales()[0] == q.scales()[1]);
  const Tensor unaligned = base.Slice(1, 1, 70, 1);
  CHECK(unaligned.EffectiveQuantizer().block_size() == 1);
  CHECK(unaligned.EffectiveQuantizer().num_channels() == 3 * 69);
  CHECK(Values(core::Clone(unaligned)) == Values(unaligned));
  CHECK(Values(core::Clone(transposed)) == values);
  CHECK(base.Select(0, 1).Select(0, 40).EffectiveQuantizer().scales()[0] == q.scales()[4]);

  // Writing one column through a view quantizes with each element's block.
  core::Fill(base.Select(1, 33), 1.5f);
  for (int64_t r = 0; r < 3; ++r) {
    const size_t p = static_cast<size_t>(r * 3 + 1);
    const float expected = static_cast<float>(Quantized(1.5f, q.scales()[p], q.zero_points()[p],
                                                        DType::kQUInt4, Rounding::kPyTorch) -
                                              q.zero_points()[p]) *
                           static_cast<float>(q.scales()[p]);
    CHECK(core::GetElement(base, {r, 33}) == expected);
  }
}

TEST_CASE("per block: files, printing, requantize, and what is refused") {
  const Case c{{2, 40}, 1, 32};
  const Quantizer q = RandomBlocks(DType::kQInt8, c, 11);
  std::vector<float> x(80, 0.75f);
  const Tensor t = core::Quantize(x.data(), c.shape, q);
  for (const Tensor& view : {t, t.Slice(1, 32, 40, 1), t.Transpose(0, 1)}) {
    const auto buffer = qtensor::io::SerializeTensor(view);
    CHECK(buffer.data.get()[10] == 2);  // format_version 2
    const Tensor back = qtensor::io::DeserializeTensor(buffer.data.get(), buffer.size);
    CHECK(back.storage()->quantizer().per_block());
    CHECK(Values(back) == Values(view));
    CHECK(IntValues(back) == IntValues(view));
  }
  const std::string text = core::ToString(t);
  CHECK(text.find("quantization_scheme=qtensor.per_block_affine") != std::string::npos);
  CHECK(text.find("axis=1, block_size=32)") != std::string::npos);

  const Tensor per_tensor =
      qtensor::ops::Requantize(t, Quantizer::PerTensor(DType::kQInt8, 0.01, 0));
  std::vector<float> expected = Values(t);
  CHECK(IntValues(per_tensor) ==
        IntValues(core::Quantize(expected.data(), {2, 40},
                                 Quantizer::PerTensor(DType::kQInt8, 0.01, 0))));
  CHECK_THROWS_WITH_AS(qtensor::ops::Binary(qtensor::ops::BinaryOp::kAdd, t, t, 0.1, 0, false),
                       doctest::Contains("per-block tensors are not computed on"), core::Error);
  CHECK_THROWS_WITH_AS(Quantizer::PerBlock(DType::kQInt8, {1.0}, {0}, 0, 0),
                       doctest::Contains("block_size must be at least 1"), core::Error);
  CHECK_THROWS_WITH_AS(core::Quantize(x.data(), {8, 10}, q), doctest::Contains("needs 8"),
                       core::Error);
  // The count needs no overflow: a block size past every size is one block.
  const Quantizer huge = Quantizer::PerBlock(DType::kQInt8, {0.5, 0.25}, {0, 0}, 1, INT64_MAX);
  const Tensor one_block = core::Quantize(x.data(), {2, 40}, huge);
  CHECK(Values(one_block)[79] == 0.75f);
}

TEST_CASE("per block: whole rows of the storage read and write by the formulas") {
  // A narrow of the first dim (whole consecutive rows, as a loader reading a
  // tensor in chunks makes) takes the row kernels, also at an odd element
  // offset of a packed storage; only its own rows are written.
  const Case cases[] = {{{6, 64}, 1, 32}, {{5, 7}, 1, 2}, {{4, 6}, 1, 3}, {{4, 70}, 1, 32}};
  for (const Case& c : cases) {
    for (DType dtype : {DType::kQInt4, DType::kQUInt4, DType::kQUInt2x4, DType::kQInt8}) {
      for (Rounding rounding : {Rounding::kPyTorch, Rounding::kOnnx}) {
        if (rounding == Rounding::kOnnx && dtype == DType::kQUInt2x4) continue;  // no ONNX type
        CAPTURE(core::DTypeName(dtype));
        CAPTURE(c.shape[1]);
        CAPTURE(static_cast<int>(rounding));
        const Quantizer q = RandomBlocks(dtype, c, 11).WithRounding(rounding);
        const int64_t rows = c.shape[0], size = c.shape[1];
        std::vector<float> x(static_cast<size_t>(rows * size));
        for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 11) * 0.41f - 2.1f;
        const Tensor base = core::Quantize(x.data(), c.shape, q);
        const std::vector<int64_t> before = IntValues(base);
        const Tensor middle = base.Narrow(0, 1, rows - 2);
        // Reading: each element by its own block's parameters.
        const std::vector<float> values = Values(middle);
        for (int64_t k = 0; k < (rows - 2) * size; ++k) {
          const int64_t at = size + k;
          const size_t p = ParamIndex(c, at);
          REQUIRE(values[static_cast<size_t>(k)] ==
                  static_cast<float>(before[static_cast<size_t>(at)] - q.zero_points()[p]) *
                      static_cast<float>(q.scales()[p]));
        }
        // Writing: new values into those rows only.
        std::vector<float> y(static_cast<size_t>((rows - 2) * size));
        for (size_t i = 0; i < y.size(); ++i) y[i] = 1.9f - static_cast<float>(i % 5) * 0.77f;
        core::QuantizeInto(middle, y.data());
        const std::vector<int64_t> after = IntValues(base);
        for (int64_t at = 0; at < rows * size; ++at) {
          const auto i = static_cast<size_t>(at);
          if (at < size || at >= (rows - 1) * size) {
            REQUIRE(after[i] == before[i]);
          } else {
            const size_t p = ParamIndex(c, at);
            REQUIRE(after[i] == Quantized(y[i - static_cast<size_t>(size)], q.scales()[p],
                                          q.zero_points()[p], dtype, rounding));
          }
        }
      }
    }
  }
}

TEST_CASE("per block: the row kernels round ONNX's way where it differs from PyTorch's") {
  // Each pair is a float32 scale and a value on which x / scale and
  // x * (1 / scale) round to neighbouring integers (found by search).
  const float scales[4] = {0x1.0b0d36p-2f, 0x1.44bdf8p-3f, 0x1.db92fep-3f, 0x1.ecc2d8p-2f};
  const float ties[4] = {0x1.d3571ep-1f, 0x1.1c2638p-1f, 0x1.826770p+0f, -0x1.905e50p+1f};
  const float inf = std::numeric_limits<float>::infinity();
  for (DType dtype : {DType::kQInt4, DType::kQUInt4}) {
    CAPTURE(core::DTypeName(dtype));
    const int64_t zp = dtype == DType::kQInt4 ? 0 : 8;
    // [2, 64] in blocks of 32: whole rows of even length, the nibble path.
    std::vector<float> x(128);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 13) * 0.11f - 0.7f;
    for (size_t b = 0; b < 4; ++b) {
      x[b * 32 + 3] = ties[b];
      x[b * 32 + 10] = -ties[b];
    }
    x[5] = std::nanf("");
    x[40] = inf;
    x[71] = -inf;
    x[100] = -0.0f;
    const std::vector<double> block_scales(scales, scales + 4);
    const Quantizer pytorch =
        Quantizer::PerBlock(dtype, block_scales, std::vector<int64_t>(4, zp), 1, 32);
    const std::vector<int64_t> onnx_ints =
        IntValues(core::Quantize(x.data(), {2, 64}, pytorch.WithRounding(Rounding::kOnnx)));
    const std::vector<int64_t> pytorch_ints = IntValues(core::Quantize(x.data(), {2, 64}, pytorch));
    size_t differ = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      CAPTURE(i);
      const double s = scales[i / 32];
      if (std::isnan(x[i])) {
        REQUIRE(onnx_ints[i] == core::QMin(dtype));
        REQUIRE(pytorch_ints[i] == zp);
      } else if (std::isinf(x[i])) {
        const int64_t saturated = x[i] > 0 ? core::QMax(dtype) : core::QMin(dtype);
        REQUIRE(onnx_ints[i] == saturated);
        REQUIRE(pytorch_ints[i] == saturated);
      } else {
        REQUIRE(onnx_ints[i] == Quantized(x[i], s, zp, dtype, Rounding::kOnnx));
        REQUIRE(pytorch_ints[i] == Quantized(x[i], s, zp, dtype, Rounding::kPyTorch));
      }
      differ += onnx_ints[i] != pytorch_ints[i] ? 1 : 0;
    }
    CHECK(differ >= 5);  // the four ties and NaN, at least
  }
}
