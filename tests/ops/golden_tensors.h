// Tensors in the golden text files of tests/data (operator_golden.txt,
// pool_golden.txt): their quantizer tokens, "input"/"output" header lines
// and integers, and the integers of a result to compare with them.
#ifndef QTENSOR_TESTS_OPS_GOLDEN_TENSORS_H_
#define QTENSOR_TESTS_OPS_GOLDEN_TENSORS_H_

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/quantizer.h"
#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "golden_lines.h"

namespace qtensor::testing {

using core::DType;
using core::Quantizer;
using core::Tensor;

inline double ParseDouble(const std::string& token) { return std::strtod(token.c_str(), nullptr); }

// "DTYPE pt SCALE ZP" or "DTYPE pc AXIS C SCALE*C ZP*C" from tokens[at].
inline Quantizer ParseQuant(const std::vector<std::string>& tokens, size_t at) {
  const DType dtype = qtensor::testing::GoldenDType(tokens.at(at));
  if (tokens.at(at + 1) == "pt") {
    return Quantizer::PerTensor(dtype, ParseDouble(tokens.at(at + 2)),
                                std::stoll(tokens.at(at + 3)));
  }
  REQUIRE(tokens.at(at + 1) == "pc");
  const int64_t axis = std::stoll(tokens.at(at + 2));
  const size_t channels = std::stoul(tokens.at(at + 3));
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  for (size_t c = 0; c < channels; ++c) {
    scales.push_back(ParseDouble(tokens.at(at + 4 + c)));
    zero_points.push_back(std::stoll(tokens.at(at + 4 + channels + c)));
  }
  return Quantizer::PerChannel(dtype, scales, zero_points, axis);
}

struct Golden {
  std::vector<int64_t> shape;
  Quantizer quantizer = Quantizer::PerTensor(DType::kQUInt8, 1.0, 0);
  std::vector<int64_t> ints;
};

inline Golden ParseTensorHeader(const std::vector<std::string>& tokens) {
  Golden g;
  const size_t rank = std::stoul(tokens.at(0));
  for (size_t d = 0; d < rank; ++d) g.shape.push_back(std::stoll(tokens.at(1 + d)));
  g.quantizer = ParseQuant(tokens, 1 + rank);
  return g;
}

inline Tensor MakeTensor(const Golden& g) {
  std::vector<uint8_t> bytes(g.ints.size() * qtensor::core::ElementSize(g.quantizer.dtype()));
  qtensor::core::VisitDType(g.quantizer.dtype(), [&](auto v) {
    using T = decltype(v);
    for (size_t i = 0; i < g.ints.size(); ++i) {
      reinterpret_cast<T*>(bytes.data())[i] = static_cast<T>(g.ints[i]);
    }
  });
  return qtensor::core::FromIntRepr(bytes.data(), bytes.size(), g.shape, g.quantizer);
}

inline std::vector<int64_t> Ints(const Tensor& t) {
  std::vector<uint8_t> bytes(static_cast<size_t>(t.numel()) *
                             qtensor::core::ElementSize(t.dtype()));
  qtensor::core::IntRepr(t, bytes.data());
  std::vector<int64_t> out(static_cast<size_t>(t.numel()));
  qtensor::core::VisitDType(t.dtype(), [&](auto v) {
    using T = decltype(v);
    for (size_t i = 0; i < out.size(); ++i) out[i] = reinterpret_cast<const T*>(bytes.data())[i];
  });
  return out;
}

}  // namespace qtensor::testing

#endif  // QTENSOR_TESTS_OPS_GOLDEN_TENSORS_H_
