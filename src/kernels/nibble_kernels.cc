// Nibble packing kernels (nibble_kernels.h) in Google Highway 1.0.3: whole
// vectors in SIMD code, the rest through the scalar kernel.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/nibble_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <cstdint>

#include "kernels/nibble_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane: no 16-bit lane holds two bytes there.
void Pack(const uint8_t* values, size_t pairs, uint8_t* out) {
  scalar::PackNibbles(values, pairs, out);
}
void Unpack(const uint8_t* packed, size_t pairs, bool sign_extend, uint8_t* out) {
  scalar::UnpackNibbles(packed, pairs, sign_extend, out);
}
#else
// Pairs of bytes seen as little-endian 16-bit lanes: value 2i is a lane's
// low byte, value 2i + 1 its high byte.
void Pack(const uint8_t* values, size_t pairs, uint8_t* out) {
  const hn::ScalableTag<uint16_t> d16;
  const hn::Repartition<uint8_t, decltype(d16)> d8;
  const hn::Rebind<uint8_t, decltype(d16)> d8_half;
  const hn::Rebind<int16_t, decltype(d16)> di16;
  const size_t lanes = hn::Lanes(d16);
  const auto low = hn::Set(d16, uint16_t{0x000F});
  const auto high = hn::Set(d16, uint16_t{0x00F0});
  size_t i = 0;
  for (; i + lanes <= pairs; i += lanes) {
    const auto w = hn::BitCast(d16, hn::LoadU(d8, values + 2 * i));
    const auto both = hn::Or(hn::And(w, low), hn::And(hn::ShiftRight<4>(w), high));
    hn::StoreU(hn::DemoteTo(d8_half, hn::BitCast(di16, both)), d8_half, out + i);
  }
  scalar::PackNibbles(values + 2 * i, pairs - i, out + i);
}

void Unpack(const uint8_t* packed, size_t pairs, bool sign_extend, uint8_t* out) {
  const hn::ScalableTag<uint16_t> d16;
  const hn::Repartition<uint8_t, decltype(d16)> d8;
  const hn::Rebind<uint8_t, decltype(d16)> d8_half;
  const size_t lanes = hn::Lanes(d16);
  const auto low = hn::Set(d16, uint16_t{0x000F});
  const auto sign = hn::Set(d8, static_cast<uint8_t>(sign_extend ? 8 : 0));
  size_t i = 0;
  for (; i + lanes <= pairs; i += lanes) {
    const auto w = hn::PromoteTo(d16, hn::LoadU(d8_half, packed + i));
    const auto split = hn::Or(hn::And(w, low), hn::ShiftLeft<4>(hn::AndNot(low, w)));
    const auto bytes = hn::BitCast(d8, split);
    hn::StoreU(hn::Sub(hn::Xor(bytes, sign), sign), d8, out + 2 * i);
  }
  scalar::UnpackNibbles(packed + i, pairs - i, sign_extend, out + 2 * i);
}
#endif  // HWY_SCALAR

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Pack);
HWY_EXPORT(Unpack);

void PackNibbles(const uint8_t* values, size_t pairs, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Pack)(values, pairs, out);
}

void UnpackNibbles(const uint8_t* packed, size_t pairs, bool sign_extend, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Unpack)(packed, pairs, sign_extend, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
