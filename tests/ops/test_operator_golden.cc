// tests/data/operator_golden.txt (written by tests/data/make_operator_golden.py
// from PyTorch 1.13, onednn engine, with qnnpack's results beside): every
// elementwise operator's result, element for element. qtensor must give
// PyTorch's integer except where the file lists the element (PyTorch's
// vector body, float32 zero point, int32 wrap-around or undefined
// conversion differ from docs/numerics.md's one formula): there it must give
// the listed value, off from PyTorch's by the amount the reason allows. The
// counts of such elements, and of qnnpack's differences, are pinned per
// operator and dtype, so a change anywhere shows.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "golden_lines.h"
#include "golden_tensors.h"
#include "ops/binary.h"
#include "ops/cat.h"
#include "ops/clamp.h"
#include "ops/float_unary.h"
#include "ops/requantize.h"
#include "ops/scalar_binary.h"

#ifndef QTENSOR_TEST_DATA_DIR
#error "QTENSOR_TEST_DATA_DIR must be defined"
#endif

namespace {

using qtensor::core::DType;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;
using qtensor::testing::Golden;
using qtensor::testing::Ints;
using qtensor::testing::MakeTensor;
using qtensor::testing::ParseDouble;
using qtensor::testing::ParseQuant;
using qtensor::testing::ParseTensorHeader;

struct Diff {
  int64_t index, value;
  std::string reason;
};

struct Case {
  std::string name, op;
  std::vector<Golden> inputs;
  std::map<std::string, std::vector<std::string>> args;
  Golden output;
  std::vector<Diff> diffs;
  bool qnnpack_rejected = false;
  std::map<int64_t, int64_t> qnnpack_diffs;  // index -> qnnpack's integer
};

std::vector<Case> LoadCases() {
  std::vector<Case> cases;
  Case current;
  Golden* pending = nullptr;  // the tensor the next data line fills
  qtensor::testing::ForEachGoldenLine(
      QTENSOR_TEST_DATA_DIR "/operator_golden.txt",
      [&](const std::string& key, const std::vector<std::string>& tokens, const std::string& line) {
        if (key == "case") {
          current = Case{};
          current.name = tokens.at(0);
          current.op = tokens.at(1);
        } else if (key == "input") {
          current.inputs.push_back(ParseTensorHeader(tokens));
          pending = &current.inputs.back();
        } else if (key == "output") {
          current.output = ParseTensorHeader(tokens);
          pending = &current.output;
        } else if (key == "data") {
          REQUIRE(pending != nullptr);
          for (const auto& t : tokens) pending->ints.push_back(std::stoll(t));
          pending = nullptr;
        } else if (key == "arg") {
          current.args[tokens.at(0)] = std::vector<std::string>(tokens.begin() + 1, tokens.end());
        } else if (key == "diff") {
          current.diffs.push_back(
              {std::stoll(tokens.at(0)), std::stoll(tokens.at(1)), tokens.at(2)});
        } else if (key == "qnnpack") {
          current.qnnpack_rejected = tokens.at(0) == "rejected";
        } else if (key == "qdiff") {
          current.qnnpack_diffs[std::stoll(tokens.at(0))] = std::stoll(tokens.at(1));
        } else if (key == "end") {
          cases.push_back(std::move(current));
          current = Case{};
        } else {
          FAIL("unknown line " << line);
        }
      });
  return cases;
}

Tensor Run(const Case& c) {
  using namespace qtensor::ops;
  std::vector<Tensor> in;
  for (const auto& g : c.inputs) in.push_back(MakeTensor(g));
  auto arg = [&](const std::string& key) -> const std::vector<std::string>& {
    auto it = c.args.find(key);
    if (it == c.args.end()) FAIL(c.name << " lacks argument " << key);
    return it->second;
  };
  auto number = [&](const std::string& key) { return ParseDouble(arg(key).at(0)); };
  const std::string& op = c.op;
  if (op == "requantize") return Requantize(in.at(0), ParseQuant(arg("target"), 0));
  if (op == "relu") return Relu(in.at(0));
  if (op == "relu6") return Relu6(in.at(0));
  // PyTorch's clamp and leaky_relu convert their Scalar arguments to float.
  if (op == "clamp" || op == "hardtanh") {
    return Clamp(in.at(0), static_cast<float>(number("min")), static_cast<float>(number("max")));
  }
  if (op == "leaky_relu") return LeakyRelu(in.at(0), static_cast<float>(number("slope")));
  if (op == "hardswish") {
    return Hardswish(in.at(0), number("scale"), std::stoll(arg("zero_point").at(0)));
  }
  if (op == "sigmoid") return Sigmoid(in.at(0));
  if (op == "tanh") return Tanh(in.at(0));
  if (op == "add" || op == "add_relu" || op == "mul" || op == "mul_relu") {
    const BinaryOp kind = op[0] == 'a' ? BinaryOp::kAdd : BinaryOp::kMul;
    return Binary(kind, in.at(0), in.at(1), number("scale"), std::stoll(arg("zero_point").at(0)),
                  op.size() > 3);
  }
  if (op == "add_scalar" || op == "add_scalar_relu") {
    return AddScalar(in.at(0), number("other"), op == "add_scalar_relu");
  }
  if (op == "mul_scalar" || op == "mul_scalar_relu") {
    return MulScalar(in.at(0), number("other"), op == "mul_scalar_relu");
  }
  if (op == "cat" || op == "cat_relu") {
    const int64_t dim = std::stoll(arg("dim").at(0));
    if (c.args.count("target") != 0) {
      const Quantizer target = ParseQuant(arg("target"), 0);
      return Cat(in, dim, &target, op == "cat_relu");
    }
    return Cat(in, dim, nullptr, op == "cat_relu");
  }
  FAIL("unknown operator " << op);
  return in.at(0);
}

// What a reason allows between the formula's value (qtensor's) and
// PyTorch's: the reasons are the generator's (see its docstring).
bool Allowed(const std::string& reason, int64_t ours, int64_t theirs, DType dtype,
             int64_t zero_point) {
  const int64_t lo = qtensor::core::VisitDType(
      dtype, [](auto v) -> int64_t { return std::numeric_limits<decltype(v)>::min(); });
  const int64_t hi = qtensor::core::VisitDType(
      dtype, [](auto v) -> int64_t { return std::numeric_limits<decltype(v)>::max(); });
  if (reason == "bound") return theirs == lo;  // PyTorch's bound became qmin
  if (reason == "conv") {
    // The undefined conversion's minimum integer, clamped (the vector body
    // adds the zero point to the int32 minimum first, wrapping around), or
    // the zero point once a fused relu has run.
    const int64_t wrapped =
        static_cast<int32_t>(static_cast<uint32_t>(INT32_MIN) + static_cast<uint32_t>(zero_point));
    const int64_t int_min = std::min(std::max(wrapped, lo), hi);
    const bool end = ours == lo || ours == hi || ours == zero_point;
    return end && (theirs == lo || theirs == hi || theirs == int_min || theirs == zero_point);
  }
  if (reason.find("wrap") != std::string::npos || reason.find("fmahuge") != std::string::npos) {
    return true;  // exact integers against wrapped ones; no rounding bound
  }
  const int64_t step = ours > theirs ? ours - theirs : theirs - ours;
  if (dtype == DType::kQInt32) return step >= 1 && step <= 512;  // float32's 24 bits
  return step == 1 && reason.find("f32") == std::string::npos;   // one tie or one ulp
}

struct Counts {
  int64_t elements, onednn, qnnpack_vs_onednn, qnnpack_vs_qtensor, qnnpack_rejected;
  bool operator==(const Counts& o) const {
    return elements == o.elements && onednn == o.onednn &&
           qnnpack_vs_onednn == o.qnnpack_vs_onednn && qnnpack_vs_qtensor == o.qnnpack_vs_qtensor &&
           qnnpack_rejected == o.qnnpack_rejected;
  }
};

std::ostream& operator<<(std::ostream& os, const Counts& c) {
  return os << "{" << c.elements << ", " << c.onednn << ", " << c.qnnpack_vs_onednn << ", "
            << c.qnnpack_vs_qtensor << ", " << c.qnnpack_rejected << "}";
}

// Per operator and dtype (requantize: source->target): elements, elements
// where qtensor differs from PyTorch's onednn result, where qnnpack differs
// from onednn, where qnnpack differs from qtensor, and elements of the cases
// qnnpack rejects. docs/numerics.md quotes these; the generator prints them.
const std::map<std::string, Counts> kExpected = {
    {"add qint32", {4961, 2194, 0, 2194, 0}},
    {"add qint8", {6094, 210, 336, 336, 372}},
    {"add quint8", {6094, 265, 185, 352, 139}},
    {"add_relu qint32", {4961, 1267, 0, 1267, 0}},
    {"add_relu qint8", {6094, 169, 181, 181, 372}},
    {"add_relu quint8", {6094, 245, 89, 258, 139}},
    {"add_scalar qint32", {1889, 0, 0, 0, 0}},
    {"add_scalar qint8", {20736, 0, 0, 0, 0}},
    {"add_scalar quint8", {20736, 0, 0, 0, 0}},
    {"add_scalar_relu qint32", {1889, 0, 0, 0, 0}},
    {"add_scalar_relu qint8", {20736, 0, 0, 0, 0}},
    {"add_scalar_relu quint8", {20736, 0, 0, 0, 0}},
    {"cat qint32", {1884, 366, 0, 366, 0}},
    {"cat qint8", {1884, 5, 0, 5, 0}},
    {"cat quint8", {1884, 3, 0, 3, 0}},
    {"cat_relu qint32", {1884, 197, 0, 197, 0}},
    {"cat_relu qint8", {1884, 3, 0, 3, 0}},
    {"cat_relu quint8", {1884, 1, 0, 1, 0}},
    {"clamp qint32", {2282, 305, 0, 305, 0}},
    {"clamp qint8", {2282, 267, 0, 267, 0}},
    {"clamp quint8", {2282, 269, 0, 269, 139}},
    {"hardswish qint32", {1865, 226, 0, 226, 0}},
    {"hardswish qint8", {3927, 89, 0, 89, 0}},
    {"hardswish quint8", {3927, 128, 69, 63, 0}},
    {"hardtanh qint32", {1587, 135, 0, 135, 0}},
    {"hardtanh qint8", {1587, 135, 0, 135, 0}},
    {"hardtanh quint8", {1587, 135, 0, 135, 139}},
    {"leaky_relu qint32", {2560, 618, 0, 618, 0}},
    {"leaky_relu qint8", {5653, 161, 0, 161, 0}},
    {"leaky_relu quint8", {5653, 279, 0, 279, 0}},
    {"mul qint32", {4961, 2796, 0, 2796, 0}},
    {"mul qint8", {5063, 0, 0, 0, 0}},
    {"mul quint8", {5063, 0, 0, 0, 0}},
    {"mul_relu qint32", {4961, 2151, 0, 2151, 0}},
    {"mul_relu qint8", {5063, 0, 0, 0, 0}},
    {"mul_relu quint8", {5063, 0, 0, 0, 0}},
    {"mul_scalar qint32", {1889, 0, 0, 0, 0}},
    {"mul_scalar qint8", {3671, 0, 0, 0, 0}},
    {"mul_scalar quint8", {3671, 0, 0, 0, 0}},
    {"mul_scalar_relu qint32", {1889, 0, 0, 0, 0}},
    {"mul_scalar_relu qint8", {3671, 0, 0, 0, 0}},
    {"mul_scalar_relu quint8", {3671, 0, 0, 0, 0}},
    {"relu qint32", {1448, 0, 0, 0, 0}},
    {"relu qint8", {1448, 0, 0, 0, 0}},
    {"relu quint8", {1448, 0, 0, 0, 0}},
    {"relu6 qint32", {1865, 0, 0, 0, 0}},
    {"relu6 qint8", {1865, 0, 0, 0, 0}},
    {"relu6 quint8", {1865, 0, 0, 0, 0}},
    {"requantize qint32->qint32", {1560, 366, 0, 366, 0}},
    {"requantize qint32->qint8", {1560, 51, 0, 51, 0}},
    {"requantize qint32->quint8", {1560, 46, 0, 46, 0}},
    {"requantize qint8->qint32", {1560, 39, 0, 39, 0}},
    {"requantize qint8->qint8", {1560, 40, 0, 40, 0}},
    {"requantize qint8->quint8", {1560, 42, 0, 42, 0}},
    {"requantize quint8->qint32", {1560, 37, 0, 37, 0}},
    {"requantize quint8->qint8", {1560, 46, 0, 46, 0}},
    {"requantize quint8->quint8", {1560, 36, 0, 36, 0}},
    {"sigmoid qint32", {1726, 38, 0, 38, 0}},
    {"sigmoid qint8", {2757, 0, 0, 0, 0}},
    {"sigmoid quint8", {2757, 27, 27, 0, 0}},
    {"tanh qint32", {1726, 100, 0, 100, 0}},
    {"tanh qint8", {2757, 0, 0, 0, 0}},
    {"tanh quint8", {2757, 29, 29, 0, 0}},
};

TEST_CASE("elementwise operators against PyTorch 1.13 golden data") {
  const std::vector<Case> cases = LoadCases();
  REQUIRE(cases.size() > 1000);
  std::map<std::string, Counts> counts;
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const Tensor result = Run(c);
    const Golden& want = c.output;
    CHECK(result.shape() == want.shape);
    CHECK(result.EffectiveQuantizer() == want.quantizer);
    const std::vector<int64_t> ours = Ints(result);
    REQUIRE(ours.size() == want.ints.size());

    const DType dtype = want.quantizer.dtype();
    const std::string in_dtype = qtensor::core::DTypeName(c.inputs.at(0).quantizer.dtype());
    const std::string key =
        c.op + " " +
        (c.op == "requantize" ? in_dtype + "->" + qtensor::core::DTypeName(dtype) : in_dtype);
    Counts& n = counts[key];
    n.elements += static_cast<int64_t>(ours.size());
    if (c.qnnpack_rejected) n.qnnpack_rejected += static_cast<int64_t>(ours.size());

    std::map<int64_t, const Diff*> listed;
    for (const Diff& d : c.diffs) listed[d.index] = &d;
    const int64_t zero_point = want.quantizer.zero_points().at(0);
    int64_t wrong = 0;
    for (size_t i = 0; i < ours.size(); ++i) {
      const int64_t theirs = want.ints[i];
      auto it = listed.find(static_cast<int64_t>(i));
      const int64_t expected = it == listed.end() ? theirs : it->second->value;
      if (ours[i] != expected) {
        if (++wrong <= 5) {
          FAIL_CHECK("element " << i << ": qtensor " << ours[i] << ", expected " << expected
                                << ", PyTorch " << theirs);
        }
      }
      if (it != listed.end()) {
        ++n.onednn;
        if (!Allowed(it->second->reason, expected, theirs, dtype, zero_point)) {
          FAIL_CHECK("element " << i << " (" << it->second->reason << "): formula " << expected
                                << ", PyTorch " << theirs << " beyond what the reason allows");
        }
      }
      if (!c.qnnpack_rejected) {
        auto q = c.qnnpack_diffs.find(static_cast<int64_t>(i));
        const int64_t qnnpack = q == c.qnnpack_diffs.end() ? theirs : q->second;
        n.qnnpack_vs_onednn += qnnpack != theirs;
        n.qnnpack_vs_qtensor += qnnpack != ours[i];
      }
    }
    CHECK(wrong == 0);
  }
  for (const auto& [key, got] : counts) {
    CAPTURE(key);
    auto it = kExpected.find(key);
    if (it == kExpected.end()) {
      FAIL_CHECK("no expected counts for " << key << ": " << got);
      continue;
    }
    CHECK(got == it->second);
  }
  CHECK(counts.size() == kExpected.size());
}

}  // namespace
