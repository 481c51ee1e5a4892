// Sum requantization on every Highway target against the scalar kernel, bit
// for bit: random sums and column terms, with and without weight zero
// points, multipliers from tiny to infinite (NaN and +-inf products),
// ties, relu floors and lengths around the vector sizes.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/sum_requantize_kernels.h"

namespace {

namespace qk = qtensor::kernels;

template <typename T>
void Check(const std::vector<int32_t>& sums, const qk::SumRequantizeParams& p) {
  std::vector<T> want(sums.size()), got(sums.size());
  qk::scalar::RequantizeSums(sums.data(), sums.size(), p, want.data());
  qk::RequantizeSums(sums.data(), sums.size(), p, got.data());
  CHECK(got == want);
}

TEST_CASE_TEMPLATE("sum requantization matches the scalar kernel on every target", T, uint8_t,
                   int8_t) {
  std::mt19937 rng(21);
  const size_t n = 203;
  std::vector<int32_t> sums(n), zeros(n), terms(n);
  std::vector<float> multipliers(n);
  std::uniform_int_distribution<int32_t> any(-3000000, 3000000), zero(-4, 4);
  for (size_t j = 0; j < n; ++j) {
    sums[j] =
        j % 17 == 0 ? std::numeric_limits<int32_t>::min() + static_cast<int32_t>(j) : any(rng);
    zeros[j] = zero(rng);
    terms[j] = any(rng);
    // Powers of two make ties; 3e38 and inf saturate (and 0 * inf is NaN).
    multipliers[j] = j % 11 == 0   ? std::ldexp(1.0f, -static_cast<int>(j % 9))
                     : j % 13 == 0 ? 3e38f
                     : j % 29 == 0 ? std::numeric_limits<float>::infinity()
                                   : 1e-5f * static_cast<float>(1 + j % 7);
  }
  sums[29] = 0;
  terms[29] = 0;
  zeros[29] = 0;  // 0 * inf
  ForEachTarget([&] {
    for (const bool with_zeros : {false, true}) {
      for (const int32_t floor : {std::numeric_limits<int32_t>::min(), int32_t{3}}) {
        qk::SumRequantizeParams p;
        p.row_sum = 1234;
        p.weight_zero_points = with_zeros ? zeros.data() : nullptr;
        p.column_terms = terms.data();
        p.multipliers = multipliers.data();
        p.zero_point = 3;
        p.floor = floor;
        CAPTURE(with_zeros);
        CAPTURE(floor);
        for (const size_t length : {size_t{1}, size_t{15}, size_t{16}, size_t{17}, n}) {
          Check<T>(std::vector<int32_t>(sums.begin(), sums.begin() + length), p);
        }
      }
    }
  });
}

}  // namespace
