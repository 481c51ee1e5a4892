// float32 <-> float16 and bfloat16 (src/kernels/half_float.h): every float16
// back and forth, the values make_golden.py computed with NumPy and
// PyTorch, and, where the compiler has _Float16 (g++ 12 on x86-64), its
// conversion on a few million floats around every rounding edge.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "kernels/half_float.h"

namespace {

namespace qk = qtensor::kernels;

const std::string kGolden = QTENSOR_TEST_DATA_DIR "/gguf_golden/half_float.txt";

bool IsHalfNaN(uint16_t h) { return (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0; }

}  // namespace

TEST_CASE("float16: every bit pattern converts to float and back to itself") {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    CAPTURE(h);
    const auto bits = static_cast<uint16_t>(h);
    const float f = qk::HalfBitsToFloat(bits);
    const uint16_t back = qk::FloatToHalfBits(f);
    if (IsHalfNaN(bits)) {
      REQUIRE(std::isnan(f));
      REQUIRE(IsHalfNaN(back));
      REQUIRE((back & 0x8000) == (bits & 0x8000));
      REQUIRE((back & 0x200) != 0);  // quiet
    } else {
      REQUIRE(back == bits);
    }
  }
  // Values: 1, the largest finite, the smallest subnormal, -0.
  CHECK(qk::HalfBitsToFloat(0x3c00) == 1.0f);
  CHECK(qk::HalfBitsToFloat(0x7bff) == 65504.0f);
  CHECK(qk::HalfBitsToFloat(0x0001) == 0x1p-24f);
  CHECK(qk::FloatBits(qk::HalfBitsToFloat(0x8000)) == 0x80000000u);
}

TEST_CASE("bfloat16: every bit pattern converts to float and back to itself") {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    CAPTURE(b);
    const auto bits = static_cast<uint16_t>(b);
    const float f = qk::BFloat16BitsToFloat(bits);
    const uint16_t back = qk::FloatToBFloat16Bits(f);
    if ((bits & 0x7fff) > 0x7f80) {
      REQUIRE(std::isnan(f));
      REQUIRE(back == (bits | 0x40));
    } else {
      REQUIRE(back == bits);
      REQUIRE(qk::FloatBits(f) == b << 16);
    }
  }
}

TEST_CASE("float16 and bfloat16 match NumPy and PyTorch (gguf_golden/half_float.txt)") {
  std::ifstream in(kGolden);
  REQUIRE(in.good());
  std::string line;
  size_t cases = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    unsigned f = 0, h = 0, b = 0;
    REQUIRE(std::sscanf(line.c_str(), "%x %x %x", &f, &h, &b) == 3);
    CAPTURE(line);
    const float x = qk::FloatFromBits(f);
    CHECK(qk::FloatToHalfBits(x) == h);
    CHECK(qk::FloatToBFloat16Bits(x) == b);
    ++cases;
  }
  CHECK(cases > 800);
}

#if defined(__FLT16_MAX__) && !defined(__clang__)
TEST_CASE("float16: the compiler's _Float16 conversion agrees around every rounding edge") {
  // Every float whose low 13 bits (those float16 drops from a normal) are at
  // or next to a rounding edge, for all exponents and signs; and every float
  // of the subnormal range's top bits.
  const uint32_t lows[] = {0, 1, 0xfff, 0x1000, 0x1001, 0x1fff};
  size_t compared = 0;
  const auto compare = [&](uint32_t bits) {
    const float x = qk::FloatFromBits(bits);
    if (std::isnan(x)) return;
    const volatile _Float16 h = static_cast<_Float16>(x);
    uint16_t expected;
    std::memcpy(&expected, const_cast<const _Float16*>(&h), 2);
    if (qk::FloatToHalfBits(x) != expected) {
      INFO("float bits 0x" << std::hex << bits);
      FAIL("FloatToHalfBits differs from _Float16");
    }
    ++compared;
  };
  for (uint32_t high = 0; high < (1u << 19); ++high) {
    for (const uint32_t low : lows) compare(high << 13 | low);
  }
  // A sixty-first of the floats from 2^-26 to 2^-14, where float16 is subnormal.
  for (uint32_t bits = 0x32800000; bits < 0x38800000; bits += 61) {
    compare(bits);
    compare(bits | 0x80000000u);
  }
  CHECK(compared > 3000000);
}
#endif
