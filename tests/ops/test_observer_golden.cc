// tests/data/observer_golden.txt (written by tests/data/make_observer_golden.py
// from PyTorch 1.13): every case's parameters, compared bit for bit (scales
// as float32 or float64 bits, zero points exactly), and every case PyTorch
// answers with garbage or a warning gives qtensor's error.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "golden_lines.h"
#include "ops/observer.h"
#include "ops/qparams.h"

#ifndef QTENSOR_TEST_DATA_DIR
#error "QTENSOR_TEST_DATA_DIR must be defined"
#endif

namespace {

using qtensor::core::DType;
using qtensor::ops::Observer;
using qtensor::ops::ObserverKind;
using qtensor::ops::ObserverOptions;

struct Batch {
  std::vector<int64_t> shape;
  std::vector<float> values;
};

struct Case {
  std::string name;
  std::map<std::string, std::vector<std::string>> fields;
  std::vector<Batch> batches;

  bool has(const std::string& key) const { return fields.count(key) != 0; }
  const std::vector<std::string>& at(const std::string& key) const {
    auto it = fields.find(key);
    if (it == fields.end()) FAIL("case " << name << " lacks " << key);
    return it->second;
  }
  const std::string& one(const std::string& key) const { return at(key).at(0); }
  int64_t integer(const std::string& key) const { return std::stoll(one(key)); }
  bool flag(const std::string& key) const { return has(key) && integer(key) != 0; }
};

double ParseHex(const std::string& token) { return std::strtod(token.c_str(), nullptr); }

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  Case current;
  qtensor::testing::ForEachGoldenLine(
      QTENSOR_TEST_DATA_DIR "/observer_golden.txt",
      [&](const std::string& key, const std::vector<std::string>& tokens, const std::string& line) {
        if (key == "case") {
          current = Case{};
          current.name = tokens.at(0);
        } else if (key == "end") {
          cases.push_back(current);
        } else if (key == "batch_shape") {
          Batch b;
          for (const auto& t : tokens) b.shape.push_back(std::stoll(t));
          current.batches.push_back(b);
        } else if (key == "batch") {
          for (const auto& t : tokens) {
            current.batches.back().values.push_back(static_cast<float>(ParseHex(t)));
          }
        } else if (key == "torch_result") {
          current.fields[key] = {line};
        } else {
          current.fields[key] = tokens;
        }
      });
  return cases;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = LoadCases();
  return cases;
}

uint32_t Bits(float v) {
  uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

uint64_t Bits(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

bool IsObserver(const std::string& kind) {
  return kind.find("min_max") != std::string::npos || kind == "histogram";
}

ObserverOptions OptionsOf(const Case& c) {
  ObserverOptions o;
  const std::string& kind = c.one("kind");
  o.kind = kind == "min_max"                  ? ObserverKind::kMinMax
           : kind == "moving_average_min_max" ? ObserverKind::kMovingAverageMinMax
           : kind == "per_channel_min_max"    ? ObserverKind::kPerChannelMinMax
           : kind == "histogram"              ? ObserverKind::kHistogram
                                              : ObserverKind::kMovingAveragePerChannelMinMax;
  o.dtype = qtensor::testing::GoldenDType(c.one("dtype"));
  o.symmetric = c.flag("symmetric");
  o.reduce_range = c.flag("reduce_range");
  if (c.has("quant_range")) {
    o.custom_range = true;
    o.quant_min = std::stoll(c.at("quant_range").at(0));
    o.quant_max = std::stoll(c.at("quant_range").at(1));
  }
  if (c.has("averaging_constant")) o.averaging_constant = ParseHex(c.one("averaging_constant"));
  if (c.has("ch_axis")) o.ch_axis = c.integer("ch_axis");
  if (c.has("bins")) o.bins = c.integer("bins");
  if (c.has("upsample_rate")) o.upsample_rate = c.integer("upsample_rate");
  return o;
}

void CheckObserverCase(const Case& c) {
  Observer obs(OptionsOf(c));
  const auto failing = c.has("expect_forward_error")
                           ? static_cast<size_t>(c.integer("expect_forward_error"))
                           : c.batches.size();
  for (size_t i = 0; i < c.batches.size(); ++i) {
    const Batch& b = c.batches[i];
    if (i == failing) {
      const std::vector<float> min_before = obs.min_val();
      const std::vector<float> max_before = obs.max_val();
      CHECK_THROWS_AS(obs.Forward(b.values.data(), b.shape), qtensor::core::Error);
      CHECK(obs.min_val() == min_before);  // unchanged
      CHECK(obs.max_val() == max_before);
      return;
    }
    obs.Forward(b.values.data(), b.shape);
  }
  if (c.has("expect_error")) {
    CHECK_THROWS_AS(obs.CalculateQParams(), qtensor::core::Error);
    CHECK_THROWS_AS(obs.MakeQuantizer(), qtensor::core::Error);
    return;
  }
  const qtensor::ops::ObserverParams p = obs.CalculateQParams();
  const auto& scales = c.at("expect_scale");
  const auto& zps = c.at("expect_zero_point");
  REQUIRE(p.scales.size() == scales.size());
  REQUIRE(p.zero_points.size() == zps.size());
  for (size_t i = 0; i < scales.size(); ++i) {
    CHECK(Bits(p.scales[i]) == Bits(static_cast<float>(ParseHex(scales[i]))));
    CHECK(p.zero_points[i] == std::stoll(zps[i]));
  }
  // The quantizer carries exactly these parameters.
  const qtensor::core::Quantizer q = obs.MakeQuantizer();
  CHECK(q.per_channel() == obs.per_channel());
}

void CheckPerTensorCase(const Case& c) {
  const std::string& kind = c.one("kind");
  const bool rr = c.flag("reduce_range");
  qtensor::ops::QParams got{};
  const auto run = [&] {
    if (kind == "choose_qparams") {
      got = qtensor::ops::ChooseQuantizationParams(
          static_cast<float>(ParseHex(c.one("min"))), static_cast<float>(ParseHex(c.one("max"))),
          c.integer("qmin"), c.integer("qmax"), c.flag("preserve_sparsity"), rr);
    } else {
      REQUIRE(c.batches.size() == 1);
      const Batch& b = c.batches[0];
      if (kind == "choose_qparams_per_tensor") {
        got = qtensor::ops::ChooseQParamsPerTensor(b.values.data(), b.values.size(), rr);
      } else {
        REQUIRE(kind == "quantize_per_tensor_dynamic");
        got = qtensor::ops::ChooseQParamsDynamic(b.values.data(), b.values.size(),
                                                 qtensor::testing::GoldenDType(c.one("dtype")), rr);
      }
    }
  };
  if (c.has("expect_error")) {
    CHECK_THROWS_AS(run(), qtensor::core::Error);
    return;
  }
  run();
  CHECK(Bits(got.scale) == Bits(ParseHex(c.one("expect_scale"))));
  CHECK(got.zero_point == c.integer("expect_zero_point"));
  if (kind == "quantize_per_tensor_dynamic") {
    // Quantizing with the chosen parameters gives torch's integers.
    const Batch& b = c.batches[0];
    const DType dtype = qtensor::testing::GoldenDType(c.one("dtype"));
    const auto q = qtensor::core::Quantize(
        b.values.data(), b.shape,
        qtensor::core::Quantizer::PerTensor(dtype, got.scale, got.zero_point));
    const auto& want = c.at("expect_int_repr");
    std::vector<int64_t> ints(b.values.size());
    if (dtype == DType::kQInt8) {
      std::vector<int8_t> raw(ints.size());
      qtensor::core::IntRepr(q, raw.data());
      for (size_t i = 0; i < raw.size(); ++i) ints[i] = raw[i];
    } else {
      std::vector<uint8_t> raw(ints.size());
      qtensor::core::IntRepr(q, raw.data());
      for (size_t i = 0; i < raw.size(); ++i) ints[i] = raw[i];
    }
    REQUIRE(ints.size() == want.size());
    for (size_t i = 0; i < ints.size(); ++i) CHECK(ints[i] == std::stoll(want[i]));
  }
}

}  // namespace

TEST_CASE("observer_golden.txt covers every kind, with torch's results and errors") {
  std::map<std::string, int> kinds;
  int errors = 0;
  int numpy = 0;
  for (const Case& c : Cases()) {
    ++kinds[c.one("kind")];
    errors += c.has("expect_error") ? 1 : 0;
    numpy += c.one("source") == "numpy" ? 1 : 0;
  }
  CHECK(kinds.size() == 8);
  for (const auto& [kind, count] : kinds) {
    INFO(kind);
    CHECK(count >= 30);
  }
  CHECK(errors >= 100);
  CHECK(numpy > 0);
}

TEST_CASE("observers equal PyTorch's calculate_qparams bit for bit") {
  int checked = 0;
  for (const Case& c : Cases()) {
    if (!IsObserver(c.one("kind"))) continue;
    CAPTURE(c.name);
    CheckObserverCase(c);
    ++checked;
  }
  CHECK(checked > 1100);
}

TEST_CASE(
    "choose_qparams, _choose_qparams_per_tensor and quantize_per_tensor_dynamic equal "
    "PyTorch's") {
  int checked = 0;
  for (const Case& c : Cases()) {
    if (IsObserver(c.one("kind"))) continue;
    CAPTURE(c.name);
    CheckPerTensorCase(c);
    ++checked;
  }
  CHECK(checked > 300);
}
