// The nibble packing and per-block row kernels on every Highway target
// against the scalar ones: every byte and nibble, lengths around the vector
// sizes, unaligned starts, short last blocks, ties, saturation, NaN and
// infinities; and the scalar kernels against the formulas written out.
#include <doctest/doctest.h>

#include <hwy/aligned_allocator.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "for_each_target.h"
#include "kernels/block_row_kernels.h"
#include "kernels/nibble_kernels.h"

namespace {

namespace qk = qtensor::kernels;

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(n);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

// Requires dequantize(stream, out) to give want's n floats from want[1] on
// both ways: cached stores at an unaligned out, and streamed stores at an
// aligned one (where the vector kernels take the streamed path).
template <class Dequantize>
void RequireBothStores(const std::vector<float>& want, const Dequantize& dequantize) {
  const size_t n = want.size() - 1;
  std::vector<float> cached(n + 1);
  dequantize(false, cached.data() + 1);
  REQUIRE(cached == want);
  const hwy::AlignedFreeUniquePtr<float[]> streamed = hwy::AllocateAligned<float>(n);
  dequantize(true, streamed.get());
  REQUIRE(std::equal(streamed.get(), streamed.get() + n, want.begin() + 1));
}

// Floats that hit every case: ties at several scales, values past the
// ranges, NaN, infinities, -0.
std::vector<float> TestFloats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-40.0f, 40.0f);
  const float special[] = {0.5f,
                           1.5f,
                           -2.5f,
                           2.5f,
                           -0.0f,
                           std::nanf(""),
                           std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity(),
                           1e30f,
                           -1e30f,
                           7.5f,
                           -8.5f};
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = i % 5 == 0 ? special[(i / 5) % 12] : dist(rng);
  return x;
}

}  // namespace

TEST_CASE("nibbles: every pair packs low nibble first and unpacks back") {
  std::vector<uint8_t> values(512);
  for (size_t i = 0; i < 256; ++i) {
    values[2 * i] = static_cast<uint8_t>(i & 15);
    values[2 * i + 1] = static_cast<uint8_t>(i >> 4);
  }
  std::vector<uint8_t> packed(256), back(512), signed_back(512);
  qk::scalar::PackNibbles(values.data(), 256, packed.data());
  for (size_t i = 0; i < 256; ++i) CHECK(packed[i] == i);
  qk::scalar::UnpackNibbles(packed.data(), 256, false, back.data());
  CHECK(back == values);
  qk::scalar::UnpackNibbles(packed.data(), 256, true, signed_back.data());
  for (size_t i = 0; i < 512; ++i) {
    const int nibble = values[i];
    CHECK(static_cast<int8_t>(signed_back[i]) == (nibble >= 8 ? nibble - 16 : nibble));
  }
}

TEST_CASE("nibbles: every target matches the scalar kernels") {
  ForEachTarget([] {
    for (size_t pairs : {0u, 1u, 7u, 8u, 15u, 16u, 31u, 32u, 33u, 64u, 100u, 1000u}) {
      for (size_t offset : {0u, 1u, 3u}) {
        CAPTURE(pairs);
        CAPTURE(offset);
        std::vector<uint8_t> values = RandomBytes(2 * pairs + offset, 3);
        for (uint8_t& v : values) v &= 15;
        std::vector<uint8_t> packed(pairs + offset, 0xAA), expected(pairs + offset, 0xAA);
        qk::PackNibbles(values.data() + offset, pairs, packed.data() + offset);
        qk::scalar::PackNibbles(values.data() + offset, pairs, expected.data() + offset);
        CHECK(packed == expected);
        for (bool sign_extend : {false, true}) {
          const std::vector<uint8_t> bytes = RandomBytes(pairs + offset, 5);
          std::vector<uint8_t> out(2 * pairs + offset, 0xAA), want(2 * pairs + offset, 0xAA);
          qk::UnpackNibbles(bytes.data() + offset, pairs, sign_extend, out.data() + offset);
          qk::scalar::UnpackNibbles(bytes.data() + offset, pairs, sign_extend,
                                    want.data() + offset);
          CHECK(out == want);
        }
      }
    }
  });
}

TEST_CASE("block rows: the scalar kernels follow the formulas") {
  // Two rows of 5 in blocks of 2: three parameters a row, the last block short.
  const float x[10] = {1.0f, -1.0f, 0.75f, 0.25f, 3.0f, std::nanf(""), 100.0f, 2.0f, 5.0f, 0.0f};
  const float inv[6] = {2.0f, 4.0f, 1.0f, 8.0f, 0.5f, 2.0f};
  const int32_t zp[6] = {8, 8, 0, 15, 1, 2};
  uint8_t q[10];
  qk::scalar::QuantizeBlockRows(x, {2, 5, 2}, inv, zp, 0, 15, q);
  // 0.75 * 4 = 3: 11; nearbyint(0.25 * 4 = 1) + 8 = 9; NaN -> 15 (its zp);
  // 100 * 8 + 15 saturates; 2 * .5 = 1 + 1; 5 * .5 = 2.5 -> 2 (half to even) + 1.
  const uint8_t expected[10] = {10, 6, 11, 9, 3, 15, 15, 2, 3, 2};
  for (int i = 0; i < 10; ++i) CHECK(q[i] == expected[i]);
  float back[10];
  const float scales[6] = {0.5f, 0.25f, 1.0f, 0.125f, 2.0f, 0.5f};
  qk::scalar::DequantizeBlockRows(q, false, {2, 5, 2}, scales, zp, back);
  CHECK(back[0] == 1.0f);
  CHECK(back[2] == 0.75f);
  CHECK(back[6] == 0.0f);
  CHECK(back[8] == 4.0f);
  const uint8_t negative[2] = {0xFF, 0x80};  // -1 and -128 as int8
  const int32_t zero[1] = {0};
  const float one[1] = {1.0f};
  qk::scalar::DequantizeBlockRows(negative, true, {1, 2, 2}, one, zero, back);
  CHECK(back[0] == -1.0f);
  CHECK(back[1] == -128.0f);
}

TEST_CASE("block rows: every target matches the scalar kernels") {
  ForEachTarget([] {
    for (size_t size : {1u, 5u, 16u, 31u, 32u, 33u, 100u, 4096u}) {
      for (size_t block : {1u, 2u, 7u, 16u, 32u, 64u, 128u}) {
        for (int32_t qmin : {-8, 0, -128}) {
          CAPTURE(size);
          CAPTURE(block);
          CAPTURE(qmin);
          const int32_t qmax = qmin == -8 ? 7 : qmin == 0 ? 15 : 127;
          const qk::BlockRows b{3, size, block};
          const size_t blocks = 3 * ((size + block - 1) / block);
          std::vector<float> inv(blocks), scales(blocks);
          std::vector<int32_t> zp(blocks);
          std::mt19937 rng(static_cast<uint32_t>(size * 131 + block));
          for (size_t p = 0; p < blocks; ++p) {
            scales[p] = 0.05f + static_cast<float>(rng() % 100) * 0.01f;
            inv[p] = 1.0f / scales[p];
            zp[p] = qmin + static_cast<int32_t>(rng() % static_cast<uint32_t>(qmax - qmin + 1));
          }
          const std::vector<float> x = TestFloats(3 * size + 1, 11);
          std::vector<uint8_t> q(3 * size + 1, 0xAA), want(3 * size + 1, 0xAA);
          qk::QuantizeBlockRows(x.data() + 1, b, inv.data(), zp.data(), qmin, qmax, q.data() + 1);
          qk::scalar::QuantizeBlockRows(x.data() + 1, b, inv.data(), zp.data(), qmin, qmax,
                                        want.data() + 1);
          REQUIRE(q == want);
          std::vector<float> expected(3 * size + 1);
          qk::scalar::DequantizeBlockRows(q.data() + 1, qmin < 0, b, scales.data(), zp.data(),
                                          expected.data() + 1);
          RequireBothStores(expected, [&](bool stream, float* out) {
            qk::DequantizeBlockRows(q.data() + 1, qmin < 0, b, scales.data(), zp.data(), stream,
                                    out);
          });
        }
      }
    }
  });
}

TEST_CASE("block rows of nibbles: the scalar kernels pack what the byte kernels give") {
  // One row of 4 in blocks of 2, int4: -8 and 7 saturate; nibbles low first.
  const float x[4] = {-100.0f, 1.0f, 2.5f, 100.0f};
  const float inv[2] = {1.0f, 1.0f};
  const int32_t zp[2] = {0, 1};
  uint8_t packed[2];
  qk::scalar::QuantizeNibbleBlockRows(qk::NibbleRounding::kPyTorch, x, {1, 4, 2}, inv, zp, -8, 7,
                                      packed);
  CHECK(packed[0] == 0x18);  // -8 -> 0x8, 1 -> 0x1
  CHECK(packed[1] == 0x73);  // 2.5 -> 2 (half to even) + 1 = 3, 100 -> 7
  float back[4];
  const float scales[2] = {0.5f, 2.0f};
  qk::scalar::DequantizeNibbleBlockRows(packed, true, {1, 4, 2}, scales, zp, back);
  CHECK(back[0] == -4.0f);
  CHECK(back[1] == 0.5f);
  CHECK(back[2] == 4.0f);
  CHECK(back[3] == 12.0f);
  // NaN: zp (0) PyTorch's way, qmin (-8) ONNX's.
  const float nan_first[4] = {std::nanf(""), 1.0f, 2.5f, 100.0f};
  qk::scalar::QuantizeNibbleBlockRows(qk::NibbleRounding::kPyTorch, nan_first, {1, 4, 2}, inv, zp,
                                      -8, 7, packed);
  CHECK(packed[0] == 0x10);
  qk::scalar::QuantizeNibbleBlockRows(qk::NibbleRounding::kOnnx, nan_first, {1, 4, 2}, inv, zp, -8,
                                      7, packed);
  CHECK(packed[0] == 0x18);
  CHECK(packed[1] == 0x73);
  // GGUF's Q4_0 with d = -2 (id -0.5) and 0.5 (id 2): -100 -> 58.5 -> 15,
  // 1 -> 8.0 -> 8; 2.5 -> 13.5 -> 13, 100 -> 15.
  const float d[2] = {-2.0f, 0.5f};
  qk::scalar::QuantizeNibbleBlockRows(qk::NibbleRounding::kGgufQ4_0, x, {1, 4, 2}, d, zp, 0, 15,
                                      packed);
  CHECK(packed[0] == 0x8F);
  CHECK(packed[1] == 0xFD);
}

TEST_CASE("block rows of nibbles: every target matches the scalar kernels") {
  using qk::NibbleRounding;
  ForEachTarget([] {
    for (size_t size : {2u, 4u, 16u, 30u, 32u, 34u, 100u, 4096u}) {
      for (size_t block : {2u, 6u, 16u, 32u, 34u, 64u, 128u}) {
        for (int32_t qmin : {-8, 0}) {
          CAPTURE(size);
          CAPTURE(block);
          CAPTURE(qmin);
          const int32_t qmax = qmin == -8 ? 7 : 15;
          const qk::BlockRows b{3, size, block};
          const size_t blocks = 3 * ((size + block - 1) / block);
          std::vector<float> inv(blocks), scales(blocks);
          std::vector<int32_t> zp(blocks);
          std::mt19937 rng(static_cast<uint32_t>(size * 137 + block));
          for (size_t p = 0; p < blocks; ++p) {
            scales[p] = 0.05f + static_cast<float>(rng() % 100) * 0.01f;
            inv[p] = 1.0f / scales[p];
            zp[p] = qmin + static_cast<int32_t>(rng() % static_cast<uint32_t>(qmax - qmin + 1));
          }
          // GGUF's d: negative as Q4_0's own, 0 (id 0), and positive.
          std::vector<float> d(blocks);
          for (size_t p = 0; p < blocks; ++p)
            d[p] = p % 5 == 4 ? 0.0f : (p % 2 ? -1.0f : 1.0f) * scales[p];
          // Unaligned input and output; NaN, infinities and ties among the values.
          const std::vector<float> x = TestFloats(3 * size + 1, 13);
          const size_t bytes = 3 * size / 2;
          const std::pair<NibbleRounding, const float*> roundings[] = {
              {NibbleRounding::kPyTorch, inv.data()},
              {NibbleRounding::kOnnx, scales.data()},
              {NibbleRounding::kGgufQ4_0, d.data()}};
          for (const auto& rounding_factors : roundings) {
            const NibbleRounding rounding = rounding_factors.first;
            const float* factors = rounding_factors.second;
            CAPTURE(static_cast<int>(rounding));
            std::vector<uint8_t> q(bytes + 1, 0xAA), want(bytes + 1, 0xAA);
            qk::QuantizeNibbleBlockRows(rounding, x.data() + 1, b, factors, zp.data(), qmin, qmax,
                                        q.data() + 1);
            qk::scalar::QuantizeNibbleBlockRows(rounding, x.data() + 1, b, factors, zp.data(), qmin,
                                                qmax, want.data() + 1);
            REQUIRE(q == want);
          }
          std::vector<uint8_t> q(bytes + 1, 0xAA);
          // Every byte value, not only those quantize gives.
          for (size_t i = 1; i <= bytes; ++i) q[i] = static_cast<uint8_t>(rng());
          std::vector<float> expected(3 * size + 1);
          qk::scalar::DequantizeNibbleBlockRows(q.data() + 1, qmin < 0, b, scales.data(), zp.data(),
                                                expected.data() + 1);
          RequireBothStores(expected, [&](bool stream, float* out) {
            qk::DequantizeNibbleBlockRows(q.data() + 1, qmin < 0, b, scales.data(), zp.data(),
                                          stream, out);
          });
        }
      }
    }
  });
}
