// The pooling operators' shapes and edges beyond the golden data: empty
// batches and channels, 3-D against 4-D input, a per-channel view whose
// channel dim was selected away, and errors that leave the input alone.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "core/error.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "golden_tensors.h"
#include "ops/pool.h"

namespace {

using qtensor::core::DType;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;
using qtensor::ops::PoolWindow;

Tensor Counting(const std::vector<int64_t>& shape, const Quantizer& quantizer) {
  qtensor::testing::Golden g{shape, quantizer, {}};
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  for (int64_t i = 0; i < numel; ++i) g.ints.push_back(i % 120);
  return qtensor::testing::MakeTensor(g);
}

PoolWindow Window(int64_t kernel, int64_t stride, int64_t padding) {
  PoolWindow w;
  w.kernel = {kernel, kernel};
  w.stride = {stride, stride};
  w.padding = {padding, padding};
  return w;
}

TEST_CASE("pooling an empty batch or no channels gives an empty result of the pooled shape") {
  const Quantizer q = Quantizer::PerTensor(DType::kQInt8, 0.1, 2);
  for (const std::vector<int64_t>& shape : {std::vector<int64_t>{0, 3, 5, 6}, {2, 0, 5, 6}}) {
    const Tensor input = Counting(shape, q);
    std::vector<int64_t> pooled = shape;
    pooled[2] = 3;
    pooled[3] = 3;
    CHECK(qtensor::ops::MaxPool2d(input, Window(3, 2, 1)).shape() == pooled);
    CHECK(qtensor::ops::AvgPool2d(input, Window(3, 2, 1), true, 0).shape() == pooled);
    CHECK(qtensor::ops::AdaptiveAvgPool2d(input, 3, 3).shape() == pooled);
  }
}

TEST_CASE("the result's size is checked before any table of its windows is made") {
  const Quantizer q = Quantizer::PerTensor(DType::kQUInt8, 0.1, 0);
  const int64_t most = (int64_t{1} << 31) - 1;
  // Empty: returned at once, though 2^31 - 1 rows of windows were asked for.
  CHECK(qtensor::ops::AdaptiveAvgPool2d(Counting({0, 2, 3, 3}, q), most, 1).shape() ==
        std::vector<int64_t>{0, 2, most, 1});
  try {
    qtensor::ops::AdaptiveAvgPool2d(Counting({1, 2, 3, 3}, q), most, most);
    FAIL("no exception for a (1, 2, 2^31 - 1, 2^31 - 1) result");
  } catch (const qtensor::core::Error& e) {
    CHECK(e.kind() == qtensor::core::ErrorKind::kOutOfMemory);
  }
}

TEST_CASE("a 3-D input pools as the 4-D one with a batch of one") {
  const Tensor planes = Counting({3, 7, 6}, Quantizer::PerTensor(DType::kQUInt8, 0.1, 9));
  const Tensor batch = planes.Unsqueeze(0);
  auto ints = qtensor::testing::Ints;
  CHECK(ints(qtensor::ops::MaxPool2d(planes, Window(2, 1, 1))) ==
        ints(qtensor::ops::MaxPool2d(batch, Window(2, 1, 1))));
  CHECK(ints(qtensor::ops::AvgPool2d(planes, Window(3, 2, 1), false, 0)) ==
        ints(qtensor::ops::AvgPool2d(batch, Window(3, 2, 1), false, 0)));
  CHECK(ints(qtensor::ops::AdaptiveAvgPool2d(planes, 4, 5)) ==
        ints(qtensor::ops::AdaptiveAvgPool2d(batch, 4, 5)));
  CHECK(qtensor::ops::MaxPool2d(planes, Window(2, 1, 1)).shape() == std::vector<int64_t>{3, 8, 7});
}

TEST_CASE("a view that selected away the channel dim pools with its one channel's parameters") {
  const Quantizer per_channel =
      Quantizer::PerChannel(DType::kQUInt8, {0.1, 0.2, 0.3}, {1, 50, 100}, 1);
  const Tensor input = Counting({2, 3, 5, 5}, per_channel).Select(1, 2).Unsqueeze(1);
  const Tensor result = qtensor::ops::AvgPool2d(input, Window(2, 2, 0), true, 3);
  CHECK(result.EffectiveQuantizer() == Quantizer::PerTensor(DType::kQUInt8, 0.3, 100));
  // The same integers per tensor with zero point 100 give the same average.
  const Tensor alone = qtensor::core::Clone(input);
  const Tensor same = qtensor::ops::AvgPool2d(
      qtensor::testing::MakeTensor({alone.shape(), Quantizer::PerTensor(DType::kQUInt8, 0.3, 100),
                                    qtensor::testing::Ints(alone)}),
      Window(2, 2, 0), true, 3);
  CHECK(qtensor::testing::Ints(result) == qtensor::testing::Ints(same));
}

TEST_CASE("bad windows throw kInvalidArgument and leave the input alone") {
  const Tensor input = Counting({1, 2, 4, 5}, Quantizer::PerTensor(DType::kQInt32, 0.5, -7));
  const std::vector<int64_t> before = qtensor::testing::Ints(input);
  PoolWindow dilated = Window(2, 1, 1);
  dilated.dilation = {4, 4};  // windows from -1 reach -1 and 3: row 3 exists, row -1 not
  CHECK_NOTHROW(qtensor::ops::MaxPool2d(input, dilated));
  dilated.dilation = {5, 5};  // the second tap, 4, is past H = 4
  auto kind = [](auto&& call) {
    try {
      call();
    } catch (const qtensor::core::Error& e) {
      return e.kind();
    }
    return qtensor::core::ErrorKind::kNotFound;  // no error at all
  };
  const auto invalid = qtensor::core::ErrorKind::kInvalidArgument;
  CHECK(kind([&] { qtensor::ops::MaxPool2d(input, dilated); }) == invalid);
  PoolWindow huge = Window(2, 1, 0);
  huge.kernel = {int64_t{1} << 40, 2};
  CHECK(kind([&] { qtensor::ops::MaxPool2d(input, huge); }) == invalid);
  PoolWindow avg_dilated = Window(2, 1, 0);
  avg_dilated.dilation = {2, 1};
  CHECK(kind([&] { qtensor::ops::AvgPool2d(input, avg_dilated, true, 0); }) == invalid);
  CHECK(kind([&] { qtensor::ops::AdaptiveAvgPool2d(input, int64_t{1} << 31, 1); }) == invalid);
  CHECK(kind([&] { qtensor::ops::AdaptiveAvgPool2d(input.Select(0, 0).Select(0, 0), 1, 1); }) ==
        invalid);
  CHECK(qtensor::testing::Ints(input) == before);
}

}  // namespace
