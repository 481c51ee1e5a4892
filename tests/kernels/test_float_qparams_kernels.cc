// The float-qparams kernels: the scalar kernels against hand-worked answers
// (PyTorch's lrintf into an int32, then the clamp), and every Highway target
// compiled in (and supported by this CPU) against the scalar kernels, bit for
// bit: every special value and boundary of the int32 wrap, ties, floats of
// every exponent, channels along the last axis and along outer axes, tails
// and unaligned pointers.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "for_each_target.h"
#include "kernels/float_qparams_kernels.h"

namespace {

namespace qk = qtensor::kernels;

constexpr float kInf = std::numeric_limits<float>::infinity();

float FromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint32_t Bits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

// Where the quantize formula changes: ties, the int8 / uint8 edges, the
// int32 wrap (2^31, 2^32 and their multiples), the end of int64 (2^63), each
// with its neighbours and negated; zeros, infinities and NaNs.
std::vector<float> SpecialFloats() {
  std::vector<float> centers = {0.5f,   1.5f,   2.5f,   3.5f,           126.5f,  127.5f, 128.5f,
                                254.5f, 255.5f, 256.5f, 0x1p23f - 0.5f, 0x1p23f, 0x1p24f};
  for (float k = 1; k <= 8; ++k) centers.push_back(k * 0x1p31f);
  for (float p : {0x1p33f, 0x1p40f, 0x1p55f, 0x1p56f, 0x1p62f, 0x1p63f, 0x1p64f, 0x1p100f}) {
    centers.push_back(p);
  }
  centers.push_back(0x1p32f + 512.0f);
  centers.push_back(0x1p32f - 256.0f);
  centers.push_back(0x1p32f + 256.0f);  // not a float: rounds to 2^32
  centers.push_back(std::numeric_limits<float>::max());
  std::vector<float> out = {0.0f,
                            -0.0f,
                            kInf,
                            -kInf,
                            std::numeric_limits<float>::quiet_NaN(),
                            -std::numeric_limits<float>::quiet_NaN(),
                            FromBits(0x7f800001u),  // signaling NaN
                            FromBits(0xffc12345u),
                            std::numeric_limits<float>::denorm_min(),
                            std::numeric_limits<float>::min()};
  for (float c : centers) {
    for (float v : {c, std::nextafter(c, 0.0f), std::nextafter(c, kInf)}) {
      out.push_back(v);
      out.push_back(-v);
    }
  }
  return out;
}

// n floats of every exponent: random bit patterns, every third one a
// special value.
std::vector<float> TestFloats(size_t n, uint32_t seed) {
  const std::vector<float> special = SpecialFloats();
  std::mt19937 rng(seed);
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    x[i] = i % 3 == 0 ? special[(i / 3) % special.size()] : FromBits(static_cast<uint32_t>(rng()));
  }
  return x;
}

// Channel parameters: ordinary scales and zero points, with a few specials.
struct Params {
  std::vector<float> scales, zero_points;
};
Params TestParams(size_t channels, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> scale(0.001f, 4.0f), zp(-200.0f, 300.0f);
  const float special_scales[] = {1.0f, 0x1p-30f, 0x1p30f, 0.0f, kInf};
  Params p{std::vector<float>(channels), std::vector<float>(channels)};
  for (size_t c = 0; c < channels; ++c) {
    p.scales[c] = c % 4 == 1 ? special_scales[(c / 4) % 5] : scale(rng);
    p.zero_points[c] = c % 3 == 0 ? std::round(zp(rng)) : zp(rng);
  }
  return p;
}

template <typename T>
T QuantizeOne(float x) {
  const float one = 1.0f, zero = 0.0f;
  T q;
  qk::scalar::QuantizeFloatQParamsBlock(&x, {1, 1, 1}, &one, &zero, &q);
  return q;
}

// Shapes this large are tested at one offset only (time).
constexpr size_t kLarge = size_t{1} << 20;

// The shapes [outer][channels][inner] tested: channels last (inner 1) of
// many lengths, short runs, runs around the vector sizes, long runs and
// outputs large enough to be streamed.
std::vector<qk::ChannelBlock> TestShapes() {
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
                             {1, 70, 1},
                             {7, 5, 3},
                             {2, 130, 1},
                             // Past kStreamBytes of float output: streamed
                             // stores, with a head that aligns them.
                             {1, 3, 700001},
                             {100, 5, 4201},
                             {233334, 3, 3}}) {
    shapes.push_back(b);
  }
  return shapes;
}

template <typename T>
void CheckQuantizeMatches() {
  for (const qk::ChannelBlock& b : TestShapes()) {
    for (size_t offset : {0u, 1u, 3u}) {
      CAPTURE(b.outer);
      CAPTURE(b.channels);
      CAPTURE(b.inner);
      CAPTURE(offset);
      const size_t n = b.outer * b.channels * b.inner;
      if (n >= kLarge && offset != 1) continue;  // one misaligned start is enough
      const std::vector<float> x = TestFloats(n + offset, static_cast<uint32_t>(n + offset));
      const Params p = TestParams(b.channels, 7);
      std::vector<float> inv(b.channels);
      for (size_t c = 0; c < b.channels; ++c) inv[c] = 1.0f / p.scales[c];
      std::vector<T> got(n + offset, 0x5A), want(n + offset, 0x5A);
      qk::QuantizeFloatQParamsBlock(x.data() + offset, b, inv.data(), p.zero_points.data(),
                                    got.data() + offset);
      qk::scalar::QuantizeFloatQParamsBlock(x.data() + offset, b, inv.data(), p.zero_points.data(),
                                            want.data() + offset);
      CHECK(got == want);
    }
  }
}

template <typename T>
void CheckDequantizeMatches() {
  for (const qk::ChannelBlock& b : TestShapes()) {
    for (size_t offset : {0u, 1u, 3u}) {
      CAPTURE(b.outer);
      CAPTURE(b.channels);
      CAPTURE(b.inner);
      CAPTURE(offset);
      const size_t n = b.outer * b.channels * b.inner;
      if (n >= kLarge && offset != 1) continue;
      std::mt19937 rng(static_cast<uint32_t>(n));
      std::vector<T> q(n + offset);
      for (T& v : q) v = static_cast<T>(rng());
      Params p = TestParams(b.channels, 9);
      if (b.channels > 2) p.zero_points[2] = std::numeric_limits<float>::quiet_NaN();
      std::vector<float> got(n + offset, 1.25f), want(n + offset, 1.25f);
      qk::DequantizeFloatQParamsBlock(q.data() + offset, b, p.scales.data(), p.zero_points.data(),
                                      got.data() + offset);
      qk::scalar::DequantizeFloatQParamsBlock(q.data() + offset, b, p.scales.data(),
                                              p.zero_points.data(), want.data() + offset);
      std::vector<uint32_t> got_bits(got.size()), want_bits(want.size());
      for (size_t i = 0; i < got.size(); ++i) {
        got_bits[i] = Bits(got[i]);
        want_bits[i] = Bits(want[i]);
      }
      CHECK(got_bits == want_bits);
    }
  }
}

}  // namespace

TEST_CASE("float qparams kernels: the scalar kernels wrap like PyTorch's int32") {
  // lrintf half to even; NaN and |t| >= 2^63 give INT64_MIN, whose low 32
  // bits are 0; from 2^31 on the low 32 bits are read as an int32.
  CHECK(QuantizeOne<int8_t>(2.5f) == 2);
  CHECK(QuantizeOne<int8_t>(-2.5f) == -2);
  CHECK(QuantizeOne<int8_t>(3.5f) == 4);
  CHECK(QuantizeOne<int8_t>(1000.0f) == 127);
  CHECK(QuantizeOne<int8_t>(std::nanf("")) == 0);
  CHECK(QuantizeOne<int8_t>(kInf) == 0);
  CHECK(QuantizeOne<int8_t>(-kInf) == 0);
  CHECK(QuantizeOne<int8_t>(0x1p63f) == 0);
  CHECK(QuantizeOne<int8_t>(0x1p31f) == -128);   // -2^31
  CHECK(QuantizeOne<int8_t>(-0x1p31f) == -128);  // -2^31
  CHECK(QuantizeOne<int8_t>(0x1p32f) == 0);
  CHECK(QuantizeOne<int8_t>(0x1p32f + 512.0f) == 127);   // 512
  CHECK(QuantizeOne<int8_t>(0x1p32f - 256.0f) == -128);  // -256
  CHECK(QuantizeOne<int8_t>(-0x1p32f + 256.0f) == 127);  // 256
  CHECK(QuantizeOne<int8_t>(0x1p62f) == 0);
  CHECK(QuantizeOne<uint8_t>(0x1p31f) == 0);
  CHECK(QuantizeOne<uint8_t>(3.0f * 0x1p31f) == 0);  // 2^31 mod 2^32: -2^31
  CHECK(QuantizeOne<uint8_t>(0x1p32f + 512.0f) == 255);
  CHECK(QuantizeOne<uint8_t>(-1.0f) == 0);
  CHECK(QuantizeOne<uint8_t>(255.5f) == 255);
  // Two roundings, no fused multiply-add: 0.3f * 5 rounds to 1.5, and
  // 1.5 - 1 is a tie to even (0); fused, 0.3f * 5 - 1 is just above 0.5 (1).
  const float inv = 5.0f, zp = -1.0f, x = 0.3f;
  uint8_t q = 9;
  qk::scalar::QuantizeFloatQParamsBlock(&x, {1, 1, 1}, &inv, &zp, &q);
  CHECK(q == 0);
}

TEST_CASE("float qparams kernels: every target quantizes every special value as scalar") {
  const std::vector<float> special = SpecialFloats();
  ForEachTarget([&] {
    // Scale 1 and zero point 0: t is the input itself, at every boundary.
    for (size_t c : {1u, 5u}) {
      const std::vector<float> inv(c, 1.0f), zp(c, 0.0f);
      const qk::ChannelBlock b = c == 1 ? qk::ChannelBlock{1, 1, special.size()}
                                        : qk::ChannelBlock{special.size() / c, c, 1};
      const size_t n = b.outer * b.channels * b.inner;
      std::vector<int8_t> got8(n), want8(n);
      std::vector<uint8_t> gotu(n), wantu(n);
      qk::QuantizeFloatQParamsBlock(special.data(), b, inv.data(), zp.data(), got8.data());
      qk::scalar::QuantizeFloatQParamsBlock(special.data(), b, inv.data(), zp.data(), want8.data());
      qk::QuantizeFloatQParamsBlock(special.data(), b, inv.data(), zp.data(), gotu.data());
      qk::scalar::QuantizeFloatQParamsBlock(special.data(), b, inv.data(), zp.data(), wantu.data());
      for (size_t i = 0; i < n; ++i) {
        CAPTURE(special[i]);
        CHECK(int{got8[i]} == int{want8[i]});
        CHECK(int{gotu[i]} == int{wantu[i]});
      }
    }
  });
}

TEST_CASE("float qparams kernels: every target quantizes a sweep of all floats as scalar") {
  // Every 4099th bit pattern (a prime step: every exponent, sign and low
  // mantissa bits), with scale 1 and zero point 0, and with a scale and a
  // fractional zero point that move ties and boundaries elsewhere.
  constexpr uint32_t kStep = 4099;
  std::vector<float> x;
  for (uint64_t bits = 0; bits <= 0xffffffffu; bits += kStep) {
    x.push_back(FromBits(static_cast<uint32_t>(bits)));
  }
  ForEachTarget([&] {
    for (const std::pair<float, float>& params :
         {std::pair{1.0f, 0.0f}, {1.0f, 0.5f}, {3.0f, -7.25f}}) {
      const float inv = params.first, zp = params.second;
      CAPTURE(inv);
      CAPTURE(zp);
      const qk::ChannelBlock b{1, 1, x.size()};
      std::vector<int8_t> got8(x.size()), want8(x.size());
      std::vector<uint8_t> gotu(x.size()), wantu(x.size());
      qk::QuantizeFloatQParamsBlock(x.data(), b, &inv, &zp, got8.data());
      qk::scalar::QuantizeFloatQParamsBlock(x.data(), b, &inv, &zp, want8.data());
      qk::QuantizeFloatQParamsBlock(x.data(), b, &inv, &zp, gotu.data());
      qk::scalar::QuantizeFloatQParamsBlock(x.data(), b, &inv, &zp, wantu.data());
      CHECK(got8 == want8);
      CHECK(gotu == wantu);
    }
  });
}

TEST_CASE("float qparams kernels: every target quantizes every layout as scalar") {
  ForEachTarget([] {
    CheckQuantizeMatches<int8_t>();
    CheckQuantizeMatches<uint8_t>();
  });
}

TEST_CASE("float qparams kernels: every target dequantizes every layout as scalar") {
  ForEachTarget([] {
    CheckDequantizeMatches<int8_t>();
    CheckDequantizeMatches<uint8_t>();
  });
}

TEST_CASE("float qparams kernels: every target quantizes outputs large enough to stream") {
  // Past kStreamBytes of int8 output, from a misaligned start: long runs
  // and per-lane patterns.
  const size_t n = (size_t{8} << 20) + 7;
  const std::vector<float> x = TestFloats(n + 1, 11);
  const Params p = TestParams(3, 13);
  const std::vector<float> inv = {1.0f / p.scales[0], 1.0f / p.scales[1], 1.0f / p.scales[2]};
  for (const qk::ChannelBlock& b : {qk::ChannelBlock{1, 1, n}, qk::ChannelBlock{n / 3, 3, 1}}) {
    const size_t count = b.outer * b.channels * b.inner;
    std::vector<int8_t> want(count + 1, 0x5A);
    qk::scalar::QuantizeFloatQParamsBlock(x.data() + 1, b, inv.data(), p.zero_points.data(),
                                          want.data() + 1);
    ForEachTarget([&] {
      CAPTURE(b.channels);
      std::vector<int8_t> got(count + 1, 0x5A);
      qk::QuantizeFloatQParamsBlock(x.data() + 1, b, inv.data(), p.zero_points.data(),
                                    got.data() + 1);
      CHECK(got == want);
    });
  }
}
