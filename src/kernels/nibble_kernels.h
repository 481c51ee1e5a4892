// Two 4-bit values per byte, the first in the low nibble (PyTorch's
// quint4x2, ONNX's int4 / uint4): packing values held one per byte, and
// unpacking them. Each Highway target gives the scalar kernel's bytes.
#ifndef QTENSOR_KERNELS_NIBBLE_KERNELS_H_
#define QTENSOR_KERNELS_NIBBLE_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

// out[i] = (values[2i] & 15) | (values[2i + 1] << 4) for i < pairs; the
// values are already in their 4-bit range (their high bits are dropped).
void PackNibbles(const uint8_t* values, size_t pairs, uint8_t* out);
// The inverse: 2 * pairs values; with sign_extend (int4) each nibble's bit
// 3 is its sign, giving the int8 bit pattern.
void UnpackNibbles(const uint8_t* packed, size_t pairs, bool sign_extend, uint8_t* out);

namespace scalar {
void PackNibbles(const uint8_t* values, size_t pairs, uint8_t* out);
void UnpackNibbles(const uint8_t* packed, size_t pairs, bool sign_extend, uint8_t* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_NIBBLE_KERNELS_H_
