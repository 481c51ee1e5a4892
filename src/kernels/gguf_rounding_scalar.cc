// The scalar GGUF-rounding kernels: gguf_block_kernels.h's value functions
// element by element.

#include "kernels/gguf_block_kernels.h"
#include "kernels/gguf_rounding_kernels.h"

namespace qtensor::kernels::scalar {

uint8_t QuantizeGgufValue(GgufValues values, float x, float d) {
  const float id = GgufInverseScale(d);
  if (values == GgufValues::kQ4_0) return QuantizeQ4_0Value(x, id);
  return static_cast<uint8_t>(QuantizeQ8_0Value(x, id));
}

void QuantizeGgufChannels(GgufValues values, const float* in, const ChannelBlock& b,
                          const float* scales, uint8_t* out) {
  ForEachChannelElement(
      b, [&](size_t k, size_t c) { out[k] = QuantizeGgufValue(values, in[k], scales[c]); });
}

void QuantizeGgufBlockRows(GgufValues values, const float* in, const BlockRows& b,
                           const float* scales, uint8_t* out) {
  ForEachRowBlock(b, [&](const Block& block) {
    for (size_t k = block.first; k < block.first + block.count; ++k) {
      out[k] = QuantizeGgufValue(values, in[k], scales[block.param]);
    }
  });
}

}  // namespace qtensor::kernels::scalar
