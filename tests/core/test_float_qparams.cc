// PyTorch's per_channel_affine_float_qparams: quantize, int_repr, dequantize,
// element access and printing against PyTorch 1.13's golden cases
// (tests/data/float_qparams_golden.txt, made by
// make_float_qparams_golden.py), and views, copies, files and the
// operators' refusal against the formulas.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/parallel.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "int_values.h"
#include "io/serialize.h"
#include "kernels/float_qparams.h"
#include "ops/binary.h"
#include "ops/requantize.h"

namespace {

using qtensor::core::DType;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;
namespace core = qtensor::core;

struct FloatQParamsCase {
  std::string name;
  std::map<std::string, std::vector<std::string>> fields;
  std::string repr;
};

std::vector<std::string> Tokens(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> tokens;
  for (std::string token; in >> token;) tokens.push_back(token);
  return tokens;
}

// The JSON string of a repr line: only \n, \" and \\ occur in it.
std::string Unquoted(const std::string& json) {
  std::string out;
  for (size_t i = 1; i + 1 < json.size(); ++i) {
    if (json[i] == '\\') {
      ++i;
      out += json[i] == 'n' ? '\n' : json[i];
    } else {
      out += json[i];
    }
  }
  return out;
}

std::vector<FloatQParamsCase> ReadCases() {
  std::ifstream in(QTENSOR_TEST_DATA_DIR "/float_qparams_golden.txt");
  if (!in) throw std::runtime_error("cannot open float_qparams_golden.txt");
  std::vector<FloatQParamsCase> cases;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "case") {
      cases.push_back({rest, {}, {}});
    } else if (key == "repr") {
      cases.back().repr = Unquoted(rest);
    } else if (key != "end") {
      cases.back().fields[key] = Tokens(rest);
    }
  }
  return cases;
}

std::vector<float> Floats(const std::vector<std::string>& tokens) {
  std::vector<float> out;
  out.reserve(tokens.size());
  for (const std::string& t : tokens) out.push_back(std::strtof(t.c_str(), nullptr));
  return out;
}

std::vector<int64_t> Ints(const std::vector<std::string>& tokens) {
  std::vector<int64_t> out;
  out.reserve(tokens.size());
  for (const std::string& t : tokens) out.push_back(std::stoll(t));
  return out;
}

DType DTypeNamed(const std::string& name) {
  if (name == "qint8") return DType::kQInt8;
  if (name == "quint8") return DType::kQUInt8;
  if (name == "quint4x2") return DType::kQUInt4x2;
  return DType::kQUInt2x4;
}

uint32_t Bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

std::vector<float> Dequantized(const Tensor& t) {
  std::vector<float> out(static_cast<size_t>(t.numel()));
  core::Dequantize(t, out.data());
  return out;
}

void CheckBits(const std::vector<float>& got, const std::vector<float>& want) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("element ", i, ": ", got[i], " vs ", want[i]);
    CHECK(Bits(got[i]) == Bits(want[i]));
  }
}

Quantizer FloatQParams(DType dtype, const std::vector<float>& scales,
                       const std::vector<float>& zero_points, int64_t axis) {
  return Quantizer::PerChannelFloatQParams(dtype, scales, zero_points, axis);
}

}  // namespace

TEST_CASE("float qparams: PyTorch 1.13's golden cases, bit for bit") {
  const std::vector<FloatQParamsCase> cases = ReadCases();
  REQUIRE(cases.size() >= 20);
  for (const FloatQParamsCase& c : cases) {
    CAPTURE(c.name);
    const auto& f = c.fields;
    const std::vector<int64_t> shape = Ints(f.at("shape"));
    const Quantizer quantizer = FloatQParams(DTypeNamed(f.at("dtype")[0]), Floats(f.at("scales")),
                                             Floats(f.at("zero_points")), Ints(f.at("axis"))[0]);
    const std::vector<float> input = Floats(f.at("input"));
    const Tensor q = core::Quantize(input.data(), shape, quantizer);
    CHECK(IntValues(q) == Ints(f.at("int_repr")));
    const std::vector<float> expected = Floats(f.at("dequantize"));
    CheckBits(Dequantized(q), expected);
    CHECK(core::ToString(q) == c.repr);
    // Element by element: item-style reads and writes give the same.
    const Tensor written = core::Clone(q);
    core::Fill(written, 0.0f);
    std::vector<int64_t> index(shape.size(), 0);
    for (size_t k = 0; k < input.size(); ++k) {
      CHECK(Bits(core::GetElement(q, index)) == Bits(expected[k]));
      core::SetElement(written, index, input[k]);
      for (size_t d = shape.size(); d-- > 0;) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
    CHECK(IntValues(written) == IntValues(q));
  }
}

TEST_CASE("float qparams: the quantize formula's edges") {
  using qtensor::kernels::QuantizeFloatQParams;
  // Ties to even, after the sum with the zero point.
  CHECK(QuantizeFloatQParams(2.0f, 1.0f, 0.5f, 0, 255) == 2);
  CHECK(QuantizeFloatQParams(3.0f, 1.0f, 0.5f, 0, 255) == 4);
  // NaN and values past int64 convert to INT64_MIN, whose low 32 bits are 0.
  CHECK(QuantizeFloatQParams(NAN, 1.0f, 3.0f, -128, 127) == 0);
  CHECK(QuantizeFloatQParams(INFINITY, 1.0f, 3.0f, -128, 127) == 0);
  CHECK(QuantizeFloatQParams(1e30f, 1.0f, 0.0f, 0, 255) == 0);
  // Past int32, PyTorch's int32_t wraps: 2^31 reads as -2^31.
  CHECK(QuantizeFloatQParams(2147483648.0f, 1.0f, 0.0f, -128, 127) == -128);
  CHECK(QuantizeFloatQParams(-2147483904.0f, 1.0f, 0.0f, -128, 127) == 127);
  CHECK(QuantizeFloatQParams(1099511627776.0f, 1.0f, 0.0f, -128, 127) == 0);
  // Saturation inside int32.
  CHECK(QuantizeFloatQParams(1e6f, 1.0f, 0.0f, -128, 127) == 127);
  CHECK(QuantizeFloatQParams(-1e6f, 1.0f, 0.0f, 0, 15) == 0);
}

TEST_CASE("float qparams: views keep every element's own parameters") {
  const std::vector<float> scales = {0.5f, 0.25f, 0.125f};
  const std::vector<float> zero_points = {1.5f, -3.25f, 300.0f};
  std::vector<float> data(24);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i) * 0.75f - 8.0f;
  for (DType dtype : {DType::kQUInt8, DType::kQInt8, DType::kQUInt4x2, DType::kQUInt2x4}) {
    CAPTURE(core::DTypeName(dtype));
    const Tensor q =
        core::Quantize(data.data(), {2, 3, 4}, FloatQParams(dtype, scales, zero_points, 1));
    const std::vector<float> all = Dequantized(q);
    const std::vector<int64_t> ints = IntValues(q);
    // Element (i, c, j) dequantizes as ((float)q - zp[c]) * scale[c].
    for (size_t k = 0; k < all.size(); ++k) {
      const size_t c = k / 4 % 3;
      CHECK(Bits(all[k]) ==
            Bits(qtensor::kernels::DequantizeFloatQParams(ints[k], scales[c], zero_points[c])));
    }
    // select away the channel axis: one channel, no axis.
    const Tensor row = q.Select(1, 2);
    const Quantizer one = row.EffectiveQuantizer();
    CHECK(one.float_qparams());
    CHECK(one.axis() == Quantizer::kNoAxis);
    CHECK(one.float_zero_points() == std::vector<float>{300.0f});
    const std::vector<float> row_values = Dequantized(row);
    for (size_t i = 0; i < 2; ++i) {
      for (size_t j = 0; j < 4; ++j)
        CHECK(Bits(row_values[i * 4 + j]) == Bits(all[i * 12 + 8 + j]));
    }
    CheckBits(Dequantized(core::Clone(row)), row_values);
    CHECK(core::ToString(row).find("axis=") == std::string::npos);
    // A slice stepping over channels picks their zero points.
    const Tensor picked = q.Slice(1, 0, 3, 2);
    const Quantizer two = picked.EffectiveQuantizer();
    CHECK(two.axis() == 1);
    CHECK(two.float_zero_points() == std::vector<float>{1.5f, 300.0f});
    CHECK(two.scales() == std::vector<double>{0.5, 0.125});
    const Tensor copy = core::Clone(picked);
    CheckBits(Dequantized(copy), Dequantized(picked));
    CHECK(copy.EffectiveQuantizer() == two);
    // Transposed, then made contiguous: the channel axis moves along.
    const Tensor moved = core::Contiguous(q.Transpose(0, 1));
    CHECK(moved.EffectiveQuantizer().axis() == 0);
    CheckBits(Dequantized(moved), Dequantized(q.Transpose(0, 1)));
    // Copy into part of a storage requantizes with the part's parameters.
    const Tensor dst = core::Quantize(
        data.data(), {2, 3, 4}, FloatQParams(dtype, {1.0f, 2.0f, 4.0f}, {0.0f, 0.5f, 1.0f}, 1));
    core::Copy(dst.Select(0, 1), q.Select(0, 0));
    const std::vector<float> source = Dequantized(q.Select(0, 0));
    const Tensor part = dst.Select(0, 1);
    const std::vector<int64_t> part_ints = IntValues(part);
    for (size_t k = 0; k < source.size(); ++k) {
      const size_t c = k / 4;
      const float inv = 1.0f / std::vector<float>{1.0f, 2.0f, 4.0f}[c];
      CHECK(part_ints[k] == qtensor::kernels::QuantizeFloatQParams(
                                source[k], inv, std::vector<float>{0.0f, 0.5f, 1.0f}[c],
                                core::QMin(dtype), core::QMax(dtype)));
    }
    // A whole storage takes the source's parameters and integers.
    const Tensor whole =
        core::Quantize(data.data(), {2, 3, 4}, Quantizer::PerTensor(dtype, 0.1, 0));
    core::Copy(whole, q);
    CHECK(whole.EffectiveQuantizer() == q.EffectiveQuantizer());
    CHECK(IntValues(whole) == ints);
  }
}

TEST_CASE("float qparams: large tensors on one and on two threads, each element by the formula") {
  // [1024, 1056]: past core::kParallelElements, so two threads split it
  // (by rows), channels on either axis; values hit ties, NaN and the wrap.
  constexpr int64_t kRows = 1024, kColumns = 1056;
  std::vector<float> data(static_cast<size_t>(kRows * kColumns));
  const float special[] = {NAN, INFINITY, -INFINITY, 2147483648.0f, -2147483904.0f, 2.5f};
  for (size_t k = 0; k < data.size(); ++k) {
    data[k] = k % 97 == 0 ? special[k / 97 % 6] : static_cast<float>(k % 1000) * 0.37f - 150.0f;
  }
  struct Restore {
    ~Restore() { core::SetNumThreads(1); }
  } restore;
  for (int64_t axis : {0, 1}) {
    const size_t channels = static_cast<size_t>(axis == 0 ? kRows : kColumns);
    std::vector<float> scales(channels), zero_points(channels);
    for (size_t c = 0; c < channels; ++c) {
      scales[c] = 0.25f + static_cast<float>(c % 5) * 0.125f;
      zero_points[c] = static_cast<float>(c % 7) * 0.75f - 2.0f;
    }
    for (DType dtype : {DType::kQInt8, DType::kQUInt8}) {
      CAPTURE(axis);
      CAPTURE(core::DTypeName(dtype));
      const Quantizer quantizer = FloatQParams(dtype, scales, zero_points, axis);
      core::SetNumThreads(1);
      const Tensor one = core::Quantize(data.data(), {kRows, kColumns}, quantizer);
      const std::vector<float> one_values = Dequantized(one);
      core::SetNumThreads(2);
      const Tensor two = core::Quantize(data.data(), {kRows, kColumns}, quantizer);
      const std::vector<int64_t> ints = IntValues(two);
      CHECK(ints == IntValues(one));
      CheckBits(Dequantized(two), one_values);
      size_t wrong = 0, wrong_back = 0;
      for (size_t k = 0; k < data.size(); ++k) {
        const size_t c = axis == 0 ? k / static_cast<size_t>(kColumns) : k % kColumns;
        const int64_t want = qtensor::kernels::QuantizeFloatQParams(
            data[k], 1.0f / scales[c], zero_points[c], core::QMin(dtype), core::QMax(dtype));
        wrong += ints[k] != want;
        const float back =
            qtensor::kernels::DequantizeFloatQParams(ints[k], scales[c], zero_points[c]);
        wrong_back += Bits(one_values[k]) != Bits(back);
      }
      CHECK(wrong == 0);
      CHECK(wrong_back == 0);
    }
  }
}

TEST_CASE("float qparams: files keep the scheme; the operators refuse it") {
  const std::vector<float> data = {0.5f, -1.0f, 2.25f, 3.0f, 7.0f, -7.0f};
  const Tensor q = core::Quantize(
      data.data(), {2, 3}, FloatQParams(DType::kQUInt4x2, {0.5f, 0.25f}, {1.5f, -20.25f}, 0));
  const auto buffer = qtensor::io::SerializeTensor(q);
  const Tensor back = qtensor::io::DeserializeTensor(buffer.data.get(), buffer.size);
  CHECK(back.EffectiveQuantizer() == q.EffectiveQuantizer());
  CHECK(IntValues(back) == IntValues(q));
  CHECK_THROWS_WITH_AS(qtensor::io::SerializeTensor(q.Select(0, 1)),
                       doctest::Contains("selected its channel axis away"), core::Error);
  CHECK_THROWS_WITH_AS(
      qtensor::ops::Binary(qtensor::ops::BinaryOp::kAdd, back, back, 0.1, 0, false),
      doctest::Contains("per_channel_affine_float_qparams tensors are not computed on"),
      core::Error);
  const Tensor plain = qtensor::ops::Requantize(q, Quantizer::PerTensor(DType::kQUInt8, 0.25, 128));
  std::vector<float> expected(6);
  const std::vector<float> source = Dequantized(q);
  for (size_t k = 0; k < 6; ++k) {
    CHECK(IntValues(plain)[k] ==
          std::min<int64_t>(255, std::max<int64_t>(0, 128 + std::llrint(source[k] * 4.0f))));
  }
}

TEST_CASE("float qparams: bad parameters are refused with a message") {
  const auto refused = [](DType dtype, const std::vector<float>& scales,
                          const std::vector<float>& zero_points, const char* message) {
    CHECK_THROWS_WITH_AS(FloatQParams(dtype, scales, zero_points, 0), doctest::Contains(message),
                         core::Error);
  };
  refused(DType::kQInt32, {1.0f}, {0.0f}, "not qint32");
  refused(DType::kQInt16, {1.0f}, {0.0f}, "not qint16");
  refused(DType::kQUInt8, {1.0f}, {NAN}, "zero_points[0] must be finite");
  refused(DType::kQUInt8, {1.0f, 1.0f}, {0.0f, -INFINITY}, "zero_points[1] must be finite");
  refused(DType::kQUInt8, {0.0f}, {0.0f}, "scales[0] must be positive");
  refused(DType::kQUInt8, {-1.0f}, {0.0f}, "scales[0] must be positive");
  refused(DType::kQUInt8, {1.0f}, {}, "differ in length");
  CHECK_THROWS_WITH_AS(
      FloatQParams(DType::kQUInt8, {1.0f}, {0.0f}, 0).WithRounding(qtensor::core::Rounding::kOnnx),
      doctest::Contains("float zero points"), core::Error);
  // Zero points outside the dtype's range are PyTorch's too, and kept.
  CHECK(FloatQParams(DType::kQUInt2x4, {1.0f}, {-1e10f}, 0).float_zero_points()[0] == -1e10f);
  CHECK(FloatQParams(DType::kQUInt8, {1.0f}, {0.0f}, 0).scale_type() ==
        qtensor::core::ScaleType::kFloat32);
}
