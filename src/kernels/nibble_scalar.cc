#include "kernels/nibble_kernels.h"

namespace qtensor::kernels::scalar {

void PackNibbles(const uint8_t* values, size_t pairs, uint8_t* out) {
  for (size_t i = 0; i < pairs; ++i) {
    out[i] = static_cast<uint8_t>((values[2 * i] & 15) | (values[2 * i + 1] << 4));
  }
}

void UnpackNibbles(const uint8_t* packed, size_t pairs, bool sign_extend, uint8_t* out) {
  const unsigned sign = sign_extend ? 8 : 0;
  for (size_t i = 0; i < pairs; ++i) {
    // (v ^ 8) - 8 sign-extends a nibble; with sign 0 it is v.
    out[2 * i] = static_cast<uint8_t>(((packed[i] & 15u) ^ sign) - sign);
    out[2 * i + 1] = static_cast<uint8_t>(((packed[i] >> 4) ^ sign) - sign);
  }
}

}  // namespace qtensor::kernels::scalar
