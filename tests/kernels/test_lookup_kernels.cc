// The byte-table kernel on every Highway target against the scalar one: all
// 256 bytes, random data at lengths around the vector sizes, unaligned
// starts, in place, and outputs large enough to be streamed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/lookup_kernels.h"
#include "kernels/quantize_kernels.h"

namespace {

namespace qk = qtensor::kernels;

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(n);
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

// A table no simpler rule gives: random entries.
std::vector<uint8_t> RandomTable(uint32_t seed) { return RandomBytes(256, seed); }

TEST_CASE("LookupBytes maps every byte through its table entry") {
  const std::vector<uint8_t> table = RandomTable(7);
  std::vector<uint8_t> every(256);
  for (int k = 0; k < 256; ++k) every[k] = static_cast<uint8_t>(k);
  ForEachTarget([&] {
    std::vector<uint8_t> got(256);
    qk::LookupBytes(every.data(), every.size(), table.data(), got.data());
    CHECK(got == table);
  });
}

TEST_CASE("LookupBytes matches the scalar kernel") {
  const size_t lengths[] = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 4097};
  ForEachTarget([&] {
    for (size_t n : lengths) {
      for (size_t in_offset : {0, 1, 5}) {
        for (size_t out_offset : {0, 3}) {
          const std::vector<uint8_t> table = RandomTable(static_cast<uint32_t>(n + 1));
          const std::vector<uint8_t> in = RandomBytes(n + in_offset, static_cast<uint32_t>(n));
          std::vector<uint8_t> want(n + out_offset), got(n + out_offset);
          qk::scalar::LookupBytes(in.data() + in_offset, n, table.data(), want.data() + out_offset);
          qk::LookupBytes(in.data() + in_offset, n, table.data(), got.data() + out_offset);
          CHECK(got == want);
          std::vector<uint8_t> in_place = in;
          qk::LookupBytes(in_place.data() + in_offset, n, table.data(),
                          in_place.data() + in_offset);
          CHECK(
              std::equal(in_place.begin() + in_offset, in_place.end(), want.begin() + out_offset));
        }
      }
    }
  });
}

TEST_CASE("LookupBytes streams large outputs with the same bytes") {
  const size_t n = qk::kStreamBytes + 77;
  const std::vector<uint8_t> table = RandomTable(3);
  const std::vector<uint8_t> in = RandomBytes(n + 1, 11);
  std::vector<uint8_t> want(n + 9);
  qk::scalar::LookupBytes(in.data() + 1, n, table.data(), want.data() + 9);
  ForEachTarget([&] {
    std::vector<uint8_t> got(n + 9);
    qk::LookupBytes(in.data() + 1, n, table.data(), got.data() + 9);  // unaligned output
    CHECK(got == want);
  });
}

}  // namespace
