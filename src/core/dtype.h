// The quantized integer types, their ranges and how they are stored.
//
// Each dtype has a storage form and an int_repr form. Most are one integer
// per element in both. The packed dtypes (quint4x2, quint2x4, qint4, quint4)
// store several elements per byte, the first in the low bits, and their
// int_repr gives one int8/uint8 per element. Arithmetic (quantize,
// dequantize, the operators) runs on three compute dtypes: qint8, quint8
// and qint32; every other dtype computes in the compute dtype that holds
// its range (core/dtype_conversion.h converts).
#ifndef QTENSOR_CORE_DTYPE_H_
#define QTENSOR_CORE_DTYPE_H_

#include <cstddef>
#include <cstdint>

#include "core/error.h"

namespace qtensor::core {

// Values equal the C ABI's qt_dtype and the file format's DType.
enum class DType {
  kQInt8 = 1,
  kQUInt8 = 2,
  kQInt32 = 3,
  kQInt16 = 4,
  kQUInt16 = 5,
  kQUInt4x2 = 6,  // PyTorch's: two 4-bit values per byte, range [0, 15]
  kQUInt2x4 = 7,  // PyTorch's: four 2-bit values per byte, range [0, 3]
  kQInt4 = 8,     // ONNX's int4: two per byte, range [-8, 7]
  kQUInt4 = 9,    // ONNX's uint4: two per byte, range [0, 15]
};

bool IsValidDType(int value);
const char* DTypeName(DType dtype);  // "qint8"; PyTorch's spelling where it has one
int64_t QMin(DType dtype);
int64_t QMax(DType dtype);
// Bits one element takes in storage: 2, 4, 8, 16 or 32.
int ElementBits(DType dtype);
// Bytes of one element of int_repr (qt_dtype_size): 1 for the packed dtypes.
size_t ElementSize(DType dtype);
// Whether several elements share a byte in storage.
inline bool IsPacked(DType dtype) { return ElementBits(dtype) < 8; }
// The bytes holding count elements in storage (whole bytes, last one
// possibly part-filled). count must be non-negative.
size_t StorageBytes(DType dtype, int64_t count);
// qint8, quint8 or qint32: the dtype dtype's arithmetic runs in.
DType ComputeDType(DType dtype);
inline bool IsComputeDType(DType dtype) { return ComputeDType(dtype) == dtype; }

// Calls fn(T{}) with T the integer type of a compute dtype; throws
// kTypeMismatch for the others, which only the core converts (their
// integers are not T's in storage).
template <typename Fn>
decltype(auto) VisitDType(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::kQInt8:
      return fn(int8_t{});
    case DType::kQUInt8:
      return fn(uint8_t{});
    case DType::kQInt32:
      return fn(int32_t{});
    default:
      break;
  }
  Fail(ErrorKind::kTypeMismatch, std::string(DTypeName(dtype)) +
                                     " is a storage dtype: the operators compute on qint8, quint8 "
                                     "and qint32 (requantize to one of them first)");
}

// Calls fn(T{}) with T the integer type of dtype's compute dtype.
template <typename Fn>
decltype(auto) VisitComputeType(DType dtype, Fn&& fn) {
  return VisitDType(ComputeDType(dtype), fn);
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_DTYPE_H_
