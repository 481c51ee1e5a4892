// Output pixels of a depthwise convolution, `pixels` of them along a row:
// for pixel q and every channel c in [first, end),
//
//   sums[q * end + c] = sum over taps t of
//                       (inputs[t][q * pixel_step + c] - zero_point) * weights[t][c]
//
// in int32 (the callers keep every sum within int32: exact), inputs[t] the
// first pixel's input under tap t (unsigned bytes, channels-last; the next
// pixel's is pixel_step bytes on) and weights the centered weights of each
// tap. Each Highway target gives the scalar kernel's sums.
#ifndef QTENSOR_KERNELS_DEPTHWISE_KERNELS_H_
#define QTENSOR_KERNELS_DEPTHWISE_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

void DepthwiseSums(const uint8_t* const* inputs, const int32_t* const* weights, size_t taps,
                   int32_t zero_point, size_t pixels, size_t pixel_step, size_t first, size_t end,
                   int32_t* sums);

namespace scalar {
void DepthwiseSums(const uint8_t* const* inputs, const int32_t* const* weights, size_t taps,
                   int32_t zero_point, size_t pixels, size_t pixel_step, size_t first, size_t end,
                   int32_t* sums);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_DEPTHWISE_KERNELS_H_
