// Row sums on every Highway target against the scalar kernel: depths around
// the vector sizes, bytes of 255, strides wider than the rows.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/row_sum_kernels.h"

namespace {

namespace qk = qtensor::kernels;

TEST_CASE("row sums match the scalar kernel on every target") {
  std::mt19937 rng(41);
  const size_t stride = 4100;
  std::vector<uint8_t> a(5 * stride);
  for (size_t i = 0; i < a.size(); ++i) a[i] = i % 7 == 0 ? 255 : static_cast<uint8_t>(rng());
  ForEachTarget([&] {
    for (const size_t depth : {0, 1, 15, 16, 17, 63, 64, 65, 576, 4099}) {
      CAPTURE(depth);
      std::vector<int32_t> want(5, -1), got(5, -1);
      qk::scalar::RowSums(a.data(), 5, depth, stride, want.data());
      qk::RowSums(a.data(), 5, depth, stride, got.data());
      CHECK(got == want);
    }
  });
  std::vector<uint8_t> full(70000, 255);
  int32_t sum = 0;
  qk::RowSums(full.data(), 1, full.size(), full.size(), &sum);
  CHECK(sum == 70000 * 255);
}

}  // namespace
