// The GGUF-rounding kernels (fixed scales): the scalar kernels against
// hand-worked answers, and every Highway target compiled in (and supported
// by this CPU) against the scalar kernels, bit for bit: roundf's ties away
// from zero, Q4_0's truncation and clamps, NaN, infinities, zero, subnormal
// and NaN scales, a sweep of floats of every exponent, per-channel layouts,
// blocks along rows with short last blocks, tails and unaligned pointers.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/gguf_rounding_kernels.h"

namespace {

namespace qk = qtensor::kernels;
using qk::GgufValues;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr GgufValues kBoth[] = {GgufValues::kQ8_0, GgufValues::kQ4_0};

float FromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

// Ties of roundf and of Q4_0's + 8.5f, the clamp edges and their
// neighbours, negated; zeros, infinities and NaN.
std::vector<float> SpecialFloats() {
  std::vector<float> out = {0.0f, -0.0f, kInf, -kInf, kNaN, -kNaN, FromBits(0x7f800001u)};
  for (float c : {0.5f, 1.5f, 2.5f, 6.5f, 7.5f, 8.5f, 9.5f, 126.5f, 127.5f, 128.5f, 1.0f, 7.0f,
                  8.0f, 15.0f, 16.0f, 0x1p23f - 0.5f, 0x1p23f, 0x1p31f, 1e30f}) {
    for (float v : {c, std::nextafter(c, 0.0f), std::nextafter(c, kInf)}) {
      out.push_back(v);
      out.push_back(-v);
    }
  }
  return out;
}

// Scales: ordinary, negative (Q4_0's own are), zero, subnormal, infinite
// and NaN.
constexpr float kScales[] = {1.0f,   -1.0f,  0.25f, -0.125f, 0.0f, -0.0f,
                             1e-40f, 1e-30f, kInf,  kNaN,    3.7f, -0.0173f};

std::vector<float> TestFloats(size_t n, uint32_t seed) {
  const std::vector<float> special = SpecialFloats();
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> ordinary(-20.0f, 20.0f);
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0:
        x[i] = special[(i / 4) % special.size()];
        break;
      case 1:
        x[i] = FromBits(static_cast<uint32_t>(rng()));
        break;
      default:
        x[i] = ordinary(rng);
    }
  }
  return x;
}

std::vector<float> TestScales(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> ordinary(-0.5f, 0.5f);
  std::vector<float> d(count);
  for (size_t i = 0; i < count; ++i) {
    d[i] = i % 3 == 1 ? kScales[(i / 3) % std::size(kScales)] : ordinary(rng);
  }
  return d;
}

uint8_t One(GgufValues values, float x, float d) {
  uint8_t q = 0xEE;
  qk::scalar::QuantizeGgufChannels(values, &x, {1, 1, 1}, &d, &q);
  return q;
}

}  // namespace

TEST_CASE("gguf rounding kernels: the scalar kernels follow llama.cpp's value formulas") {
  // Q8_0: roundf(x / d), ties away from zero, clamped to int8; NaN -> 0.
  CHECK(static_cast<int8_t>(One(GgufValues::kQ8_0, 2.5f, 1.0f)) == 3);
  CHECK(static_cast<int8_t>(One(GgufValues::kQ8_0, -2.5f, 1.0f)) == -3);
  CHECK(static_cast<int8_t>(One(GgufValues::kQ8_0, 0.49999997f, 1.0f)) == 0);
  CHECK(static_cast<int8_t>(One(GgufValues::kQ8_0, 1.0f, 0.25f)) == 4);
  CHECK(static_cast<int8_t>(One(GgufValues::kQ8_0, 1000.0f, 1.0f)) == 127);
  CHECK(static_cast<int8_t>(One(GgufValues::kQ8_0, -kInf, 1.0f)) == -128);
  CHECK(One(GgufValues::kQ8_0, kNaN, 1.0f) == 0);
  CHECK(One(GgufValues::kQ8_0, 5.0f, 0.0f) == 0);  // id = 0
  // Q4_0: min(15, trunc(x / d + 8.5)), 0 at or below 0 and for NaN.
  CHECK(One(GgufValues::kQ4_0, 0.0f, -0.125f) == 8);
  CHECK(One(GgufValues::kQ4_0, 1.0f, -0.125f) == 0);       // -8 + 8.5
  CHECK(One(GgufValues::kQ4_0, -0.8125f, -0.125f) == 15);  // 6.5 + 8.5
  CHECK(One(GgufValues::kQ4_0, 0.1875f, -0.125f) == 7);    // -1.5 + 8.5
  CHECK(One(GgufValues::kQ4_0, -2.0f, -0.125f) == 15);
  CHECK(One(GgufValues::kQ4_0, kNaN, 1.0f) == 0);
  CHECK(One(GgufValues::kQ4_0, -kInf, 1.0f) == 0);
  CHECK(One(GgufValues::kQ4_0, kInf, 1.0f) == 15);
  // Blocks along rows: two rows of 5 in blocks of 2, the last block short.
  const float x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const float d[6] = {1.0f, 0.5f, 0.25f, 2.0f, 1.0f, 0.5f};
  uint8_t q[10];
  qk::scalar::QuantizeGgufBlockRows(GgufValues::kQ8_0, x, {2, 5, 2}, d, q);
  const uint8_t expected[10] = {1, 2, 6, 8, 20, 3, 4, 8, 9, 20};
  for (int i = 0; i < 10; ++i) CHECK(int{q[i]} == int{expected[i]});
}

TEST_CASE("gguf rounding kernels: every target rounds every special value and scale as scalar") {
  const std::vector<float> x = SpecialFloats();
  ForEachTarget([&] {
    for (GgufValues values : kBoth) {
      for (float d : kScales) {
        CAPTURE(d);
        std::vector<uint8_t> got(x.size()), want(x.size());
        qk::QuantizeGgufChannels(values, x.data(), {1, 1, x.size()}, &d, got.data());
        qk::scalar::QuantizeGgufChannels(values, x.data(), {1, 1, x.size()}, &d, want.data());
        for (size_t i = 0; i < x.size(); ++i) {
          CAPTURE(x[i]);
          CHECK(int{got[i]} == int{want[i]});
        }
      }
    }
  });
}

TEST_CASE("gguf rounding kernels: every target rounds a sweep of all floats as scalar") {
  // Every 4099th bit pattern: every exponent, sign and low mantissa bits.
  std::vector<float> x;
  for (uint64_t bits = 0; bits <= 0xffffffffu; bits += 4099) {
    x.push_back(FromBits(static_cast<uint32_t>(bits)));
  }
  ForEachTarget([&] {
    for (GgufValues values : kBoth) {
      for (float d : {1.0f, -0.125f, 3e-5f}) {
        CAPTURE(d);
        std::vector<uint8_t> got(x.size()), want(x.size());
        qk::QuantizeGgufChannels(values, x.data(), {1, 1, x.size()}, &d, got.data());
        qk::scalar::QuantizeGgufChannels(values, x.data(), {1, 1, x.size()}, &d, want.data());
        CHECK(got == want);
      }
    }
  });
}

TEST_CASE("gguf rounding kernels: every target matches scalar on every per-channel layout") {
  std::vector<qk::ChannelBlock> shapes;
  for (size_t n : {0u, 1u, 3u, 4u, 7u, 8u, 15u, 16u, 17u, 31u, 33u, 64u, 100u, 1000u}) {
    shapes.push_back({1, 1, n});
    shapes.push_back({1, n, 1});
    shapes.push_back({3, n, 1});
  }
  for (qk::ChannelBlock b : {qk::ChannelBlock{4, 3, 2},
                             {2, 3, 7},
                             {3, 2, 8},
                             {2, 3, 17},
                             {5, 2, 64},
                             {2, 3, 100},
                             {7, 5, 3},
                             {2, 130, 1}}) {
    shapes.push_back(b);
  }
  ForEachTarget([&] {
    for (GgufValues values : kBoth) {
      for (const qk::ChannelBlock& b : shapes) {
        for (size_t offset : {0u, 1u, 3u}) {
          CAPTURE(b.outer);
          CAPTURE(b.channels);
          CAPTURE(b.inner);
          CAPTURE(offset);
          const size_t n = b.outer * b.channels * b.inner;
          const std::vector<float> x = TestFloats(n + offset, static_cast<uint32_t>(n));
          const std::vector<float> d = TestScales(b.channels, 3);
          std::vector<uint8_t> got(n + offset, 0xA5), want(n + offset, 0xA5);
          qk::QuantizeGgufChannels(values, x.data() + offset, b, d.data(), got.data() + offset);
          qk::scalar::QuantizeGgufChannels(values, x.data() + offset, b, d.data(),
                                           want.data() + offset);
          CHECK(got == want);
        }
      }
    }
  });
}

TEST_CASE("gguf rounding kernels: every target matches scalar on blocks along rows") {
  ForEachTarget([] {
    for (GgufValues values : kBoth) {
      for (qk::BlockRows b : {qk::BlockRows{1, 0, 32},
                              {1, 32, 32},
                              {3, 64, 32},
                              {2, 100, 32},
                              {4, 37, 8},
                              {3, 20, 3},
                              {2, 50, 16},
                              {5, 7, 1},
                              {2, 300, 64}}) {
        for (size_t offset : {0u, 1u, 3u}) {
          CAPTURE(b.rows);
          CAPTURE(b.size);
          CAPTURE(b.block_size);
          CAPTURE(offset);
          const size_t n = b.rows * b.size;
          const size_t blocks = (b.size + b.block_size - 1) / b.block_size;
          const std::vector<float> x = TestFloats(n + offset, static_cast<uint32_t>(n + 1));
          const std::vector<float> d = TestScales(b.rows * blocks, 5);
          std::vector<uint8_t> got(n + offset, 0xA5), want(n + offset, 0xA5);
          qk::QuantizeGgufBlockRows(values, x.data() + offset, b, d.data(), got.data() + offset);
          qk::scalar::QuantizeGgufBlockRows(values, x.data() + offset, b, d.data(),
                                            want.data() + offset);
          CHECK(got == want);
        }
      }
    }
  });
}
