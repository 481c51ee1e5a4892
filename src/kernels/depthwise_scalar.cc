// The scalar depthwise sums (depthwise_kernels.h): the definition the SIMD
// kernels are held to.
#include "kernels/depthwise_kernels.h"

namespace qtensor::kernels::scalar {

void DepthwiseSums(const uint8_t* const* inputs, const int32_t* const* weights, size_t taps,
                   int32_t zero_point, size_t pixels, size_t pixel_step, size_t first, size_t end,
                   int32_t* sums) {
  for (size_t q = 0; q < pixels; ++q) {
    for (size_t c = first; c < end; ++c) {
      int32_t sum = 0;
      for (size_t t = 0; t < taps; ++t) {
        sum += (int32_t{inputs[t][q * pixel_step + c]} - zero_point) * weights[t][c];
      }
      sums[q * end + c] = sum;
    }
  }
}

}  // namespace qtensor::kernels::scalar
