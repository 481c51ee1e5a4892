// The depthwise sums on every Highway target against the scalar kernel, bit
// for bit: channel counts around the vector sizes, 0 to 9 taps, the extreme
// bytes and weights, zero points at the ends, a channel range that starts
// past 0, several pixels (enough for the paired path too).
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "for_each_target.h"
#include "kernels/depthwise_kernels.h"

namespace {

namespace qk = qtensor::kernels;

TEST_CASE("depthwise sums match the scalar kernel on every target") {
  std::mt19937 rng(31);
  const size_t kTaps = 9, kMax = 131;
  std::vector<std::vector<uint8_t>> pixels(kTaps, std::vector<uint8_t>(kMax));
  std::vector<std::vector<int32_t>> weights(kTaps, std::vector<int32_t>(kMax));
  std::uniform_int_distribution<int32_t> centered(-255, 255);
  for (size_t t = 0; t < kTaps; ++t) {
    for (size_t c = 0; c < kMax; ++c) {
      pixels[t][c] = c % 13 == 0 ? 255 : static_cast<uint8_t>(rng());
      weights[t][c] = c % 11 == 0 ? -255 : centered(rng);
    }
  }
  std::vector<const uint8_t*> inputs;
  std::vector<const int32_t*> taps;
  for (size_t t = 0; t < kTaps; ++t) {
    inputs.push_back(pixels[t].data());
    taps.push_back(weights[t].data());
  }
  ForEachTarget([&] {
    for (const size_t n : {1, 15, 16, 17, 64, 131}) {
      for (const size_t count : {0, 1, 4, 9}) {
        for (const size_t first : {0, 3}) {
          if (first > n) continue;
          CAPTURE(n);
          CAPTURE(count);
          CAPTURE(first);
          for (const int32_t zero_point : {0, 200, 255}) {
            CAPTURE(zero_point);
            std::vector<int32_t> want(n, -1), got(n, -1);
            qk::scalar::DepthwiseSums(inputs.data(), taps.data(), count, zero_point, 1, 0, first, n,
                                      want.data());
            qk::DepthwiseSums(inputs.data(), taps.data(), count, zero_point, 1, 0, first, n,
                              got.data());
            CHECK(got == want);
            // Pixels along a row, 2 and 1 channels apart in the input: 3,
            // and 9 (enough for the paired path).
            for (const auto& [pixels, step] : {std::pair<size_t, size_t>{3, 2}, {9, 1}}) {
              if (n + step * (pixels - 1) > kMax) continue;
              CAPTURE(pixels);
              std::vector<int32_t> want_row(pixels * n, -1), got_row(pixels * n, -1);
              qk::scalar::DepthwiseSums(inputs.data(), taps.data(), count, zero_point, pixels, step,
                                        first, n, want_row.data());
              qk::DepthwiseSums(inputs.data(), taps.data(), count, zero_point, pixels, step, first,
                                n, got_row.data());
              CHECK(got_row == want_row);
            }
          }
        }
      }
    }
  });
}

}  // namespace
