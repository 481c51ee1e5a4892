// tests/data/pool_golden.txt (written by tests/data/make_pool_golden.py from
// PyTorch 1.13): max_pool2d, avg_pool2d and adaptive_avg_pool2d element for
// element against PyTorch's NCHW kernels, for a contiguous input and for the
// same values read through a transposed view. qtensor must give PyTorch's
// integer except where the file lists the element (qint32 sums that wrap or
// averages past int32 in PyTorch). Those counts, and how many elements
// PyTorch's channels-last kernel and its qnnpack engine give otherwise, are
// pinned per operator and dtype (docs/numerics.md quotes them).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "core/tensor_ops.h"
#include "golden_lines.h"
#include "golden_tensors.h"
#include "ops/pool.h"

#ifndef QTENSOR_TEST_DATA_DIR
#error "QTENSOR_TEST_DATA_DIR must be defined"
#endif

namespace {

using qtensor::core::Tensor;
using qtensor::testing::Golden;

struct PoolCase {
  std::string name, op;
  Golden input, output;
  std::map<std::string, std::vector<int64_t>> args;
  std::map<int64_t, std::pair<int64_t, std::string>> diffs;  // index -> (formula, reason)
  int64_t channels_last = 0, qnnpack = 0;
  bool qnnpack_rejected = false;
};

std::vector<PoolCase> LoadPoolCases() {
  std::vector<PoolCase> cases;
  PoolCase current;
  Golden* pending = nullptr;
  qtensor::testing::ForEachGoldenLine(
      QTENSOR_TEST_DATA_DIR "/pool_golden.txt",
      [&](const std::string& key, const std::vector<std::string>& tokens, const std::string& line) {
        if (key == "case") {
          current = PoolCase{};
          current.name = tokens.at(0);
          current.op = tokens.at(1);
        } else if (key == "input" || key == "output") {
          Golden& g = key == "input" ? current.input : current.output;
          g = qtensor::testing::ParseTensorHeader(tokens);
          pending = &g;
        } else if (key == "data") {
          REQUIRE(pending != nullptr);
          for (const auto& t : tokens) pending->ints.push_back(std::stoll(t));
          pending = nullptr;
        } else if (key == "arg") {
          std::vector<int64_t>& values = current.args[tokens.at(0)];
          for (size_t i = 1; i < tokens.size(); ++i) values.push_back(std::stoll(tokens[i]));
        } else if (key == "diff") {
          current.diffs[std::stoll(tokens.at(0))] = {std::stoll(tokens.at(1)), tokens.at(2)};
        } else if (key == "channels_last") {
          current.channels_last = std::stoll(tokens.at(0));
        } else if (key == "qnnpack") {
          current.qnnpack_rejected = tokens.at(0) == "rejected";
          if (!current.qnnpack_rejected) current.qnnpack = std::stoll(tokens.at(0));
        } else if (key == "end") {
          cases.push_back(std::move(current));
          current = PoolCase{};
        } else {
          FAIL("unknown line " << line);
        }
      });
  return cases;
}

Tensor RunPool(const PoolCase& c, const Tensor& input) {
  auto pair = [&](const std::string& key) {
    auto it = c.args.find(key);
    REQUIRE_MESSAGE(it != c.args.end(), c.name << " lacks argument " << key);
    return std::array<int64_t, 2>{it->second.at(0), it->second.at(1)};
  };
  auto flag = [&](const std::string& key) { return c.args.at(key).at(0) != 0; };
  if (c.op == "adaptive_avg_pool2d") {
    const std::array<int64_t, 2> size = pair("output_size");
    return qtensor::ops::AdaptiveAvgPool2d(input, size[0], size[1]);
  }
  qtensor::ops::PoolWindow window;
  window.kernel = pair("kernel");
  window.stride = pair("stride");
  window.padding = pair("padding");
  window.ceil_mode = flag("ceil_mode");
  if (c.op == "max_pool2d") {
    window.dilation = pair("dilation");
    return qtensor::ops::MaxPool2d(input, window);
  }
  REQUIRE(c.op == "avg_pool2d");
  return qtensor::ops::AvgPool2d(input, window, flag("count_include_pad"),
                                 c.args.at("divisor_override").at(0));
}

// The golden input's values in a storage with H and W swapped, seen through
// a transposed (non-contiguous) view.
Tensor TransposedView(const Golden& g) {
  Golden swapped = g;
  const size_t rank = g.shape.size();
  const int64_t height = g.shape[rank - 2], width = g.shape[rank - 1];
  std::swap(swapped.shape[rank - 2], swapped.shape[rank - 1]);
  const int64_t plane = height * width;
  for (size_t p = 0; p < g.ints.size() / static_cast<size_t>(plane); ++p) {
    for (int64_t h = 0; h < height; ++h) {
      for (int64_t w = 0; w < width; ++w) {
        swapped.ints[p * plane + w * height + h] = g.ints[p * plane + h * width + w];
      }
    }
  }
  return qtensor::testing::MakeTensor(swapped).Transpose(-1, -2);
}

struct PoolCounts {
  int64_t elements = 0, formula = 0, channels_last = 0, qnnpack = 0, qnnpack_rejected_cases = 0;
  bool operator==(const PoolCounts& o) const {
    return std::tie(elements, formula, channels_last, qnnpack, qnnpack_rejected_cases) ==
           std::tie(o.elements, o.formula, o.channels_last, o.qnnpack, o.qnnpack_rejected_cases);
  }
};

std::ostream& operator<<(std::ostream& out, const PoolCounts& n) {
  return out << "{" << n.elements << ", " << n.formula << ", " << n.channels_last << ", "
             << n.qnnpack << ", " << n.qnnpack_rejected_cases << "}";
}

// Per operator and dtype: elements, where qtensor's formula differs from
// PyTorch's NCHW kernel, where PyTorch's channels-last kernel differs from
// it, where qnnpack differs from it, and cases qnnpack rejects.
const std::map<std::string, PoolCounts> kExpectedPoolCounts = {
    {"adaptive_avg_pool2d qint32", {1200, 128, 260, 0, 0}},
    {"adaptive_avg_pool2d qint8", {1200, 0, 75, 0, 0}},
    {"adaptive_avg_pool2d quint8", {1200, 0, 68, 65, 0}},
    {"avg_pool2d qint32", {3434, 1148, 9, 0, 0}},
    {"avg_pool2d qint8", {3434, 0, 23, 0, 0}},
    {"avg_pool2d quint8", {3434, 0, 40, 448, 2}},
    {"max_pool2d qint32", {1263, 0, 0, 0, 0}},
    {"max_pool2d qint8", {1263, 0, 0, 0, 0}},
    {"max_pool2d quint8", {1263, 0, 0, 29, 1}},
};

TEST_CASE("pooling against PyTorch 1.13 golden data, contiguous and through a view") {
  const std::vector<PoolCase> cases = LoadPoolCases();
  REQUIRE(cases.size() > 100);
  std::map<std::string, PoolCounts> counts;
  for (const PoolCase& c : cases) {
    CAPTURE(c.name);
    const Tensor contiguous = qtensor::testing::MakeTensor(c.input);
    const Tensor view = TransposedView(c.input);
    const size_t rank = c.input.shape.size();
    if (c.input.shape[rank - 2] > 1 && c.input.shape[rank - 1] > 1) {
      REQUIRE_FALSE(view.IsContiguous());
    }
    for (const Tensor& input : {contiguous, view}) {
      const Tensor result = RunPool(c, input);
      CHECK(result.IsContiguous());
      CHECK(result.shape() == c.output.shape);
      CHECK(result.EffectiveQuantizer() == c.output.quantizer);
      const std::vector<int64_t> ours = qtensor::testing::Ints(result);
      REQUIRE(ours.size() == c.output.ints.size());
      int64_t wrong = 0;
      for (size_t i = 0; i < ours.size(); ++i) {
        const int64_t theirs = c.output.ints[i];
        auto listed = c.diffs.find(static_cast<int64_t>(i));
        const int64_t expected = listed == c.diffs.end() ? theirs : listed->second.first;
        if (ours[i] != expected && ++wrong <= 5) {
          FAIL_CHECK("element " << i << ": qtensor " << ours[i] << ", expected " << expected
                                << ", PyTorch " << theirs);
        }
        if (listed != c.diffs.end() && listed->second.second == "conv") {
          CHECK(theirs == std::numeric_limits<int32_t>::min());
        }
      }
      CHECK(wrong == 0);
    }
    const std::string key = c.op + " " + qtensor::core::DTypeName(c.input.quantizer.dtype());
    PoolCounts& n = counts[key];
    n.elements += static_cast<int64_t>(c.output.ints.size());
    n.formula += static_cast<int64_t>(c.diffs.size());
    n.channels_last += c.channels_last;
    n.qnnpack += c.qnnpack;
    n.qnnpack_rejected_cases += c.qnnpack_rejected;
  }
  for (const auto& [key, got] : counts) {
    CAPTURE(key);
    auto it = kExpectedPoolCounts.find(key);
    REQUIRE_MESSAGE(it != kExpectedPoolCounts.end(), "no expected counts for " << key);
    CHECK(got == it->second);
  }
  CHECK(counts.size() == kExpectedPoolCounts.size());
}

}  // namespace
