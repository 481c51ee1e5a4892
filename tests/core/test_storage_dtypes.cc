// The storage dtypes (qint16, quint16 and the packed quint4x2, quint2x4,
// qint4, quint4): their ranges and packing, quantize and dequantize against
// the formula, every view against a plain walk of the unpacked integers,
// writes through views that share bytes, copies, and files.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/dtype.h"
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
using qtensor::core::Tensor;
namespace core = qtensor::core;

constexpr DType kStorageDTypes[] = {DType::kQInt16,   DType::kQUInt16, DType::kQUInt4x2,
                                    DType::kQUInt2x4, DType::kQInt4,   DType::kQUInt4};

// The quantize formula of docs/numerics.md, in int64.
int64_t Expected(float x, double scale, int64_t zero_point, DType dtype) {
  const float inv = 1.0f / static_cast<float>(scale);
  if (std::isnan(x)) return zero_point;
  const float product = x * inv;
  double rounded = std::nearbyint(static_cast<double>(product));
  rounded = std::fmin(std::fmax(rounded, -1e18), 1e18);
  const int64_t q = zero_point + static_cast<int64_t>(rounded);
  return std::min(std::max(q, core::QMin(dtype)), core::QMax(dtype));
}

std::vector<float> RandomFloats(size_t n, float spread, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-spread, spread);
  std::vector<float> out(n);
  for (float& v : out) v = dist(rng);
  return out;
}

}  // namespace

TEST_CASE("storage dtypes: names, ranges, bits and sizes") {
  struct Row {
    DType dtype;
    const char* name;
    int64_t qmin, qmax;
    int bits;
    size_t repr;
  };
  const Row rows[] = {{DType::kQInt16, "qint16", -32768, 32767, 16, 2},
                      {DType::kQUInt16, "quint16", 0, 65535, 16, 2},
                      {DType::kQUInt4x2, "quint4x2", 0, 15, 4, 1},
                      {DType::kQUInt2x4, "quint2x4", 0, 3, 2, 1},
                      {DType::kQInt4, "qint4", -8, 7, 4, 1},
                      {DType::kQUInt4, "quint4", 0, 15, 4, 1}};
  for (const Row& r : rows) {
    CAPTURE(r.name);
    CHECK(std::string(core::DTypeName(r.dtype)) == r.name);
    CHECK(core::QMin(r.dtype) == r.qmin);
    CHECK(core::QMax(r.dtype) == r.qmax);
    CHECK(core::ElementBits(r.dtype) == r.bits);
    CHECK(core::ElementSize(r.dtype) == r.repr);
    CHECK(core::StorageBytes(r.dtype, 7) == static_cast<size_t>((7 * r.bits + 7) / 8));
    CHECK(core::IsValidDType(static_cast<int>(r.dtype)));
  }
  CHECK_FALSE(core::IsValidDType(10));
  CHECK_FALSE(core::IsValidDType(0));
}

TEST_CASE("packed dtypes keep the first element in the low bits, as PyTorch and ONNX do") {
  // torch.quantize_per_tensor([-1, 0, .5, 1.2, 3, 7.9], .5, 2, torch.quint4x2)
  // has int_repr (its packed bytes) [32, 67, 248].
  const std::vector<float> x = {-1.0f, 0.0f, 0.5f, 1.2f, 3.0f, 7.9f};
  const Tensor q4 = core::Quantize(x.data(), {6}, Quantizer::PerTensor(DType::kQUInt4x2, 0.5, 2));
  std::vector<uint8_t> packed(3);
  core::StorageRepr(q4, packed.data());
  CHECK(packed == std::vector<uint8_t>{32, 67, 248});
  CHECK(IntValues(q4) == std::vector<int64_t>{0, 2, 3, 4, 8, 15});
  // torch's quint2x4 of the same floats, scale .5, zero point 1: [228, 15].
  const Tensor q2 = core::Quantize(x.data(), {6}, Quantizer::PerTensor(DType::kQUInt2x4, 0.5, 1));
  core::StorageRepr(q2, packed.data());
  CHECK(std::vector<uint8_t>(packed.begin(), packed.begin() + 2) == std::vector<uint8_t>{228, 15});
  // ONNX int4: two's complement nibbles, low first; the odd last byte's high
  // nibble is 0.
  const std::vector<int8_t> ints = {-1, 7, -8};
  const Tensor i4 =
      core::FromIntRepr(ints.data(), 3, {3}, Quantizer::PerTensor(DType::kQInt4, 1.0, 0));
  core::StorageRepr(i4, packed.data());
  CHECK(packed[0] == 0x7F);
  CHECK(packed[1] == 0x08);
  CHECK(IntValues(i4) == std::vector<int64_t>{-1, 7, -8});
}

TEST_CASE("quantize and dequantize of the storage dtypes follow the formula") {
  const std::vector<float> x = RandomFloats(1001, 40.0f, 7);
  for (DType dtype : kStorageDTypes) {
    CAPTURE(core::DTypeName(dtype));
    const double scale = core::ElementBits(dtype) == 16 ? 0.001 : 2.5;
    const int64_t zero_point = core::QMin(dtype) < 0 ? -1 : 1;
    const Tensor q =
        core::Quantize(x.data(), {7, 11, 13}, Quantizer::PerTensor(dtype, scale, zero_point));
    const std::vector<int64_t> ints = IntValues(q);
    std::vector<float> values(ints.size());
    core::Dequantize(q, values.data());
    int saturated = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      REQUIRE(ints[i] == Expected(x[i], scale, zero_point, dtype));
      const float expected = static_cast<float>(ints[i] - zero_point) * static_cast<float>(scale);
      REQUIRE(values[i] == expected);
      saturated += ints[i] == core::QMin(dtype) || ints[i] == core::QMax(dtype);
    }
    CHECK(saturated > 0);  // the data reach both ends of every range
    CHECK(saturated < 1001);
  }
}

TEST_CASE("NaN, infinities and ties on a packed dtype") {
  const std::vector<float> x = {NAN, INFINITY, -INFINITY, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f};
  const Tensor q = core::Quantize(x.data(), {8}, Quantizer::PerTensor(DType::kQInt4, 1.0, 0));
  CHECK(IntValues(q) == std::vector<int64_t>{0, 7, -8, 0, 2, 2, 0, -2});
}

TEST_CASE("views of packed tensors read and write their own elements") {
  for (DType dtype : kStorageDTypes) {
    CAPTURE(core::DTypeName(dtype));
    const int64_t span = core::QMax(dtype) - core::QMin(dtype) + 1;
    std::vector<float> x(5 * 7);
    for (size_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<float>(core::QMin(dtype) + static_cast<int64_t>(i * 7) % span);
    }
    const Tensor base = core::Quantize(x.data(), {5, 7}, Quantizer::PerTensor(dtype, 1.0, 0));
    const std::vector<int64_t> all = IntValues(base);
    // Odd offsets, steps and a transpose: each view's int_repr is the base's
    // elements it walks.
    const Tensor view = base.Slice(0, 1, 5, 2).Slice(1, 1, 7, 3).Transpose(0, 1);
    REQUIRE(view.shape() == std::vector<int64_t>{2, 2});
    CHECK(IntValues(view) == std::vector<int64_t>{all[8], all[22], all[11], all[25]});
    // Writing one column changes exactly those elements, not their
    // neighbours in the same bytes.
    const Tensor column = base.Select(1, 3);
    core::Fill(column, static_cast<float>(core::QMax(dtype)));
    const std::vector<int64_t> after = IntValues(base);
    for (size_t i = 0; i < after.size(); ++i) {
      CHECK(after[i] == (i % 7 == 3 ? core::QMax(dtype) : all[i]));
    }
    // Element access and copies between views sharing bytes.
    core::SetElement(base, {0, 0}, static_cast<float>(core::QMin(dtype)));
    CHECK(core::GetElement(base, {0, 0}) == static_cast<float>(core::QMin(dtype)));
    CHECK(core::GetElement(base, {0, 1}) == static_cast<float>(all[1]));
    core::Copy(base.Select(0, 1), base.Select(0, 2));
    const std::vector<int64_t> copied = IntValues(base);
    for (int64_t j = 0; j < 7; ++j) CHECK(copied[7 + j] == copied[14 + j]);
    // A clone, and contiguous() of a row that starts inside a byte.
    const Tensor row = base.Select(0, 3);
    const Tensor contiguous = core::Contiguous(row);
    CHECK(IntValues(contiguous) == IntValues(row));
    CHECK((core::ElementBits(dtype) < 8 && 3 * 7 * core::ElementBits(dtype) % 8 != 0) ==
          (contiguous.storage() != row.storage()));
    CHECK(IntValues(core::Clone(view)) == IntValues(view));
  }
}

TEST_CASE("rank-3 views of packed tensors walk their elements row-major") {
  for (DType dtype : kStorageDTypes) {
    CAPTURE(core::DTypeName(dtype));
    const std::vector<float> x = RandomFloats(3 * 5 * 7, 30.0f, 13);
    const Tensor base = core::Quantize(x.data(), {3, 5, 7}, Quantizer::PerTensor(dtype, 1.0, 0));
    const Tensor view = base.Slice(1, 1, 5, 2).Slice(2, 1, 7, 2).Permute({2, 0, 1});
    REQUIRE(view.shape() == std::vector<int64_t>{3, 3, 2});
    std::vector<float> expected, values(static_cast<size_t>(view.numel()));
    for (int64_t i = 0; i < 3; ++i) {
      for (int64_t j = 0; j < 3; ++j) {
        for (int64_t k = 0; k < 2; ++k) expected.push_back(core::GetElement(view, {i, j, k}));
      }
    }
    core::Dequantize(view, values.data());
    CHECK(values == expected);
  }
}

TEST_CASE("per-channel packed tensors keep each channel's parameters in views") {
  const std::vector<float> x = RandomFloats(4 * 6, 4.0f, 3);
  const Quantizer quantizer =
      Quantizer::PerChannel(DType::kQUInt4x2, {0.5, 0.25, 1.0, 0.125}, {8, 7, 0, 15}, 0);
  const Tensor q = core::Quantize(x.data(), {4, 6}, quantizer);
  std::vector<float> all(x.size());
  core::Dequantize(q, all.data());
  const Tensor view = q.Transpose(0, 1).Slice(1, 1, 4, 2);  // [6, 2]: channels 1 and 3
  std::vector<float> values(12);
  core::Dequantize(view, values.data());
  for (int64_t i = 0; i < 6; ++i) {
    CHECK(values[2 * i] == all[6 + i]);
    CHECK(values[2 * i + 1] == all[18 + i]);
  }
}

TEST_CASE("from_int_repr refuses values outside a packed range") {
  const std::vector<uint8_t> ints = {1, 16, 2};
  CHECK_THROWS_WITH_AS(
      core::FromIntRepr(ints.data(), 3, {3}, Quantizer::PerTensor(DType::kQUInt4x2, 1.0, 0)),
      doctest::Contains("16 at element 1 is outside quint4x2's range [0, 15]"), core::Error);
  const std::vector<uint8_t> packed = {0x21, 0x30};  // unused high nibble set
  CHECK_THROWS_WITH_AS(
      core::FromStorageRepr(packed.data(), 2, {3}, Quantizer::PerTensor(DType::kQUInt4, 1.0, 0)),
      doctest::Contains("unused high bits"), core::Error);
  CHECK_THROWS_AS(
      core::FromStorageRepr(packed.data(), 1, {3}, Quantizer::PerTensor(DType::kQUInt4, 1.0, 0)),
      core::Error);
}

TEST_CASE("files hold the storage dtypes, views included") {
  for (DType dtype : kStorageDTypes) {
    CAPTURE(core::DTypeName(dtype));
    const std::vector<float> x = RandomFloats(3 * 9, 10.0f, 11);
    const Tensor base = core::Quantize(x.data(), {3, 9}, Quantizer::PerTensor(dtype, 0.75, 1));
    for (const Tensor& t : {base, base.Slice(1, 1, 8, 2), base.Transpose(0, 1)}) {
      const auto buffer = qtensor::io::SerializeTensor(t);
      const Tensor back = qtensor::io::DeserializeTensor(buffer.data.get(), buffer.size);
      CHECK(back.dtype() == dtype);
      CHECK(back.shape() == t.shape());
      CHECK(IntValues(back) == IntValues(t));
    }
  }
}

TEST_CASE("requantize converts between the storage and compute dtypes; operators refuse them") {
  const std::vector<float> x = RandomFloats(64, 3.0f, 5);
  const Tensor q8 = core::Quantize(x.data(), {64}, Quantizer::PerTensor(DType::kQInt8, 0.05, 3));
  const Quantizer to4 = Quantizer::PerTensor(DType::kQInt4, 0.4, -1);
  const Tensor q4 = qtensor::ops::Requantize(q8, to4);
  std::vector<float> values(64);
  core::Dequantize(q8, values.data());
  CHECK(IntValues(q4) == IntValues(core::Quantize(values.data(), {64}, to4)));
  CHECK_THROWS_WITH_AS(qtensor::ops::Binary(qtensor::ops::BinaryOp::kAdd, q4, q4, 0.1, 0, false),
                       doctest::Contains("add: qint4 tensors are not computed on"), core::Error);
}

TEST_CASE(
    "a quantizer with ONNX rounding divides, and keeps its rounding through views and files") {
  // The example: 128 PyTorch's way (x * (1 / scale)), 127 ONNX's.
  const float x[3] = {0.273939937f, NAN, -1e9f};
  const Quantizer pytorch = Quantizer::PerTensor(DType::kQUInt8, 0.00214854861f, 3);
  const Quantizer onnx = pytorch.WithRounding(core::Rounding::kOnnx);
  CHECK(pytorch.rounding() == core::Rounding::kPyTorch);
  CHECK(onnx != pytorch);
  CHECK(IntValues(core::Quantize(x, {3}, pytorch)) == std::vector<int64_t>{131, 3, 0});
  CHECK(IntValues(core::Quantize(x, {3}, onnx)) == std::vector<int64_t>{130, 0, 0});  // NaN -> qmin

  // Views, fill, element writes and requantize into an ONNX tensor divide.
  const Tensor base = core::Quantize(x, {3}, onnx);
  CHECK(base.Slice(0, 1, 3, 1).EffectiveQuantizer().rounding() == core::Rounding::kOnnx);
  core::Fill(base.Slice(0, 0, 1, 1), x[0]);
  core::SetElement(base, {1}, x[0]);
  CHECK(IntValues(base) == std::vector<int64_t>{130, 130, 0});
  const Tensor source = core::Quantize(x, {1}, Quantizer::PerTensor(DType::kQInt32, 1e-9, 0));
  float value = 0.0f;
  core::Dequantize(source, &value);
  const float one[1] = {value};
  CHECK(IntValues(qtensor::ops::Requantize(source, onnx)) ==
        IntValues(core::Quantize(one, {1}, onnx)));

  // Per channel and 4-bit: qint4 packs what ONNX's int4 QuantizeLinear gives.
  const float y[4] = {2.5f, -2.5f, 100.0f, 0.5f};
  const Quantizer per_channel = Quantizer::PerChannel(DType::kQInt4, {1.0, 0.5}, {0, -1}, 0)
                                    .WithRounding(core::Rounding::kOnnx);
  CHECK(IntValues(core::Quantize(y, {2, 2}, per_channel)) == std::vector<int64_t>{2, -2, 7, 0});

  // Files: version 2 only where a tensor rounds ONNX's way.
  for (const Quantizer& q : {pytorch, onnx}) {
    const auto buffer = qtensor::io::SerializeTensor(core::Quantize(x, {3}, q));
    const Tensor back = qtensor::io::DeserializeTensor(buffer.data.get(), buffer.size);
    CHECK(back.storage()->quantizer() == q);
    const std::string bytes(reinterpret_cast<const char*>(buffer.data.get()), buffer.size);
    CHECK(bytes.find(q.rounding() == core::Rounding::kOnnx ? std::string("\x10\x02", 2)
                                                           : std::string("\x10\x01", 2)) == 9);
  }

  // ONNX's QuantizeLinear has no qint32, quint4x2 or quint2x4 output.
  for (DType dtype : {DType::kQInt32, DType::kQUInt4x2, DType::kQUInt2x4}) {
    CHECK_THROWS_WITH_AS(Quantizer::PerTensor(dtype, 1.0, 0).WithRounding(core::Rounding::kOnnx),
                         doctest::Contains("ONNX rounding needs a dtype"), core::Error);
  }
}

TEST_CASE("a quantizer keeps its scale type through views and files, and refuses other values") {
  const Quantizer plain = Quantizer::PerChannel(DType::kQInt8, {0.0999755859375, 0.5}, {0, 1}, 1);
  const Quantizer half = plain.WithScaleType(core::ScaleType::kFloat16);
  CHECK(half.scale_type() == core::ScaleType::kFloat16);
  CHECK(half != plain);
  CHECK_THROWS_WITH_AS(
      Quantizer::PerTensor(DType::kQInt8, 0.1, 0).WithScaleType(core::ScaleType::kFloat16),
      doctest::Contains("scale = 0.1 is not a float16 value (the nearest is 0.0999755859375)"),
      core::Error);
  CHECK_THROWS_WITH_AS(
      Quantizer::PerTensor(DType::kQInt8, 0.1, 0).WithScaleType(core::ScaleType::kBFloat16),
      doctest::Contains("the nearest is 0.10009765625"), core::Error);
  CHECK_THROWS_WITH_AS(
      Quantizer::PerTensor(DType::kQInt8, 0.1, 0).WithScaleType(core::ScaleType::kFloat32),
      doctest::Contains("is not a float32 value"), core::Error);
  CHECK(Quantizer::PerTensor(DType::kQInt8, 0.1f, 0)
            .WithScaleType(core::ScaleType::kFloat32)
            .scale_type() == core::ScaleType::kFloat32);

  const float x[6] = {1, 2, 3, 4, 5, 6};
  const Tensor q = core::Quantize(x, {3, 2}, half);
  CHECK(q.Slice(0, 1, 3, 1).EffectiveQuantizer().scale_type() == core::ScaleType::kFloat16);
  CHECK(q.Select(1, 0).EffectiveQuantizer().scale_type() == core::ScaleType::kFloat16);
  CHECK(core::Clone(q.Transpose(0, 1)).storage()->quantizer().scale_type() ==
        core::ScaleType::kFloat16);
  const auto buffer = qtensor::io::SerializeTensor(q);
  const Tensor back = qtensor::io::DeserializeTensor(buffer.data.get(), buffer.size);
  CHECK(back.storage()->quantizer() == half);
  CHECK(buffer.data.get()[10] == 2);  // format_version 2
  const auto plain_buffer = qtensor::io::SerializeTensor(core::Quantize(x, {3, 2}, plain));
  CHECK(plain_buffer.data.get()[10] == 1);
  CHECK(plain_buffer.size + 2 == buffer.size);  // the one varint field scale_type
}
