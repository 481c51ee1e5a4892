#include <algorithm>

#include "kernels/block_row_kernels.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::kernels::scalar {

void QuantizeBlockRows(const float* in, const BlockRows& b, const float* inv_scales,
                       const int32_t* zero_points, int32_t qmin, int32_t qmax, uint8_t* out) {
  ForEachBlock(b, [&](size_t first, size_t count, size_t p) {
    for (size_t i = first; i < first + count; ++i) {
      const int32_t q = QuantizeValue<int32_t>(in[i], inv_scales[p], zero_points[p]);
      out[i] = static_cast<uint8_t>(std::clamp(q, qmin, qmax));
    }
  });
}

void DequantizeBlockRows(const uint8_t* in, bool is_signed, const BlockRows& b, const float* scales,
                         const int32_t* zero_points, float* out) {
  ForEachBlock(b, [&](size_t first, size_t count, size_t p) {
    for (size_t i = first; i < first + count; ++i) {
      const int32_t q = is_signed ? int32_t{static_cast<int8_t>(in[i])} : int32_t{in[i]};
      out[i] = static_cast<float>(q - zero_points[p]) * scales[p];
    }
  });
}

}  // namespace qtensor::kernels::scalar
