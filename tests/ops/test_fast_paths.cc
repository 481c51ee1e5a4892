// The operators' fast paths give the generic path's integers: 8-bit
// per-tensor unary operators and requantize go through a 256-entry table
// (ops/lookup_table.h) from 2048 elements on, and the same operator on
// pieces below that size takes core::MapInto; the two must agree on every
// element, for every dtype pair, layout and operator.
#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "ops/binary.h"
#include "ops/cat.h"
#include "ops/float_unary.h"
#include "ops/lookup_table.h"
#include "ops/requantize.h"
#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

// A [rows, 64] tensor whose integers run through all 256 bytes in a
// scrambled order (k * 37 mod 256), so every input value is seen.
Tensor EveryByte(DType dtype, double scale, int64_t zero_point, int64_t rows) {
  std::vector<uint8_t> bytes(static_cast<size_t>(rows) * 64);
  for (size_t k = 0; k < bytes.size(); ++k) bytes[k] = static_cast<uint8_t>(k * 37 + k / 256);
  return core::FromIntRepr(bytes.data(), bytes.size(), {rows, 64},
                           Quantizer::PerTensor(dtype, scale, zero_point));
}

using UnaryOp = std::function<Tensor(const Tensor&)>;

// op on the whole view (the table) against op on blocks of 8 leading
// indices (each under the table's size: MapInto), joined row-major.
void CheckAgainstPieces(const UnaryOp& op, const Tensor& src) {
  const Tensor whole = op(src);
  REQUIRE(TakesTable(whole, src));
  std::vector<uint8_t> pieces;
  for (int64_t row = 0; row < src.shape()[0]; row += 8) {
    const Tensor piece = src.Slice(0, row, row + 8, 1);
    const Tensor mapped = op(piece);
    REQUIRE_FALSE(TakesTable(mapped, piece));
    const std::vector<uint8_t> bytes = IntBytes(mapped);
    pieces.insert(pieces.end(), bytes.begin(), bytes.end());
  }
  CHECK(IntBytes(whole) == pieces);
}

struct Named {
  std::string name;
  UnaryOp op;
};

std::vector<Named> UnaryOps() {
  return {
      {"leaky_relu 0.1", [](const Tensor& s) { return LeakyRelu(s, 0.1f); }},
      {"leaky_relu -0.3", [](const Tensor& s) { return LeakyRelu(s, -0.3f); }},
      {"hardswish", [](const Tensor& s) { return Hardswish(s, 0.03, s.Params().zero_point(0)); }},
      {"sigmoid", Sigmoid},
      {"tanh", Tanh},
      {"requantize to qint8",
       [](const Tensor& s) {
         return Requantize(s, Quantizer::PerTensor(DType::kQInt8, 0.031, -5));
       }},
      {"requantize to quint8",
       [](const Tensor& s) {
         return Requantize(s, Quantizer::PerTensor(DType::kQUInt8, 0.2, 130));
       }},
  };
}

TEST_CASE("8-bit unary operators through the table equal the generic path") {
  for (const DType dtype : {DType::kQInt8, DType::kQUInt8}) {
    const int64_t zero_point = dtype == DType::kQInt8 ? -7 : 121;
    const Tensor src = EveryByte(dtype, 0.047, zero_point, 64);  // 4096 elements
    // Views: transposed, and every other row of a taller tensor.
    const Tensor transposed = EveryByte(dtype, 0.047, zero_point, 64).Transpose(0, 1);
    const Tensor strided = EveryByte(dtype, 0.047, zero_point, 128).Slice(0, 0, 128, 2);
    for (const Named& named : UnaryOps()) {
      CAPTURE(named.name);
      CAPTURE(core::DTypeName(dtype));
      CheckAgainstPieces(named.op, src);
      CheckAgainstPieces(named.op, transposed);
      CheckAgainstPieces(named.op, strided);
    }
  }
}

TEST_CASE("per-channel and 32-bit tensors keep the generic path") {
  const Tensor wide = RandomTensor({64, 64}, Quantizer::PerTensor(DType::kQInt32, 0.01, 3), 1);
  CHECK_FALSE(TakesTable(Sigmoid(wide), wide));
  const Tensor channels =
      RandomTensor({64, 64},
                   Quantizer::PerChannel(DType::kQInt8, std::vector<double>(64, 0.05),
                                         std::vector<int64_t>(64, 1), 0),
                   2);
  CHECK_FALSE(TakesTable(Tanh(channels), channels));
  CHECK_FALSE(TakesTable(Tanh(channels.Select(0, 3)), channels.Select(0, 3)));
}

TEST_CASE("requantizing into shared storage through the table") {
  // requantize of a tensor into a view of its own storage reads it whole
  // first, as MapInto does.
  const Tensor src = EveryByte(DType::kQUInt8, 0.047, 121, 64);
  const Tensor expected = Requantize(src, Quantizer::PerTensor(DType::kQUInt8, 0.047, 121));
  ops::RequantizeExisting(src, src);
  CHECK(IntBytes(src) == IntBytes(expected));
}

TEST_CASE("cat's requantized parts equal requantize") {
  const Tensor a = EveryByte(DType::kQInt8, 0.047, -7, 64);
  const Tensor b = EveryByte(DType::kQInt8, 0.021, 4, 64);
  const Quantizer joined = Quantizer::PerTensor(DType::kQInt8, 0.033, 2);
  const Tensor result = Cat({a, b}, 1, &joined, false);
  CHECK(IntBytes(result.Slice(1, 0, 64, 1)) == IntBytes(Requantize(a, joined)));
  CHECK(IntBytes(result.Slice(1, 64, 128, 1)) == IntBytes(Requantize(b, joined)));
}

// The same values as a contiguous tensor and as a transposed view of a
// contiguous copy of their transpose: binary operators take the fused
// kernels on the first and the element-by-element path on the second.
struct TwoLayouts {
  Tensor contiguous, view;
};

TwoLayouts BothLayouts(DType dtype, double scale, int64_t zero_point, uint32_t seed) {
  const Tensor t =
      RandomTensor({64, 64}, Quantizer::PerTensor(dtype, scale, zero_point), seed, 6.0f);
  return {t, core::Clone(t.Transpose(0, 1)).Transpose(0, 1)};
}

TEST_CASE("binary operators' fused kernels equal the element-by-element path") {
  for (const DType dtype : {DType::kQInt8, DType::kQUInt8, DType::kQInt32}) {
    const int64_t mid = dtype == DType::kQUInt8 ? 128 : 0;
    const TwoLayouts a = BothLayouts(dtype, 0.047, mid + 3, 1);
    const TwoLayouts b = BothLayouts(dtype, 0.031, mid - 5, 2);
    REQUIRE_FALSE(a.view.IsContiguous());
    for (const BinaryOp op : {BinaryOp::kAdd, BinaryOp::kMul}) {
      for (const bool relu : {false, true}) {
        for (const double scale : {0.05, 0.1, 0.0015}) {
          CAPTURE(core::DTypeName(dtype));
          CAPTURE(relu);
          CAPTURE(scale);
          const Tensor fast = Binary(op, a.contiguous, b.contiguous, scale, mid + 1, relu);
          const Tensor slow = Binary(op, a.view, b.view, scale, mid + 1, relu);
          CHECK(IntBytes(fast) == IntBytes(slow));
        }
      }
    }
  }
}

}  // namespace
}  // namespace qtensor::ops
