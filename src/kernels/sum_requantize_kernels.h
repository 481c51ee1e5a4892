// The last step of linear and conv: one row of the matrix product's int32
// sums to 8-bit outputs with a scale per column (docs/numerics.md, "Linear"):
//
//   acc[j] = sums[j] - weight_zero_points[j] * row_sum + column_terms[j]
//   out[j] = QuantizeValue(float(acc[j]), multipliers[j], zero_point),
//            then at least `floor`
//
// acc in wrapping int32 arithmetic: the callers use these kernels only where
// every true acc fits in int32, so it is exact. Each Highway target gives
// the scalar kernel's bits.
#ifndef QTENSOR_KERNELS_SUM_REQUANTIZE_KERNELS_H_
#define QTENSOR_KERNELS_SUM_REQUANTIZE_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

struct SumRequantizeParams {
  int32_t row_sum = 0;
  const int32_t* weight_zero_points = nullptr;  // nullptr: all zero
  const int32_t* column_terms = nullptr;
  const float* multipliers = nullptr;
  int32_t zero_point = 0;
  int32_t floor = INT32_MIN;  // the zero point for relu
};

void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, uint8_t* out);
void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, int8_t* out);

namespace scalar {
void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, uint8_t* out);
void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, int8_t* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_SUM_REQUANTIZE_KERNELS_H_
