// The sum of each row of unsigned bytes (the matrix product's row sums:
// sums[i] = a[i * stride] + ... + a[i * stride + depth - 1]), exact in
// int32 for depth below 2^23. Each Highway target gives the scalar
// kernel's sums.
#ifndef QTENSOR_KERNELS_ROW_SUM_KERNELS_H_
#define QTENSOR_KERNELS_ROW_SUM_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

void RowSums(const uint8_t* a, size_t rows, size_t depth, size_t stride, int32_t* sums);

namespace scalar {
void RowSums(const uint8_t* a, size_t rows, size_t depth, size_t stride, int32_t* sums);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_ROW_SUM_KERNELS_H_
