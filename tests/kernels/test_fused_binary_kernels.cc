// The fused add / mul kernels on every Highway target against the scalar
// ones, bit for bit: every pair of 8-bit inputs, parameters that make ties
// and saturate, relu on and off, lengths around the vector sizes and
// unaligned starts.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <vector>

#include "for_each_target.h"
#include "kernels/fused_binary_kernels.h"
#include "kernels/quantize_kernels.h"

namespace {

namespace qk = qtensor::kernels;

std::vector<qk::FusedBinaryParams> ParamsFor(bool is_signed) {
  const int64_t mid = is_signed ? 0 : 128;
  std::vector<qk::FusedBinaryParams> all;
  // scale_a, scale_b, zero_a, zero_b, inv_scale, zero_out: ordinary ones,
  // halves and powers of two (exact sums on .5: ties), tiny and huge
  // scales (saturation), inv_scale of an ordinary output scale.
  const float params[][6] = {{0.047f, 0.031f, 3, -5, 1.0f / 0.1f, 7},
                             {0.5f, 0.25f, 0, 1, 1.0f, 0},
                             {1.0f, 1.0f, -2, 2, 0.5f, -3},
                             {1e-3f, 2e-3f, 10, -10, 1e4f, 1},
                             {30.0f, 45.0f, 0, 0, 0.25f, 0},
                             {0.02f, 0.03f, 1, 1, 3e38f, 0},
                             // Results past int16 (the AVX-512 packs saturate there before adding
                             // the zero point) with the zero point at either end of the range.
                             {1.0f, 1.0f, 0, 0, 100.0f, 127},
                             {2.0f, 1.0f, 5, -7, 70.0f, -128}};
  for (const auto& row : params) {
    qk::FusedBinaryParams p;
    p.scale_a = row[0];
    p.scale_b = row[1];
    p.zero_a = static_cast<int64_t>(row[2]) + mid;
    p.zero_b = static_cast<int64_t>(row[3]) + mid;
    p.inv_scale = row[4];
    p.zero_out = static_cast<int64_t>(row[5]) + mid;
    all.push_back(p);
  }
  return all;
}

template <typename T>
void CheckAgainstScalar(bool multiply, const std::vector<T>& a, const std::vector<T>& b,
                        size_t offset, const qk::FusedBinaryParams& p) {
  const size_t n = a.size() - offset;
  std::vector<T> want(n), got(n);
  if (multiply) {
    qk::scalar::MultiplyQuantized(a.data() + offset, b.data() + offset, n, p, want.data());
    qk::MultiplyQuantized(a.data() + offset, b.data() + offset, n, p, got.data());
  } else {
    qk::scalar::AddQuantized(a.data() + offset, b.data() + offset, n, p, want.data());
    qk::AddQuantized(a.data() + offset, b.data() + offset, n, p, got.data());
  }
  CHECK(got == want);
}

TEST_CASE_TEMPLATE("fused add and mul match the scalar kernels", T, int8_t, uint8_t) {
  // Every (a, b) pair once.
  std::vector<T> a(65536), b(65536);
  for (size_t k = 0; k < a.size(); ++k) {
    a[k] = static_cast<T>(k & 255);
    b[k] = static_cast<T>(k >> 8);
  }
  std::mt19937 rng(5);
  ForEachTarget([&] {
    for (qk::FusedBinaryParams p : ParamsFor(std::is_signed_v<T>)) {
      for (const bool relu : {false, true}) {
        p.relu = relu;
        for (const bool multiply : {false, true}) {
          CAPTURE(multiply);
          CAPTURE(relu);
          CHECK_NOTHROW(CheckAgainstScalar(multiply, a, b, 0, p));
          for (size_t n : {0, 1, 3, 15, 16, 17, 33, 64, 65, 100}) {
            for (size_t offset : {0, 1, 7}) {
              std::vector<T> x(n + offset), y(n + offset);
              for (size_t k = 0; k < x.size(); ++k) {
                x[k] = static_cast<T>(rng());
                y[k] = static_cast<T>(rng());
              }
              CheckAgainstScalar(multiply, x, y, offset, p);
            }
          }
        }
      }
    }
  });
}

TEST_CASE_TEMPLATE("fused add and mul stream large outputs with the same bytes", T, int8_t,
                   uint8_t) {
  const size_t n = qk::kStreamBytes + 77;
  std::mt19937 rng(9);
  std::vector<T> a(n + 3), b(n + 3);
  for (size_t k = 0; k < a.size(); ++k) {
    a[k] = static_cast<T>(rng());
    b[k] = static_cast<T>(rng());
  }
  qk::FusedBinaryParams p = ParamsFor(std::is_signed_v<T>)[0];
  p.relu = true;
  ForEachTarget([&] {
    for (const bool multiply : {false, true}) {
      CAPTURE(multiply);
      CheckAgainstScalar(multiply, a, b, 3, p);  // an output at offset 0 and one not aligned
      CheckAgainstScalar(multiply, a, b, 0, p);
    }
  });
}

// int32 add and mul: random values and int32 extremes (differences to the
// zero point of 33 bits, products past 2^53), zero points at the ends of
// int32 and near the 2^30 shortcut bounds, huge scales (inf - inf: NaN), and
// outputs long enough to be streamed, at offsets that leave a head.
TEST_CASE("fused int32 add and mul match the scalar kernels") {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  std::mt19937 rng(11);
  const size_t n = qk::kStreamBytes / 4 + 77;
  std::vector<int32_t> a(n + 3), b(n + 3);
  std::uniform_int_distribution<int32_t> small(-200000, 200000), any(kMin, kMax);
  const int32_t specials[] = {kMin, kMax, 0, -1, 16777217, 1 << 30};
  for (size_t k = 0; k < a.size(); ++k) {
    const bool wide = (k / 64) % 4 == 3;
    a[k] = k % 97 == 0 ? specials[k % 6] : wide ? any(rng) : small(rng);
    b[k] = k % 89 == 0 ? specials[k % 6] : wide ? any(rng) : small(rng);
  }
  struct Case {
    float scale_a, scale_b;
    int64_t zero_a, zero_b;
    float inv_scale;
    int64_t zero_out;
  };
  const Case cases[] = {{0.047f, 0.031f, 3, -5, 10.0f, 7},
                        {1.0f, 1.0f, kMin, kMax, 0.5f, (1 << 30) - 1},
                        {1.0f, 2.0f, kMax, 0, 1.0f, 1 << 30},
                        {3e38f, 3e38f, 0, 5, 1.0f, kMin},
                        {1e-3f, 3e-3f, -9, 9, 1e3f, kMax},
                        {0.5f, 0.5f, 3, -3, 1e-9f, 11},  // mul's products in range
                        {1.0f, 1.0f, 0, 1, 0x1p-20f, -100}};
  ForEachTarget([&] {
    for (const Case& c : cases) {
      for (const bool relu : {false, true}) {
        qk::FusedBinaryParams p;
        p.scale_a = c.scale_a;
        p.scale_b = c.scale_b;
        p.zero_a = c.zero_a;
        p.zero_b = c.zero_b;
        p.inv_scale = c.inv_scale;
        p.zero_out = c.zero_out;
        p.relu = relu;
        CAPTURE(c.zero_out);
        CAPTURE(relu);
        // Whole (streamed outputs) for the first case; 4 Ki elements, every
        // kind of value, for the others (the sanitizer build runs this too).
        const bool whole = &c == &cases[0];
        const std::vector<int32_t> part_a(a.begin(), whole ? a.end() : a.begin() + 4096);
        const std::vector<int32_t> part_b(b.begin(), whole ? b.end() : b.begin() + 4096);
        for (const bool multiply : {false, true}) {
          CAPTURE(multiply);
          CheckAgainstScalar(multiply, part_a, part_b, 3, p);
          CheckAgainstScalar(multiply, part_a, part_b, 0, p);
          for (size_t length : {1, 15, 16, 17, 100}) {
            const std::vector<int32_t> x(a.begin(), a.begin() + length + 1);
            const std::vector<int32_t> y(b.begin() + 64 * 3, b.begin() + 64 * 3 + length + 1);
            CheckAgainstScalar(multiply, x, y, 1, p);
          }
        }
      }
    }
  });
}

// Products just past 2^53 that f64 would round to a float tie (2^53 + 2^29)
// and then to 2^53, where rounding once gives 2^53 + 2^30: they must take
// the exact product. 103893785 * 86696233 = 2^53 + 2^29 + 1.
TEST_CASE("fused int32 mul rounds products past 2^53 once") {
  const std::vector<int32_t> a(40, 103893785), b(40, 86696233);
  qk::FusedBinaryParams p;
  p.inv_scale = 0x1p-30f;
  std::vector<int32_t> want(40), got(40);
  qk::scalar::MultiplyQuantized(a.data(), b.data(), 40, p, want.data());
  CHECK(want[0] == 8388609);  // (2^53 + 2^30) / 2^30
  ForEachTarget([&] {
    qk::MultiplyQuantized(a.data(), b.data(), 40, p, got.data());
    CHECK(got == want);
  });
}

}  // namespace
