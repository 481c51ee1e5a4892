#include "core/dtype.h"

#include <limits>

namespace qtensor::core {
namespace {

struct DTypeInfo {
  DType dtype;
  const char* name;
  int bits;
  int64_t qmin, qmax;
  DType compute;
};

constexpr int64_t kInt32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();

constexpr DTypeInfo kDTypes[] = {
    {DType::kQInt8, "qint8", 8, -128, 127, DType::kQInt8},
    {DType::kQUInt8, "quint8", 8, 0, 255, DType::kQUInt8},
    {DType::kQInt32, "qint32", 32, kInt32Min, kInt32Max, DType::kQInt32},
    {DType::kQInt16, "qint16", 16, -32768, 32767, DType::kQInt32},
    {DType::kQUInt16, "quint16", 16, 0, 65535, DType::kQInt32},
    {DType::kQUInt4x2, "quint4x2", 4, 0, 15, DType::kQUInt8},
    {DType::kQUInt2x4, "quint2x4", 2, 0, 3, DType::kQUInt8},
    {DType::kQInt4, "qint4", 4, -8, 7, DType::kQInt8},
    {DType::kQUInt4, "quint4", 4, 0, 15, DType::kQUInt8},
};

const DTypeInfo& Info(DType dtype) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.dtype == dtype) return info;
  }
  Fail(ErrorKind::kInvalidArgument, "unknown dtype " + std::to_string(static_cast<int>(dtype)));
}

}  // namespace

bool IsValidDType(int value) {
  for (const DTypeInfo& info : kDTypes) {
    if (static_cast<int>(info.dtype) == value) return true;
  }
  return false;
}

const char* DTypeName(DType dtype) {
  for (const DTypeInfo& info : kDTypes) {
    if (info.dtype == dtype) return info.name;
  }
  return "unknown";
}

int64_t QMin(DType dtype) { return Info(dtype).qmin; }
int64_t QMax(DType dtype) { return Info(dtype).qmax; }
int ElementBits(DType dtype) { return Info(dtype).bits; }
DType ComputeDType(DType dtype) { return Info(dtype).compute; }

size_t ElementSize(DType dtype) {
  const int bits = ElementBits(dtype);
  return bits < 8 ? 1 : static_cast<size_t>(bits / 8);
}

size_t StorageBytes(DType dtype, int64_t count) {
  const auto bits = static_cast<uint64_t>(ElementBits(dtype));
  return static_cast<size_t>((static_cast<uint64_t>(count) * bits + 7) / 8);
}

}  // namespace qtensor::core
