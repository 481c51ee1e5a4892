// Tests of the per-channel tables a quantizer owns: the float forms the
// kernels read, runs from a channel on, shared copies, and when per-channel
// dequantize may run in float arithmetic.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>

#include "core/channel_tables.h"

namespace {

using qtensor::core::ChannelTables;
using qtensor::kernels::ChannelParams;

template <typename T>
uint64_t Bits(T v) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  return bits;
}

TEST_CASE("channel tables hold the float forms, and whether float arithmetic is exact") {
  const ChannelTables tables({0.5, 0.1, 3.0}, {-3, 0, 7});
  const ChannelParams p = tables.Params();
  CHECK(p.scales[1] == 0.1);
  CHECK(p.zero_points[0] == -3);
  CHECK(Bits(p.inv_scales[1]) == Bits(1.0f / 0.1f));
  CHECK(Bits(p.float_scales[1]) == Bits(0.1f));
  CHECK(p.small_zero_points[2] == 7);
  CHECK_FALSE(p.float_arithmetic);  // 0.1 is not a float32 value
  // From(c) moves every array to channel c.
  const ChannelParams from = p.From(2);
  CHECK(from.scales[0] == 3.0);
  CHECK(from.zero_points[0] == 7);
  CHECK(from.inv_scales[0] == 1.0f / 3.0f);
  CHECK(from.float_scales[0] == 3.0f);
  CHECK(from.small_zero_points[0] == 7);
  // Copies share the (immutable) tables; no tables have no channels.
  const ChannelTables copy = tables;
  CHECK(copy.Params().float_scales == p.float_scales);
  CHECK(ChannelTables().scales().empty());
  // Float arithmetic: float32 scales and zero points in [-2^23, 2^23).
  constexpr int64_t kSmall = int64_t{1} << 23;
  CHECK(ChannelTables({0.1f, 0x1p-149}, {-kSmall, kSmall - 1}).Params().float_arithmetic);
  CHECK_FALSE(ChannelTables({0.5, 0.5}, {0, kSmall}).Params().float_arithmetic);
  CHECK_FALSE(ChannelTables({0.5, 0.5}, {-kSmall - 1, 0}).Params().float_arithmetic);
  CHECK_FALSE(ChannelTables({0.5, 1e-300}, {0, 0}).Params().float_arithmetic);
}

}  // namespace
