// The scalar row sums (row_sum_kernels.h): the definition the SIMD kernels
// are held to.
#include "kernels/row_sum_kernels.h"

namespace qtensor::kernels::scalar {

void RowSums(const uint8_t* a, size_t rows, size_t depth, size_t stride, int32_t* sums) {
  for (size_t i = 0; i < rows; ++i) {
    int32_t sum = 0;
    for (size_t k = 0; k < depth; ++k) sum += a[i * stride + k];
    sums[i] = sum;
  }
}

}  // namespace qtensor::kernels::scalar
