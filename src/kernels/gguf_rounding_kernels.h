// GGUF rounding with given scales (core/gguf_rounding.h): the value
// functions of gguf_block_kernels.h (scalar::QuantizeQ8_0Value,
// QuantizeQ4_0Value, with id = GgufInverseScale(d)) over contiguous floats,
// one byte out per value: Q8_0's int8 bit pattern or Q4_0's nibble in
// [0, 15]. Each Highway target gives the scalar kernel's results bit for
// bit (roundf's ties away from zero, the clamps, NaN -> 0).
#ifndef QTENSOR_KERNELS_GGUF_ROUNDING_KERNELS_H_
#define QTENSOR_KERNELS_GGUF_ROUNDING_KERNELS_H_

#include <cstddef>
#include <cstdint>

#include "kernels/block_row_kernels.h"
#include "kernels/float_qparams_kernels.h"

namespace qtensor::kernels {

enum class GgufValues { kQ8_0, kQ4_0 };

// Per tensor / per channel: element (o, c, i) of b uses scales[c].
void QuantizeGgufChannels(GgufValues values, const float* in, const ChannelBlock& b,
                          const float* scales, uint8_t* out);
// Blocks along rows (block_row_kernels.h): each block uses its scale.
void QuantizeGgufBlockRows(GgufValues values, const float* in, const BlockRows& b,
                           const float* scales, uint8_t* out);

namespace scalar {
// One value with scale d.
uint8_t QuantizeGgufValue(GgufValues values, float x, float d);
void QuantizeGgufChannels(GgufValues values, const float* in, const ChannelBlock& b,
                          const float* scales, uint8_t* out);
void QuantizeGgufBlockRows(GgufValues values, const float* in, const BlockRows& b,
                           const float* scales, uint8_t* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_GGUF_ROUNDING_KERNELS_H_
