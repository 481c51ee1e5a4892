// The elementwise kernels on every Highway target against the scalar ones,
// bit for bit: lengths around the vector size, unaligned starts, in-place
// calls, and for the float sums NaN, infinities, signed zeros and values
// whose sum overflows.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/elementwise_kernels.h"
#include "kernels/quantize_kernels.h"

namespace {

namespace qk = qtensor::kernels;

template <typename T>
std::vector<T> RandomInts(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> pick(std::numeric_limits<T>::lowest(),
                                              std::numeric_limits<T>::max());
  std::vector<T> values(n);
  for (T& v : values) v = static_cast<T>(pick(rng));
  return values;
}

std::vector<float> RandomFloats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 10.0f);
  const float specials[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 3e38f, -3e38f, 1e-45f};
  std::vector<float> values(n);
  for (size_t i = 0; i < n; ++i) values[i] = i % 5 == 0 ? specials[(i / 5) % 8] : normal(rng);
  return values;
}

template <typename T>
std::vector<uint8_t> BytesOf(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

const size_t kLengths[] = {0, 1, 3, 15, 16, 17, 31, 63, 64, 65, 127, 129, 1000};

TEST_CASE_TEMPLATE("ClampIntegers matches the scalar kernel", T, int8_t, uint8_t, int32_t) {
  const T low_values[] = {std::numeric_limits<T>::lowest(), static_cast<T>(3), static_cast<T>(100)};
  const T high_values[] = {std::numeric_limits<T>::max(), static_cast<T>(90), static_cast<T>(3)};
  ForEachTarget([&] {
    for (size_t n : kLengths) {
      for (size_t offset : {0, 1, 3}) {
        const std::vector<T> in = RandomInts<T>(n + offset, static_cast<uint32_t>(n));
        for (T low : low_values) {
          for (T high : high_values) {
            std::vector<T> want(n + offset), got(n + offset), in_place = in;
            qk::scalar::ClampIntegers(in.data() + offset, n, low, high, want.data() + offset);
            qk::ClampIntegers(in.data() + offset, n, low, high, got.data() + offset);
            qk::ClampIntegers(in_place.data() + offset, n, low, high, in_place.data() + offset);
            CHECK(got == want);
            std::copy(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(offset), want.begin());
            CHECK(in_place == want);
          }
        }
      }
    }
  });
}

TEST_CASE_TEMPLATE("ClampIntegers streams large outputs with the same integers", T, int8_t, uint8_t,
                   int32_t) {
  const size_t n = qk::kStreamBytes / sizeof(T) + 77;
  const std::vector<T> in = RandomInts<T>(n + 5, 17);
  const T low = static_cast<T>(3), high = static_cast<T>(90);
  for (size_t offset : {0, 1, 5}) {
    std::vector<T> want(n), got(n + offset);
    qk::scalar::ClampIntegers(in.data() + offset, n - offset, low, high, want.data());
    ForEachTarget([&] {
      // An output that is not aligned to the vector (offset), and one that is.
      qk::ClampIntegers(in.data() + offset, n - offset, low, high, got.data() + offset);
      CHECK(std::equal(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(n - offset),
                       got.begin() + static_cast<std::ptrdiff_t>(offset)));
    });
  }
}

TEST_CASE("AddFloats matches the scalar kernel, with and without relu") {
  ForEachTarget([&] {
    for (size_t n : kLengths) {
      for (size_t offset : {0, 2}) {
        const std::vector<float> a = RandomFloats(n + offset, 1), b = RandomFloats(n + offset, 2);
        for (bool relu : {false, true}) {
          std::vector<float> want(n + offset), got(n + offset), in_place = a;
          qk::scalar::AddFloats(a.data() + offset, b.data() + offset, n, relu,
                                want.data() + offset);
          qk::AddFloats(a.data() + offset, b.data() + offset, n, relu, got.data() + offset);
          qk::AddFloats(in_place.data() + offset, b.data() + offset, n, relu,
                        in_place.data() + offset);
          CHECK(BytesOf(got) == BytesOf(want));
          std::copy(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(offset), want.begin());
          CHECK(BytesOf(in_place) == BytesOf(want));
        }
      }
    }
  });
}

// Random floats with hardswish's and leaky relu's edges mixed in.
std::vector<float> UnaryInputs(size_t n, uint32_t seed) {
  std::vector<float> values = RandomFloats(n, seed);
  const float edges[] = {-3.0f, 3.0f, -2.9999998f, -3.0000002f, 2.9999998f, 6.0f, -1e-45f, 0.5f};
  for (size_t i = 3; i < n; i += 7) values[i] = edges[(i / 7) % 8];
  return values;
}

TEST_CASE("LeakyReluFloats and HardswishFloats match the scalar kernels") {
  ForEachTarget([&] {
    for (size_t n : kLengths) {
      for (size_t offset : {0, 3}) {
        const std::vector<float> in = UnaryInputs(n + offset, 7);
        for (float slope : {0.01f, -0.3f, 1.5f, 0.0f}) {
          std::vector<float> want(n + offset), got(n + offset), in_place = in;
          qk::scalar::LeakyReluFloats(in.data() + offset, n, slope, want.data() + offset);
          qk::LeakyReluFloats(in.data() + offset, n, slope, got.data() + offset);
          qk::LeakyReluFloats(in_place.data() + offset, n, slope, in_place.data() + offset);
          CHECK(BytesOf(got) == BytesOf(want));
          std::copy(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(offset), want.begin());
          CHECK(BytesOf(in_place) == BytesOf(want));
        }
        std::vector<float> want(n + offset), got(n + offset), in_place = in;
        qk::scalar::HardswishFloats(in.data() + offset, n, want.data() + offset);
        qk::HardswishFloats(in.data() + offset, n, got.data() + offset);
        qk::HardswishFloats(in_place.data() + offset, n, in_place.data() + offset);
        CHECK(BytesOf(got) == BytesOf(want));
        std::copy(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(offset), want.begin());
        CHECK(BytesOf(in_place) == BytesOf(want));
      }
    }
  });
}

TEST_CASE_TEMPLATE("MultiplyCentered matches the scalar kernel", T, int8_t, uint8_t) {
  const int64_t lowest = std::numeric_limits<T>::lowest(), highest = std::numeric_limits<T>::max();
  const int64_t zero_points[][2] = {{0, 0}, {lowest, highest}, {highest, lowest}, {3, -1 - lowest}};
  ForEachTarget([&] {
    for (size_t n : kLengths) {
      for (size_t offset : {0, 1}) {
        const std::vector<T> a = RandomInts<T>(n + offset, 5), b = RandomInts<T>(n + offset, 6);
        for (const auto& zp : zero_points) {
          std::vector<float> want(n + offset), got(n + offset);
          qk::scalar::MultiplyCentered(a.data() + offset, zp[0], b.data() + offset, zp[1], n,
                                       want.data() + offset);
          qk::MultiplyCentered(a.data() + offset, zp[0], b.data() + offset, zp[1], n,
                               got.data() + offset);
          CHECK(BytesOf(got) == BytesOf(want));
        }
      }
    }
  });
}

TEST_CASE("the scalar kernels give the defined answers") {
  const int8_t in[] = {-128, -3, 0, 7, 127};
  int8_t out[5];
  qk::scalar::ClampIntegers(in, 5, int8_t{-2}, int8_t{5}, out);
  CHECK(std::vector<int8_t>(out, out + 5) == std::vector<int8_t>{-2, -2, 0, 5, 5});
  qk::scalar::ClampIntegers(in, 5, int8_t{4}, int8_t{1}, out);  // high wins
  CHECK(std::vector<int8_t>(out, out + 5) == std::vector<int8_t>{1, 1, 1, 1, 1});
  const float a[] = {1.5f, -2.0f, NAN, -0.0f, 3e38f};
  const float b[] = {1.0f, 1.0f, 1.0f, 0.0f, 3e38f};
  float sums[5];
  qk::scalar::AddFloats(a, b, 5, true, sums);
  CHECK(sums[0] == 2.5f);
  CHECK(sums[1] == 0.0f);
  CHECK(sums[2] == 0.0f);  // NaN gives +0
  CHECK(!std::signbit(sums[3]));
  CHECK(sums[4] == INFINITY);
  const uint8_t x[] = {255, 0, 7};
  float products[3];
  qk::scalar::MultiplyCentered(x, 0, x, 255, 3, products);
  CHECK(products[0] == 0.0f);
  CHECK(products[1] == 0.0f);
  CHECK(products[2] == -1736.0f);  // 7 * (7 - 255)
  const float x_values[] = {-4.0f, -1.5f, 1.5f, 4.0f, NAN, -INFINITY};
  float y[6];
  qk::scalar::HardswishFloats(x_values, 6, y);
  CHECK(std::vector<float>(y, y + 4) == std::vector<float>{-0.0f, -0.375f, 1.125f, 4.0f});
  CHECK(std::isnan(y[4]));
  CHECK(std::isnan(y[5]));  // -inf * 0
  qk::scalar::LeakyReluFloats(x_values, 6, 0.5f, y);
  CHECK(std::vector<float>(y, y + 4) == std::vector<float>{-2.0f, -0.75f, 1.5f, 4.0f});
  CHECK(std::isnan(y[4]));
  CHECK(y[5] == -INFINITY);
}

}  // namespace
