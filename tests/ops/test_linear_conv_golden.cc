// tests/data/linear_golden.txt and conv2d_golden.txt (written by
// tests/data/make_linear_conv_golden.py from PyTorch 1.13): ops::Linear and
// ops::Conv2d must give the formula's integer for every element, and the
// files pin how often each of torch's engines differs from the formula
// (docs/numerics.md, "Linear" and "Conv2d").
#include <doctest/doctest.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "core/tensor_ops.h"
#include "golden_lines.h"
#include "ops/conv2d.h"
#include "ops/linear.h"

#ifndef QTENSOR_TEST_DATA_DIR
#error "QTENSOR_TEST_DATA_DIR must be defined"
#endif

namespace {

using qtensor::core::DType;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;

struct LinearCase {
  std::string name;
  bool relu = false;  // linear_dynamic cases: reduce_range
  qtensor::ops::Conv2dSettings conv;  // conv2d cases
  std::vector<int64_t> input_shape, weight_shape;
  DType dtype = DType::kQUInt8;
  double input_scale = 1.0, output_scale = 1.0;
  int64_t input_zero = 0, output_zero = 0;
  std::vector<double> weight_scales;
  std::vector<int64_t> weight_zeros;
  bool per_channel = false;
  std::vector<int64_t> x, w;
  std::vector<float> bias;
  std::map<std::string, std::vector<int64_t>> results;  // formula, onednn, qnnpack
  // linear_dynamic: float inputs and results.
  bool float_input = false;
  std::vector<float> x_floats;
  std::map<std::string, std::vector<float>> float_results;
};

std::vector<int64_t> Integers(const std::vector<std::string>& tokens, size_t from = 0) {
  std::vector<int64_t> v;
  for (size_t i = from; i < tokens.size(); ++i) v.push_back(std::stoll(tokens[i]));
  return v;
}

std::vector<float> Floats(const std::vector<std::string>& tokens) {
  std::vector<float> v;
  for (const std::string& token : tokens) v.push_back(std::strtof(token.c_str(), nullptr));
  return v;
}

// The leading integer tokens (a shape), and the index of the first other.
std::vector<int64_t> LeadingShape(const std::vector<std::string>& t, size_t* next) {
  std::vector<int64_t> shape;
  size_t i = 0;
  for (; i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i][0])) != 0); ++i) {
    shape.push_back(std::stoll(t[i]));
  }
  *next = i;
  return shape;
}

std::vector<LinearCase> ReadCases(const std::string& file) {
  std::vector<LinearCase> cases;
  LinearCase c;
  bool weight_data = false;
  qtensor::testing::ForEachGoldenLine(
      QTENSOR_TEST_DATA_DIR "/" + file,
      [&](const std::string& key, const std::vector<std::string>& t, const std::string& line) {
        if (key == "case") {
          c = LinearCase{};
          c.name = t.at(0);
          c.relu = t.at(1) == "1";
          if (t.size() == 9) {
            const std::vector<int64_t> v = Integers(t, 2);
            c.conv.stride = {v[0], v[1]};
            c.conv.padding = {v[2], v[3]};
            c.conv.dilation = {v[4], v[5]};
            c.conv.groups = v[6];
          }
          weight_data = false;
        } else if (key == "input") {
          size_t i = 0;
          c.input_shape = LeadingShape(t, &i);
          c.float_input = t.at(i) == "float";
          if (!c.float_input) {
            c.dtype = qtensor::testing::GoldenDType(t.at(i));
            c.input_scale = std::strtod(t.at(i + 1).c_str(), nullptr);
            c.input_zero = std::stoll(t.at(i + 2));
          }
        } else if (key == "data") {
          if (c.float_input && !weight_data) {
            c.x_floats = Floats(t);
          } else {
            (weight_data ? c.w : c.x) = Integers(t);
          }
        } else if (key == "weight") {
          weight_data = true;
          size_t i = 0;
          c.weight_shape = LeadingShape(t, &i);
          c.per_channel = t.at(i) == "pc";
          const size_t count = c.per_channel ? static_cast<size_t>(c.weight_shape[0]) : 1;
          for (size_t k = 0; k < count; ++k) {
            c.weight_scales.push_back(std::strtod(t.at(i + 1 + k).c_str(), nullptr));
            c.weight_zeros.push_back(std::stoll(t.at(i + 1 + count + k)));
          }
        } else if (key == "bias") {
          if (t.at(0) != "none") c.bias = Floats(t);
        } else if (key == "output") {
          c.output_scale = std::strtod(t.at(0).c_str(), nullptr);
          c.output_zero = std::stoll(t.at(1));
        } else if (key == "formula" || key == "onednn" || key == "qnnpack") {
          if (c.float_input) {
            c.float_results[key] = Floats(t);
          } else if (t.at(0) != "rejected") {
            c.results[key] = Integers(t);
          }
        } else if (key == "end") {
          cases.push_back(c);
        } else {
          FAIL("unknown line " << line);
        }
      });
  return cases;
}

template <typename T>
Tensor FromInts(const std::vector<int64_t>& ints, const std::vector<int64_t>& shape,
                const Quantizer& quantizer) {
  std::vector<T> values(ints.begin(), ints.end());
  return qtensor::core::FromIntRepr(values.data(), values.size() * sizeof(T), shape, quantizer);
}

std::vector<int64_t> Ints(const Tensor& t) {
  std::vector<int64_t> out;
  if (t.dtype() == DType::kQInt8) {
    std::vector<int8_t> v(static_cast<size_t>(t.numel()));
    qtensor::core::IntRepr(t, v.data());
    out.assign(v.begin(), v.end());
  } else {
    std::vector<uint8_t> v(static_cast<size_t>(t.numel()));
    qtensor::core::IntRepr(t, v.data());
    out.assign(v.begin(), v.end());
  }
  return out;
}

size_t Differences(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  size_t count = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(std::llabs(a[i] - b[i]) <= 1);
    count += a[i] != b[i];
  }
  return count;
}

// Runs every case of file through ops::Linear (2-D inputs) or ops::Conv2d
// (4-D) and counts how often each engine differs from the formula.
struct EngineCounts {
  size_t cases = 0, elements = 0, onednn_differs = 0, onednn_rejects = 0, qnnpack_differs = 0,
         qnnpack_rejects = 0;
};

EngineCounts RunCases(const std::string& file) {
  EngineCounts counts;
  for (const LinearCase& c : ReadCases(file)) {
    CAPTURE(c.name);
    const Quantizer input_quantizer = Quantizer::PerTensor(c.dtype, c.input_scale, c.input_zero);
    const Tensor x = c.dtype == DType::kQInt8
                         ? FromInts<int8_t>(c.x, c.input_shape, input_quantizer)
                         : FromInts<uint8_t>(c.x, c.input_shape, input_quantizer);
    const Quantizer weight_quantizer =
        c.per_channel ? Quantizer::PerChannel(DType::kQInt8, c.weight_scales, c.weight_zeros, 0)
                      : Quantizer::PerTensor(DType::kQInt8, c.weight_scales[0], c.weight_zeros[0]);
    const Tensor w = FromInts<int8_t>(c.w, c.weight_shape, weight_quantizer);
    Tensor y = x;
    if (c.input_shape.size() == 2) {
      const qtensor::ops::PackedLinear packed(w, c.bias);
      y = qtensor::ops::Linear(x, packed, c.output_scale, c.output_zero, c.relu);
      CHECK(y.shape() == std::vector<int64_t>{c.input_shape[0], c.weight_shape[0]});
    } else {
      const qtensor::ops::PackedConv2d packed(w, c.bias, c.conv);
      y = qtensor::ops::Conv2d(x, packed, c.output_scale, c.output_zero, c.relu);
      CHECK(y.shape()[1] == c.weight_shape[0]);
    }
    const std::vector<int64_t>& want = c.results.at("formula");
    REQUIRE(Ints(y) == want);
    ++counts.cases;
    counts.elements += want.size();
    if (c.results.count("onednn")) {
      counts.onednn_differs += Differences(c.results.at("onednn"), want);
    } else {
      ++counts.onednn_rejects;
    }
    if (c.results.count("qnnpack")) {
      counts.qnnpack_differs += Differences(c.results.at("qnnpack"), want);
    } else {
      ++counts.qnnpack_rejects;
    }
  }
  return counts;
}

TEST_CASE("linear equals the formula on PyTorch's golden cases; the engines' differences") {
  const EngineCounts counts = RunCases("linear_golden.txt");
  // qnnpack computes the formula; onednn adds the float bias after scaling
  // (one step off on 5 elements) and refuses weight zero points.
  CHECK(counts.cases == 40);
  CHECK(counts.elements == 8750);
  CHECK(counts.qnnpack_differs == 0);
  CHECK(counts.qnnpack_rejects == 0);
  CHECK(counts.onednn_differs == 5);
  CHECK(counts.onednn_rejects == 2);
}

TEST_CASE("conv2d equals the formula on PyTorch's golden cases; the engines' differences") {
  const EngineCounts counts = RunCases("conv2d_golden.txt");
  CHECK(counts.cases == 12);
  CHECK(counts.elements == 5063);
  CHECK(counts.qnnpack_differs == 0);
  CHECK(counts.qnnpack_rejects == 0);
  CHECK(counts.onednn_differs == 2);
  CHECK(counts.onednn_rejects == 0);
}

// The float results' bits, to compare exactly.
std::vector<uint32_t> Bits(const std::vector<float>& values) {
  std::vector<uint32_t> bits(values.size());
  std::memcpy(bits.data(), values.data(), values.size() * sizeof(float));
  return bits;
}

TEST_CASE("linear_dynamic equals the formula on PyTorch's golden cases; the engines' differences") {
  size_t cases = 0, elements = 0, onednn_differs = 0, qnnpack_differs = 0;
  for (const LinearCase& c : ReadCases("linear_dynamic_golden.txt")) {
    CAPTURE(c.name);
    REQUIRE(c.float_input);
    const Quantizer weight_quantizer =
        c.per_channel ? Quantizer::PerChannel(DType::kQInt8, c.weight_scales, c.weight_zeros, 0)
                      : Quantizer::PerTensor(DType::kQInt8, c.weight_scales[0], c.weight_zeros[0]);
    const qtensor::ops::PackedLinear packed(FromInts<int8_t>(c.w, c.weight_shape, weight_quantizer),
                                            c.bias);
    const std::vector<float>& want = c.float_results.at("formula");
    std::vector<float> y(want.size());
    qtensor::ops::LinearDynamic(c.x_floats.data(), c.input_shape, packed, c.relu, y.data());
    REQUIRE(Bits(y) == Bits(want));
    ++cases;
    elements += want.size();
    const std::vector<float>& onednn = c.float_results.at("onednn");
    const std::vector<float>& qnnpack = c.float_results.at("qnnpack");
    for (size_t i = 0; i < want.size(); ++i) {
      // onednn sums in another order: within a few float32 ulps of the
      // largest term.
      CHECK(std::fabs(onednn[i] - want[i]) <= 1e-5f * (std::fabs(want[i]) + 1.0f));
      onednn_differs += Bits({onednn[i]}) != Bits({want[i]});
      qnnpack_differs += Bits({qnnpack[i]}) != Bits({want[i]});
    }
  }
  CHECK(cases == 22);
  CHECK(elements == 1404);
  // qnnpack is the formula but ignores reduce_range: it differs exactly on
  // the reduce_range cases' outputs (677 of them).
  CHECK(qnnpack_differs == 677);
  CHECK(onednn_differs == 651);
}

}  // namespace
