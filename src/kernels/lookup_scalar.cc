// The scalar byte-table kernel: the definition the SIMD ones are held to.
#include "kernels/lookup_kernels.h"

namespace qtensor::kernels::scalar {

void LookupBytes(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out) {
  for (size_t i = 0; i < n; ++i) out[i] = table[in[i]];
}

}  // namespace qtensor::kernels::scalar
