// Conversions between the three forms of a dtype's integers (core/dtype.h):
// storage (packed for the sub-byte dtypes), int_repr (one integer of
// ElementSize bytes per element) and compute (the integer type of the
// compute dtype). For the compute dtypes all three are the same.
#ifndef QTENSOR_CORE_DTYPE_CONVERSION_H_
#define QTENSOR_CORE_DTYPE_CONVERSION_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dtype.h"

namespace qtensor::core {

// Packed dtypes: reads count elements from storage element `first` on as
// int_repr values (sign-extended for qint4).
void UnpackElements(DType dtype, const uint8_t* storage, int64_t first, size_t count, uint8_t* out);
// Packed dtypes: writes count int_repr values, each in the dtype's range
// (NarrowFromCompute or CheckIntReprRange made sure), into storage from
// element `first` on; the other elements sharing the first and last bytes
// keep their values.
void PackElements(DType dtype, const uint8_t* in, size_t count, uint8_t* storage, int64_t first);

// int_repr -> compute: count values (16-bit ones widen to int32).
void WidenToCompute(DType dtype, const void* int_repr, size_t count, void* compute);
// compute -> int_repr, each value saturated to the dtype's range (the last
// step of quantize: clamping to the compute dtype's range and then to this
// narrower one is clamping to this one). compute and int_repr may be the
// same buffer.
void NarrowFromCompute(DType dtype, const void* compute, size_t count, void* int_repr);

// One integer at a time in storage form, for parameter lists stored as a
// dtype stores its values (zero points in files): element i of storage,
// sign-extended for the signed dtypes; and count values, each in dtype's
// range, as StorageBytes(dtype, count) bytes (a packed last byte's unused
// high bits 0).
int64_t StoredInteger(DType dtype, const uint8_t* storage, size_t i);
std::vector<uint8_t> IntegersToStorage(DType dtype, const int64_t* values, size_t count);

// Throws kInvalidArgument naming the first of count int_repr values outside
// the dtype's range (possible only for the packed dtypes).
void CheckIntReprRange(DType dtype, const void* int_repr, size_t count);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_DTYPE_CONVERSION_H_
