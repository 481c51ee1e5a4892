// The out= forms (write_into.h): into a separate tensor they compute in
// place of the result, into a view sharing storage with the inputs they go
// through a fresh result first; either way out ends up holding the fresh
// operator's integers, with out's parameters.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/tensor_ops.h"
#include "ops/binary.h"
#include "ops/cat.h"
#include "ops/write_into.h"

#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

TEST_CASE("cat_out into a separate tensor and into the inputs' own storage") {
  const Quantizer q = Quantizer::PerTensor(DType::kQInt8, 0.1, 3);
  for (bool relu : {false, true}) {
    // Separate: the parts are written straight into out.
    const Tensor a = RandomTensor({2, 3}, q, 1), b = RandomTensor({4, 3}, q, 2);
    const Tensor out = Tensor::ForOverwrite({6, 3}, q);
    CatOut(out, {a, b}, 0, relu);
    CHECK(IntBytes(out) == IntBytes(Cat({a, b}, 0, &q, relu)));
    // out is the storage both inputs view, in swapped order: writing the
    // first part straight in would overwrite the second input.
    const Tensor base = RandomTensor({4, 3}, q, 3);
    const Tensor expected = Cat({base.Slice(0, 2, 4, 1), base.Slice(0, 0, 2, 1)}, 0, &q, relu);
    CatOut(base, {base.Slice(0, 2, 4, 1), base.Slice(0, 0, 2, 1)}, 0, relu);
    CHECK(IntBytes(base) == IntBytes(expected));
  }
}

TEST_CASE("add_out and mul_out into a separate tensor and into an input broadcast over") {
  const Quantizer q = Quantizer::PerTensor(DType::kQUInt8, 0.05, 128);
  const Quantizer out_q = Quantizer::PerTensor(DType::kQUInt8, 0.2, 100);
  for (BinaryOp op : {BinaryOp::kAdd, BinaryOp::kMul}) {
    for (bool relu : {false, true}) {
      const Tensor a = RandomTensor({3, 4}, q, 4), b = RandomTensor({4}, q, 5);
      const Tensor out = Tensor::ForOverwrite({3, 4}, out_q);
      BinaryOut(op, out, a, b, relu);
      CHECK(IntBytes(out) == IntBytes(Binary(op, a, b, 0.2, 100, relu)));
      // b is row 0 of out's storage, broadcast over the rows: writing row 0
      // straight in would change b for the rows after it.
      const Tensor base = RandomTensor({3, 4}, out_q, 6);
      const Tensor row = base.Select(0, 0);
      const Tensor fresh = Binary(op, a, row, 0.2, 100, relu);
      BinaryOut(op, base, a, row, relu);
      CHECK(IntBytes(base) == IntBytes(fresh));
    }
  }
}

TEST_CASE("out= forms check out's shape") {
  const Quantizer q = Quantizer::PerTensor(DType::kQInt8, 0.1, 0);
  const Tensor a = RandomTensor({2, 3}, q, 7);
  const Tensor wrong = Tensor::ForOverwrite({3, 2}, q);
  CHECK_THROWS_WITH(BinaryOut(BinaryOp::kAdd, wrong, a, a, false),
                    "add_out: out has shape (3, 2), the result (2, 3)");
  CHECK_THROWS_WITH(CatOut(wrong, {a, a}, 0, false),
                    "cat_out: out has shape (3, 2), the result (4, 3)");
}

}  // namespace
}  // namespace qtensor::ops
