#include <algorithm>
#include <vector>

#include "kernels/block_row_kernels.h"
#include "kernels/nibble_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::kernels::scalar {

void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    for (size_t i = first; i < first + count; ++i) {
      const int32_t q = QuantizeValue<int32_t>(in[i], inv_scales[p], zero_points[p]);
      out[i] = static_cast<uint8_t>(std::clamp(q, qmin, qmax));
    }
  });
}

void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out) {
  ForEachRowBlock(b, [&](const Block& block) {
    const size_t first = block.first, count = block.count, p = block.param;
    for (size_t i = first; i < first + count; ++i) {
      const int32_t q = is_signed ? int32_t{static_cast<int8_t>(in[i])} : int32_t{in[i]};
      out[i] = static_cast<float>(q - zero_points[p]) * scales[p];
    }
  });
}

// The byte kernels above with the values unpacked, so each formula stays in
// one place.
void QuantizeNibbleBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                             const int32_t* zero_points, int32_t qmin, int32_t qmax,
                             uint8_t* packed) {
  std::vector<uint8_t> values(b.rows * b.size);
  scalar::QuantizeBlockRows(in, b, inv_scales, zero_points, qmin, qmax, values.data());
  scalar::PackNibbles(values.data(), values.size() / 2, packed);
}

void DequantizeNibbleBlockRows(const uint8_t* packed, bool is_signed, const BlockRows& b,
                               const float* scales, const int32_t* zero_points, float* out) {
  std::vector<uint8_t> values(b.rows * b.size);
  scalar::UnpackNibbles(packed, values.size() / 2, is_signed, values.data());
  scalar::DequantizeBlockRows(values.data(), is_signed, b, scales, zero_points, out);
}

}  // namespace qtensor::kernels::scalar
