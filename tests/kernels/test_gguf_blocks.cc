// GGUF's Q8_0 and Q4_0 blocks (src/kernels/gguf_block_kernels.h): the scalar
// kernels and every Highway target against the blocks make_golden.py
// computed from llama.cpp's formulas, and every target against the scalar
// kernels, bit for bit, on random data, ties, zeros, NaN, inf and unaligned
// pointers.
#include <doctest/doctest.h>
#include <hwy/aligned_allocator.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "for_each_target.h"
#include "gguf_golden_blocks.h"
#include "kernels/gguf_block_kernels.h"
#include "kernels/half_float.h"

namespace {

namespace qk = qtensor::kernels;
using qtensor::test::GoldenBlock;
using qtensor::test::ReadGolden;

using Quantize = void (*)(const float*, size_t, uint8_t*);
using Dequantize = void (*)(const uint8_t*, size_t, float*);

struct Format {
  const char* name;
  size_t block_bytes;
  Quantize quantize, scalar_quantize;
  Dequantize dequantize, scalar_dequantize;
};

const Format kFormats[] = {
    {"q8_0", qk::kQ8_0BlockBytes, qk::QuantizeQ8_0, qk::scalar::QuantizeQ8_0, qk::DequantizeQ8_0,
     qk::scalar::DequantizeQ8_0},
    {"q4_0", qk::kQ4_0BlockBytes, qk::QuantizeQ4_0, qk::scalar::QuantizeQ4_0, qk::DequantizeQ4_0,
     qk::scalar::DequantizeQ4_0},
};

const Format& FormatNamed(const std::string& name) {
  for (const Format& f : kFormats) {
    if (name == f.name) return f;
  }
  FAIL("unknown format " << name);
  return kFormats[0];
}

std::string Hex(const std::vector<uint8_t>& bytes) {
  std::string out;
  char buf[3];
  for (const uint8_t b : bytes) {
    std::snprintf(buf, sizeof(buf), "%02x", b);
    out += buf;
  }
  return out;
}

void CheckGolden(const GoldenBlock& golden, Quantize quantize, Dequantize dequantize) {
  CAPTURE(golden.format);
  CAPTURE(golden.name);
  std::vector<uint8_t> bytes(golden.bytes.size());
  quantize(golden.input.data(), 32, bytes.data());
  CHECK(Hex(bytes) == Hex(golden.bytes));
  std::vector<float> y(32);
  dequantize(golden.bytes.data(), 32, y.data());
  for (size_t j = 0; j < 32; ++j) {
    CAPTURE(j);
    CHECK(qk::FloatBits(y[j]) == qk::FloatBits(golden.dequantized[j]));
  }
}

// Runs every kernel of `format` on `x` (a whole number of blocks), starting
// `offset` bytes past an aligned address, on the dispatched target and the
// scalar kernels, and requires the same bytes and floats.
void CheckSameAsScalar(const Format& format, const std::vector<float>& x, size_t offset) {
  CAPTURE(format.name);
  CAPTURE(offset);
  const size_t n = x.size(), blocks = n / 32, bytes = blocks * format.block_bytes;
  std::vector<uint8_t> in_buffer(n * 4 + offset * 4 + 64), expected(bytes),
      out_buffer(bytes + offset + 64, 0xa5);
  float* in = reinterpret_cast<float*>(in_buffer.data()) + offset;  // offset floats in
  if (n > 0) std::memcpy(in, x.data(), n * 4);
  uint8_t* out = out_buffer.data() + offset;
  format.scalar_quantize(in, n, expected.data());
  format.quantize(in, n, out);
  for (size_t b = 0; b < blocks; ++b) {
    if (std::memcmp(out + b * format.block_bytes, expected.data() + b * format.block_bytes,
                    format.block_bytes) != 0) {
      INFO("block " << b << ", first input " << x[b * 32]);
      FAIL("SIMD and scalar quantize differ");
    }
  }
  CHECK(out_buffer[bytes + offset] == 0xa5);
  std::vector<float> y_expected(n), y_buffer(n + 17);
  float* y = y_buffer.data() + offset % 17;
  format.scalar_dequantize(expected.data(), n, y_expected.data());
  format.dequantize(out, n, y);
  for (size_t i = 0; i < n; ++i) {
    if (qk::FloatBits(y[i]) != qk::FloatBits(y_expected[i])) {
      INFO("element " << i);
      FAIL("SIMD and scalar dequantize differ");
    }
  }
}

// Blocks of random values of several magnitudes, with special values and
// exact ties sprinkled in.
std::vector<float> TestBlocks(size_t blocks, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const float kSpecial[] = {0.0f,
                            -0.0f,
                            std::numeric_limits<float>::quiet_NaN(),
                            -std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::infinity(),
                            -std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::denorm_min(),
                            1e-40f,
                            65504.0f,
                            1e30f,
                            -1e30f,
                            0.5f,
                            -2.5f};
  std::vector<float> x(blocks * 32);
  for (size_t b = 0; b < blocks; ++b) {
    const unsigned kind = rng() % 8;
    // Kind 5: largest magnitudes about 2^-127 to 2^-118, around where d
    // becomes subnormal (the vector kernels' limit of ordinary blocks).
    const float scale = kind == 5 ? std::ldexp(1.0f, static_cast<int>(rng() % 10) - 127)
                                  : std::ldexp(1.0f, static_cast<int>(rng() % 80) - 40);
    for (size_t j = 0; j < 32; ++j) {
      float v = normal(rng) * scale;
      if (kind == 1) v = static_cast<float>(static_cast<int>(rng() % 255) - 127) * 0.5f;  // ties
      if (kind == 2) v = 0.0f;
      if (kind == 3 && rng() % 6 == 0) v = kSpecial[rng() % (sizeof(kSpecial) / sizeof(float))];
      if (kind == 4) v = (rng() % 2 ? 1.0f : -1.0f) * static_cast<float>(rng() % 3);  // equal |max|
      x[b * 32 + j] = v;
    }
  }
  return x;
}

}  // namespace

TEST_CASE("gguf blocks: scalar kernels give make_golden.py's blocks (llama.cpp's formulas)") {
  const std::vector<GoldenBlock> golden = ReadGolden();
  CHECK(golden.size() >= 20);
  for (const GoldenBlock& block : golden) {
    const Format& format = FormatNamed(block.format);
    CheckGolden(block, format.scalar_quantize, format.scalar_dequantize);
  }
}

TEST_CASE("gguf blocks: every target gives make_golden.py's blocks") {
  const std::vector<GoldenBlock> golden = ReadGolden();
  ForEachTarget([&] {
    for (const GoldenBlock& block : golden) {
      const Format& format = FormatNamed(block.format);
      CheckGolden(block, format.quantize, format.dequantize);
    }
  });
}

TEST_CASE("gguf blocks: hand-worked values") {
  // Q8_0: amax 127 gives d = 1; 2.5 rounds away from zero to 3 (not 2).
  std::vector<float> x(32, 0.0f);
  x[0] = 127.0f;
  x[1] = 2.5f;
  x[2] = -2.5f;
  x[3] = -0.0f;
  uint8_t q8[qk::kQ8_0BlockBytes];
  qk::scalar::QuantizeQ8_0(x.data(), 32, q8);
  CHECK(qk::LoadHalf(q8) == 1.0f);
  CHECK(static_cast<int8_t>(q8[2]) == 127);
  CHECK(static_cast<int8_t>(q8[3]) == 3);
  CHECK(static_cast<int8_t>(q8[4]) == -3);
  CHECK(q8[5] == 0);
  // Q4_0: the largest magnitude is -16 (signed): d = 2, id = 0.5; 5 -> 5 *
  // 0.5 + 8.5 = 11 (truncated), -16 -> 0, element 16 (3) in the high nibble.
  x.assign(32, 0.0f);
  x[0] = -16.0f;
  x[1] = 5.0f;
  x[16] = 3.0f;
  uint8_t q4[qk::kQ4_0BlockBytes];
  qk::scalar::QuantizeQ4_0(x.data(), 32, q4);
  CHECK(qk::LoadHalf(q4) == 2.0f);
  CHECK(q4[2] == (0 | (10 << 4)));  // 3 * 0.5 + 8.5 = 10
  CHECK(q4[3] == (11 | (8 << 4)));
  // All zeros: Q4_0's d is -0 (0 / -8), Q8_0's +0.
  x.assign(32, 0.0f);
  qk::scalar::QuantizeQ4_0(x.data(), 32, q4);
  CHECK(q4[0] == 0x00);
  CHECK(q4[1] == 0x80);
  qk::scalar::QuantizeQ8_0(x.data(), 32, q8);
  CHECK(q8[0] == 0x00);
  CHECK(q8[1] == 0x00);
  // x86's conversion: NaN and out-of-range give INT32_MIN's low byte, 0.
  CHECK(qk::scalar::X86FloatToInt8(std::nanf("")) == 0);
  CHECK(qk::scalar::X86FloatToInt8(3e9f) == 0);
  CHECK(qk::scalar::X86FloatToInt8(300.0f) == 44);
  CHECK(qk::scalar::X86FloatToInt8(-1.9f) == -1);
}

TEST_CASE("gguf blocks: every target gives the scalar kernels' bits") {
  const std::vector<float> x = TestBlocks(400, 42);
  ForEachTarget([&] {
    for (const Format& format : kFormats) {
      for (const size_t offset : {0, 1, 3, 6}) CheckSameAsScalar(format, x, offset);
      CheckSameAsScalar(format, std::vector<float>(), 0);
      CheckSameAsScalar(format, std::vector<float>(x.begin(), x.begin() + 32), 1);
    }
  });
}

TEST_CASE(
    "gguf blocks: every target quantizes 64 Ki blocks and dequantizes them, streamed, as scalar") {
  // 8 MiB of floats (kStreamBytes) into an aligned buffer: the vector
  // kernels' non-temporal stores.
  const size_t blocks = (size_t{8} << 20) / sizeof(float) / 32;
  const std::vector<float> x = TestBlocks(blocks, 7);
  for (const Format& format : kFormats) {
    CAPTURE(format.name);
    std::vector<uint8_t> q(blocks * format.block_bytes);
    format.scalar_quantize(x.data(), x.size(), q.data());
    std::vector<float> want(x.size());
    format.scalar_dequantize(q.data(), x.size(), want.data());
    const hwy::AlignedFreeUniquePtr<float[]> out = hwy::AllocateAligned<float>(x.size());
    std::vector<uint8_t> blocks_out(q.size());
    ForEachTarget([&] {
      format.dequantize(q.data(), x.size(), out.get());
      REQUIRE(std::memcmp(out.get(), want.data(), x.size() * sizeof(float)) == 0);
      // And the quantize of all those blocks (many groups of sixteen).
      format.quantize(x.data(), x.size(), blocks_out.data());
      REQUIRE(blocks_out == q);
    });
  }
}
