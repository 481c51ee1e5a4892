// qtensor's float32 sigmoid and tanh: every Highway target against the
// scalar kernels bit for bit (random floats of every exponent, signed zeros,
// tiny, huge, infinite and NaN inputs, and the floats around each bound of
// the formula: the clamps, the switch to tanh's polynomial, the reordered sum
// from 2^24 on, halfway points of the rounding to n), then the scalar
// kernels against the true functions in double precision.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/elementwise_kernels.h"

namespace {

namespace qk = qtensor::kernels;

float FromBits(uint32_t bits) {
  float value = 0.0f;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

uint32_t BitsOf(float value) {
  uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// Each value, both signs, and the three floats on either side of each.
void AddNeighbours(float value, std::vector<float>& out) {
  for (const float v : {value, -value}) {
    float below = v, above = v;
    out.push_back(v);
    for (int i = 0; i < 3; ++i) {
      below = std::nextafter(below, -INFINITY);
      above = std::nextafter(above, INFINITY);
      out.push_back(below);
      out.push_back(above);
    }
  }
}

std::vector<float> EdgeInputs() {
  const double ln2 = std::log(2.0);
  std::vector<float> edges;
  const float bounds[] = {0.0f,  1e-45f,    1e-38f, 1e-20f,    1e-4f,     0.5625f, 9.5f, 20.0f,
                          87.0f, 16.2889f,  88.0f,  1e10f,     3e38f,     0.5f,    1.0f, 9.01f,
                          17.4f, 0.549306f, 8.15f,  0.346574f, 0.693147f, 2.0f,    4.5f, 43.5f};
  for (const float b : bounds) AddNeighbours(b, edges);
  // Halfway points of t / ln 2 (sigmoid's t = -x, tanh's t = 2|x|), and
  // 23.5 ln 2, where the sum's order changes.
  for (int k = -30; k <= 126; ++k) {
    const float t = static_cast<float>((k + 0.5) * ln2);
    AddNeighbours(t, edges);
    AddNeighbours(t / 2, edges);
  }
  for (const float special : {INFINITY, std::numeric_limits<float>::max(),
                              std::numeric_limits<float>::quiet_NaN(), -NAN}) {
    edges.push_back(special);
    edges.push_back(-special);
  }
  return edges;
}

// Every bit pattern at random, then values of sigmoid's and tanh's working
// ranges, then the edges.
std::vector<float> Inputs(size_t random_count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<uint32_t> bits;
  std::uniform_real_distribution<float> wide(-100.0f, 100.0f), narrow(-12.0f, 12.0f),
      small(-1.0f, 1.0f);
  std::vector<float> values;
  for (size_t i = 0; i < random_count; ++i) {
    values.push_back(FromBits(bits(rng)));
    values.push_back(wide(rng));
    values.push_back(narrow(rng));
    values.push_back(small(rng));
  }
  const std::vector<float> edges = EdgeInputs();
  values.insert(values.end(), edges.begin(), edges.end());
  return values;
}

std::vector<uint32_t> BitsOf(const std::vector<float>& values) {
  std::vector<uint32_t> bits(values.size());
  for (size_t i = 0; i < values.size(); ++i) bits[i] = BitsOf(values[i]);
  return bits;
}

using FloatMap = void (*)(const float*, size_t, float*);

void CheckEveryTarget(FloatMap simd, FloatMap scalar) {
  const std::vector<float> in = Inputs(50000, 11);
  std::vector<float> want(in.size());
  scalar(in.data(), in.size(), want.data());
  ForEachTarget([&] {
    for (const size_t offset : {0, 1, 3}) {
      CAPTURE(offset);
      const size_t n = in.size() - offset;
      std::vector<float> got(in.size()), in_place = in;
      simd(in.data() + offset, n, got.data() + offset);
      simd(in_place.data() + offset, n, in_place.data() + offset);
      std::vector<float> expected(want.begin() + static_cast<std::ptrdiff_t>(offset), want.end());
      const std::vector<float> got_part(got.begin() + static_cast<std::ptrdiff_t>(offset),
                                        got.end());
      const std::vector<float> in_place_part(in_place.begin() + static_cast<std::ptrdiff_t>(offset),
                                             in_place.end());
      // The scalar results over the shifted inputs: where the vectors start
      // moves, the bits do not.
      scalar(in.data() + offset, n, expected.data());
      CHECK(BitsOf(got_part) == BitsOf(expected));
      CHECK(BitsOf(in_place_part) == BitsOf(expected));
    }
  });
}

TEST_CASE("SigmoidFloats matches the scalar kernel on every target") {
  CheckEveryTarget(qk::SigmoidFloats, qk::scalar::SigmoidFloats);
}

TEST_CASE("TanhFloats matches the scalar kernel on every target") {
  CheckEveryTarget(qk::TanhFloats, qk::scalar::TanhFloats);
}

float ScalarSigmoid(float x) {
  float y = 0.0f;
  qk::scalar::SigmoidFloats(&x, 1, &y);
  return y;
}

float ScalarTanh(float x) {
  float y = 0.0f;
  qk::scalar::TanhFloats(&x, 1, &y);
  return y;
}

// |y - exact| in units of the float32 ulp at exact (normal results only).
double UlpError(float y, double exact) {
  int exponent = 0;
  std::frexp(static_cast<double>(static_cast<float>(exact)), &exponent);
  return std::fabs(static_cast<double>(y) - exact) / std::ldexp(1.0, exponent - 24);
}

TEST_CASE("scalar sigmoid and tanh stay within 2 ulps of the true functions") {
  // Every 61st float of each working range (sigmoid: -87 to 20, beyond which
  // the results are 0 and 1; tanh: 0 to 9.5, odd, 1 beyond).
  double sigmoid_worst = 0.0, tanh_worst = 0.0;
  for (uint32_t bits = 0; bits <= BitsOf(87.0f); bits += 211) {
    for (const float x : {FromBits(bits), -FromBits(bits)}) {
      if (x > 20.0f) continue;
      const double exact = 1.0 / (1.0 + std::exp(-static_cast<double>(x)));
      sigmoid_worst = std::max(sigmoid_worst, UlpError(ScalarSigmoid(x), exact));
    }
    const float x = FromBits(bits);
    if (x > 0.0f && x <= 9.5f) {
      tanh_worst = std::max(tanh_worst, UlpError(ScalarTanh(x), std::tanh(static_cast<double>(x))));
      CHECK(ScalarTanh(-x) == -ScalarTanh(x));
    }
  }
  CAPTURE(sigmoid_worst);
  CAPTURE(tanh_worst);
  CHECK(sigmoid_worst < 2.0);
  CHECK(tanh_worst < 1.5);
}

TEST_CASE("scalar sigmoid and tanh give the limits and keep NaN") {
  CHECK(ScalarSigmoid(0.0f) == 0.5f);
  CHECK(ScalarSigmoid(-0.0f) == 0.5f);
  CHECK(ScalarSigmoid(INFINITY) == 1.0f);
  CHECK(ScalarSigmoid(20.0f) == 1.0f);
  CHECK(ScalarSigmoid(17.5f) == 1.0f);  // 1 - 2.5e-8 rounds to 1
  CHECK(ScalarSigmoid(-INFINITY) == 0.0f);
  CHECK(ScalarSigmoid(-87.5f) == 0.0f);
  CHECK(ScalarSigmoid(-87.0f) > 0.0f);
  CHECK(ScalarSigmoid(-87.0f) < 1.7e-38f);
  CHECK(std::isnan(ScalarSigmoid(NAN)));
  CHECK(BitsOf(ScalarTanh(0.0f)) == BitsOf(0.0f));
  CHECK(BitsOf(ScalarTanh(-0.0f)) == BitsOf(-0.0f));
  CHECK(ScalarTanh(1e-30f) == 1e-30f);
  CHECK(ScalarTanh(-1e-45f) == -1e-45f);
  CHECK(ScalarTanh(INFINITY) == 1.0f);
  CHECK(ScalarTanh(-INFINITY) == -1.0f);
  CHECK(ScalarTanh(9.1f) == 1.0f);
  CHECK(ScalarTanh(-3e38f) == -1.0f);
  CHECK(std::isnan(ScalarTanh(NAN)));
}

}  // namespace
