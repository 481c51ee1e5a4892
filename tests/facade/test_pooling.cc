// The C++ facade's pooling methods: PyTorch's one-or-two sizes, the default
// stride, per-channel planes along N, and the errors as qtensor::Error.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace {

// quint8, zero point 3: (2, 1, 4, 4) holding 0..15 twice, the second + 100.
qtensor::Tensor Sample(const qtensor::Quantizer& quantizer) {
  std::vector<uint8_t> ints;
  for (int n = 0; n < 2; ++n) {
    for (int i = 0; i < 16; ++i) ints.push_back(static_cast<uint8_t>(i + 100 * n));
  }
  return qtensor::Tensor::FromIntRepr(ints, {2, 1, 4, 4}, quantizer);
}

TEST_CASE("the facade pools with PyTorch's sizes and defaults") {
  const qtensor::Tensor q = Sample(qtensor::Quantizer::PerTensor(QT_QUINT8, 0.5, 3));
  const qtensor::Tensor max = q.max_pool2d({2});
  CHECK(max.sizes() == std::vector<int64_t>{2, 1, 2, 2});
  CHECK(max.int_repr<uint8_t>() == std::vector<uint8_t>{5, 7, 13, 15, 105, 107, 113, 115});
  CHECK(max.q_zero_point() == 3);
  // (0 + 1 + 4 + 5) / 4 = 2.5 -> 2 (even); the stride given as (1, 2).
  const qtensor::Tensor avg = q.avg_pool2d({2, 2}, {1, 2});
  CHECK(avg.sizes() == std::vector<int64_t>{2, 1, 3, 2});
  CHECK(avg.int_repr<uint8_t>()[0] == 2);
  const qtensor::Tensor mean = q.adaptive_avg_pool2d({1});
  CHECK(mean.int_repr<uint8_t>() == std::vector<uint8_t>{8, 108});  // 7.5 -> 8, 107.5 -> 108
  // Through a view: the transpose's max windows are the transposed ones.
  CHECK(q.transpose(2, 3).max_pool2d({2}).int_repr<uint8_t>() ==
        std::vector<uint8_t>{5, 13, 7, 15, 105, 113, 107, 115});
}

TEST_CASE("per-channel planes along N keep their own parameters") {
  const qtensor::Tensor q =
      Sample(qtensor::Quantizer::PerChannel(QT_QUINT8, {0.5, 0.25}, {3, 200}, 0));
  // Divisor 3: (sum - 4 * zp) / 3 + zp; plane 0: (10 - 12) / 3 + 3 = 2.33 -> 2,
  // plane 1: (410 - 800) / 3 + 200 = 70 exactly.
  const qtensor::Tensor avg = q.avg_pool2d({2}, {}, {0}, false, true, 3);
  CHECK(avg.qscheme() == QT_PER_CHANNEL_AFFINE);
  CHECK(avg.q_per_channel_zero_points() == std::vector<int64_t>{3, 200});
  const std::vector<uint8_t> ints = avg.int_repr<uint8_t>();
  CHECK(ints[0] == 2);
  CHECK(ints[4] == 70);
}

TEST_CASE("the facade throws qtensor::Error for bad sizes") {
  const qtensor::Tensor q = Sample(qtensor::Quantizer::PerTensor(QT_QUINT8, 0.5, 3));
  for (const std::vector<int64_t>& bad : {std::vector<int64_t>{}, std::vector<int64_t>{1, 2, 3}}) {
    try {
      q.adaptive_avg_pool2d(bad);
      FAIL("no exception for ", bad.size(), " entries");
    } catch (const qtensor::Error& error) {
      CHECK(error.status() == QT_ERR_INVALID_ARGUMENT);
      CHECK(std::string(error.what()) ==
            "output_size must have 1 or 2 entries, got " + std::to_string(bad.size()));
    }
  }
  CHECK_THROWS_AS(q.max_pool2d({3}, {1}, {2}), qtensor::Error);
  CHECK_THROWS_AS(q.avg_pool2d({5}), qtensor::Error);
  CHECK_THROWS_AS(q.select(0, 0).select(0, 0).max_pool2d({2}), qtensor::Error);
}

}  // namespace
