// The scalar sum requantization (sum_requantize_kernels.h): the definition
// the SIMD kernels are held to.
#include <algorithm>
#include <cstdint>

#include "kernels/quantize_kernels.h"
#include "kernels/sum_requantize_kernels.h"

namespace qtensor::kernels::scalar {
namespace {

template <typename T>
void Requantize(const int32_t* sums, size_t n, const SumRequantizeParams& p, T* out) {
  for (size_t j = 0; j < n; ++j) {
    const uint32_t zero = p.weight_zero_points ? static_cast<uint32_t>(p.weight_zero_points[j]) : 0;
    const uint32_t acc = static_cast<uint32_t>(sums[j]) - zero * static_cast<uint32_t>(p.row_sum) +
                         static_cast<uint32_t>(p.column_terms[j]);
    const T q = QuantizeValue<T>(static_cast<float>(static_cast<int32_t>(acc)), p.multipliers[j],
                                 p.zero_point);
    out[j] = static_cast<T>(std::max<int32_t>(q, p.floor));
  }
}

}  // namespace

void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, uint8_t* out) {
  Requantize(sums, n, p, out);
}
void RequantizeSums(const int32_t* sums, size_t n, const SumRequantizeParams& p, int8_t* out) {
  Requantize(sums, n, p, out);
}

}  // namespace qtensor::kernels::scalar
