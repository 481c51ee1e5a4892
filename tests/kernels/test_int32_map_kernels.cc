// The int32 map on every Highway target against the scalar kernels composed,
// bit for bit: int32 extremes and differences to the zero point that need
// 33 bits, results past int32 (saturating) and near the 2^30 shortcut
// bounds, a zero output zero point (sigmoid's and tanh's), long inputs
// (streamed stores) and in-place calls.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/int32_map_kernels.h"

namespace {

namespace qk = qtensor::kernels;

constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax = std::numeric_limits<int32_t>::max();

// Runs of one size class, so that whole vectors take each path.
std::vector<int32_t> Inputs(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> small(-300000, 300000), any(kMin, kMax);
  const int32_t specials[] = {kMin, kMax, 0, -1, 1, 16777217, -16777217, 1 << 30};
  std::vector<int32_t> values(n);
  for (size_t i = 0; i < n; ++i) {
    switch ((i / 40) % 3) {
      case 0:
        values[i] = small(rng);
        break;
      case 1:
        values[i] = any(rng);
        break;
      default:
        values[i] = i % 3 ? small(rng) : specials[(i / 3) % 8];
    }
  }
  return values;
}

TEST_CASE("MapInt32 matches the scalar kernels composed") {
  struct Case {
    float scale;
    int64_t zero_point;
    float inv_scale;
    int64_t out_zero_point;
  };
  const Case cases[] = {{0.05f, 3, 1.0f / 0.07f, -5},
                        {1.0f, kMin, 1.0f, kMax},
                        {1.0f, kMax, 0.5f, 0},
                        {2.0f, 0, 1.0f, (1 << 30) - 1},
                        {3e-5f, -77, 40000.0f, 1 << 30},
                        {1e30f, 0, 1e-30f, kMin},
                        // sigmoid's and tanh's qint32 outputs: 2^-32 and 2^-31, zero point 0
                        {0.05f, 3, 4294967296.0f, 0},
                        {2e-9f, -5, 2147483648.0f, 0}};
  const size_t lengths[] = {0, 1, 15, 16, 17, 33, 1000, 70000};
  const qk::Int32Map maps[] = {qk::Int32Map::kIdentity, qk::Int32Map::kLeakyRelu,
                               qk::Int32Map::kHardswish, qk::Int32Map::kSigmoid,
                               qk::Int32Map::kTanh};
  ForEachTarget([&] {
    for (const Case& c : cases) {
      for (const qk::Int32Map map : maps) {
        for (const size_t n : lengths) {
          for (const size_t offset : {0, 3}) {
            CAPTURE(c.scale);
            CAPTURE(c.zero_point);
            CAPTURE(static_cast<int>(map));
            CAPTURE(n);
            CAPTURE(offset);
            const std::vector<int32_t> in = Inputs(n + offset, static_cast<uint32_t>(n));
            const qk::Int32MapParams p{c.scale, c.zero_point, map,
                                       -0.3f,   c.inv_scale,  c.out_zero_point};
            std::vector<int32_t> want(n + offset), got(n + offset), in_place = in;
            qk::scalar::MapInt32(in.data() + offset, n, p, want.data() + offset);
            qk::MapInt32(in.data() + offset, n, p, got.data() + offset);
            qk::MapInt32(in_place.data() + offset, n, p, in_place.data() + offset);
            CHECK(got == want);
            for (size_t i = 0; i < offset; ++i) want[i] = in[i];
            CHECK(in_place == want);
          }
        }
      }
    }
  });
}

TEST_CASE("scalar MapInt32 gives the hand-worked answers") {
  const int32_t in[] = {10, -10, 1000};
  int32_t out[3];
  // (q - 2) * 0.5 -> leaky relu with slope 0.25 -> / 0.25 + 1
  qk::scalar::MapInt32(in, 3, {0.5f, 2, qk::Int32Map::kLeakyRelu, 0.25f, 4.0f, 1}, out);
  CHECK(out[0] == 17);    // 4 * 4 + 1
  CHECK(out[1] == -5);    // -6 * 0.25 * 4 + 1
  CHECK(out[2] == 1997);  // 499 * 4 + 1
  // hardswish of (q - 0) * 0.5: 5 -> 5; -5 -> 0; 500 -> 500
  qk::scalar::MapInt32(in, 3, {0.5f, 0, qk::Int32Map::kHardswish, 0.0f, 2.0f, 0}, out);
  CHECK(out[0] == 10);
  CHECK(out[1] == 0);
  CHECK(out[2] == 1000);
  // sigmoid into 2^-32 steps: 5 -> 0.99330717 and 500 -> 1 (both saturate),
  // -5 -> 0.006692851 (its float times 2^32)
  qk::scalar::MapInt32(in, 3, {0.5f, 0, qk::Int32Map::kSigmoid, 0.0f, 4294967296.0f, 0}, out);
  CHECK(out[0] == kMax);
  CHECK(out[1] == 28745576);
  CHECK(out[2] == kMax);
  // tanh into 2^-31 steps: 0.5 -> 0.46211717, -0.5 -> -0.46211717, 50 -> 1
  // (saturates)
  qk::scalar::MapInt32(in, 3, {0.05f, 0, qk::Int32Map::kTanh, 0.0f, 2147483648.0f, 0}, out);
  CHECK(out[0] == 992389056);
  CHECK(out[1] == -992389056);
  CHECK(out[2] == kMax);
}

}  // namespace
