// Byte tables: out[i] = table[in[i]] over contiguous arrays, for any
// function of one 8-bit integer (src/ops/lookup_table.h builds the tables).
// out may be in. Each Highway target gives the scalar kernel's bytes.
#ifndef QTENSOR_KERNELS_LOOKUP_KERNELS_H_
#define QTENSOR_KERNELS_LOOKUP_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

// table has 256 entries, indexed by the input byte (an int8 by its two's
// complement bits).
void LookupBytes(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out);

namespace scalar {
void LookupBytes(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_LOOKUP_KERNELS_H_
