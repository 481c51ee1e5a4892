// tests/data/linear_golden.txt (written by tests/data/make_linear_golden.py
// from PyTorch 1.13): ops::Linear must give the formula's integer for every
// element, and the file pins how often each of torch's engines differs from
// the formula (docs/numerics.md, "Linear").
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "core/tensor_ops.h"
#include "golden_lines.h"
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
  bool relu = false;
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
};

std::vector<int64_t> Integers(const std::vector<std::string>& tokens, size_t from = 0) {
  std::vector<int64_t> v;
  for (size_t i = from; i < tokens.size(); ++i) v.push_back(std::stoll(tokens[i]));
  return v;
}

std::vector<LinearCase> ReadCases() {
  std::vector<LinearCase> cases;
  LinearCase c;
  bool weight_data = false;
  qtensor::testing::ForEachGoldenLine(
      QTENSOR_TEST_DATA_DIR "/linear_golden.txt",
      [&](const std::string& key, const std::vector<std::string>& t, const std::string& line) {
        if (key == "case") {
          c = LinearCase{};
          c.name = t.at(0);
          c.relu = t.at(1) == "1";
          weight_data = false;
        } else if (key == "input") {
          c.input_shape = {std::stoll(t.at(0)), std::stoll(t.at(1))};
          c.dtype = qtensor::testing::GoldenDType(t.at(2));
          c.input_scale = std::strtod(t.at(3).c_str(), nullptr);
          c.input_zero = std::stoll(t.at(4));
        } else if (key == "data") {
          (weight_data ? c.w : c.x) = Integers(t);
        } else if (key == "weight") {
          weight_data = true;
          const int64_t n = std::stoll(t.at(0));
          c.weight_shape = {n, std::stoll(t.at(1))};
          c.per_channel = t.at(2) == "pc";
          const size_t count = c.per_channel ? static_cast<size_t>(n) : 1;
          for (size_t i = 0; i < count; ++i) {
            c.weight_scales.push_back(std::strtod(t.at(3 + i).c_str(), nullptr));
            c.weight_zeros.push_back(std::stoll(t.at(3 + count + i)));
          }
        } else if (key == "bias") {
          if (t.at(0) != "none") {
            for (const std::string& v : t) c.bias.push_back(std::strtof(v.c_str(), nullptr));
          }
        } else if (key == "output") {
          c.output_scale = std::strtod(t.at(0).c_str(), nullptr);
          c.output_zero = std::stoll(t.at(1));
        } else if (key == "formula" || key == "onednn" || key == "qnnpack") {
          if (t.at(0) != "rejected") c.results[key] = Integers(t);
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

TEST_CASE("linear equals the formula on PyTorch's golden cases; the engines' differences") {
  const std::vector<LinearCase> cases = ReadCases();
  REQUIRE(cases.size() == 40);
  size_t elements = 0, onednn_differs = 0, onednn_rejects = 0, qnnpack_differs = 0;
  for (const LinearCase& c : cases) {
    CAPTURE(c.name);
    const Quantizer input_quantizer = Quantizer::PerTensor(c.dtype, c.input_scale, c.input_zero);
    const Tensor x = c.dtype == DType::kQInt8
                         ? FromInts<int8_t>(c.x, c.input_shape, input_quantizer)
                         : FromInts<uint8_t>(c.x, c.input_shape, input_quantizer);
    const Quantizer weight_quantizer =
        c.per_channel ? Quantizer::PerChannel(DType::kQInt8, c.weight_scales, c.weight_zeros, 0)
                      : Quantizer::PerTensor(DType::kQInt8, c.weight_scales[0], c.weight_zeros[0]);
    const qtensor::ops::PackedLinear packed(FromInts<int8_t>(c.w, c.weight_shape, weight_quantizer),
                                            c.bias);
    const Tensor y = qtensor::ops::Linear(x, packed, c.output_scale, c.output_zero, c.relu);
    const std::vector<int64_t>& want = c.results.at("formula");
    REQUIRE(Ints(y) == want);
    CHECK(y.shape() == std::vector<int64_t>{c.input_shape[0], c.weight_shape[0]});
    elements += want.size();
    if (c.results.count("onednn")) {
      onednn_differs += Differences(c.results.at("onednn"), want);
    } else {
      ++onednn_rejects;
    }
    qnnpack_differs += Differences(c.results.at("qnnpack"), want);
  }
  // qnnpack computes the formula; onednn adds the float bias after scaling
  // (one step off on 5 elements) and refuses weight zero points.
  CHECK(elements == 8750);
  CHECK(qnnpack_differs == 0);
  CHECK(onednn_differs == 5);
  CHECK(onednn_rejects == 2);
}

}  // namespace
