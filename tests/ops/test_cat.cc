// cat: each input's part of the result holds the input copied (same
// parameters) or requantized (others), along any dim, views included; relu
// after; the errors.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "ops/cat.h"
#include "ops/clamp.h"
#include "ops/requantize.h"

#include "tensor_helpers.h"

namespace qtensor::ops {
namespace {

using core::DType;
using core::Quantizer;
using core::Tensor;

TEST_CASE("each input's part is the input in the result's parameters") {
  const Quantizer first = Quantizer::PerTensor(DType::kQInt8, 0.05, 2);
  const std::vector<Tensor> inputs = {
      RandomTensor({3, 4, 5}, first, 1),
      RandomTensor({3, 5, 4}, Quantizer::PerTensor(DType::kQUInt8, 0.2, 130), 2).Transpose(1, 2),
      RandomTensor({3, 4, 5},
                   Quantizer::PerChannel(DType::kQInt32, {0.01, 0.02, 0.03}, {0, 5, -5}, 0), 3),
      RandomTensor({3, 4, 5}, Quantizer::PerTensor(DType::kQInt8, 0.07, -3), 7)};  // first's dtype
  for (int64_t dim : {0, 1, 2, -1}) {
    for (bool relu : {false, true}) {
      const Tensor result = Cat(inputs, dim, nullptr, relu);
      CHECK(result.EffectiveQuantizer() == first);
      const int64_t d = dim < 0 ? dim + 3 : dim;
      CHECK(result.shape()[d] == (d == 1 ? 16 : (d == 0 ? 12 : 20)));
      int64_t offset = 0;
      for (const Tensor& input : inputs) {
        const int64_t size = input.shape()[d];
        Tensor expected = Requantize(input, first);
        if (relu) ReluInPlace(expected);
        CHECK(IntBytes(result.Slice(d, offset, offset + size, 1)) == IntBytes(expected));
        offset += size;
      }
    }
  }
  const Quantizer given = Quantizer::PerTensor(DType::kQUInt8, 0.11, 77);
  const Tensor result = Cat(inputs, 1, &given, false);
  CHECK(result.EffectiveQuantizer() == given);
  CHECK(IntBytes(result.Slice(1, 0, 4, 1)) == IntBytes(Requantize(inputs[0], given)));
}

TEST_CASE("cat refuses what it cannot join") {
  const Quantizer q = Quantizer::PerTensor(DType::kQInt8, 0.1, 0);
  const Tensor a = RandomTensor({2, 3}, q, 4), b = RandomTensor({3, 3}, q, 5);
  CHECK(Cat({a, b}, 0, nullptr, false).shape() == std::vector<int64_t>{5, 3});
  CHECK_THROWS_AS(Cat({a, b}, 1, nullptr, false), core::Error);
  CHECK_THROWS_AS(Cat({}, 0, nullptr, false), core::Error);
  CHECK_THROWS_AS(Cat({a}, 2, nullptr, false), core::Error);
  CHECK_THROWS_AS(Cat({a.Select(0, 0).Select(0, 0)}, 0, nullptr, false), core::Error);
  const Tensor per_channel =
      RandomTensor({2, 3}, Quantizer::PerChannel(DType::kQInt8, {0.1, 0.2}, {0, 0}, 0), 6);
  CHECK_THROWS_AS(Cat({per_channel, per_channel}, 0, nullptr, false), core::Error);
  CHECK(Cat({per_channel, per_channel}, 1, nullptr, false).shape() == std::vector<int64_t>{2, 6});
}

}  // namespace
}  // namespace qtensor::ops
