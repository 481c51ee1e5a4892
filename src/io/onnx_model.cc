#include "io/onnx_model.h"

#include <utility>

namespace qtensor::io::onnx {

std::string DataTypeName(int64_t type) {
  switch (type) {
    case kFloat:
      return "FLOAT";
    case kUint8:
      return "UINT8";
    case kInt8:
      return "INT8";
    case kUint16:
      return "UINT16";
    case kInt16:
      return "INT16";
    case kInt32:
      return "INT32";
    case kFloat16:
      return "FLOAT16";
    case kDouble:
      return "DOUBLE";
    case kBFloat16:
      return "BFLOAT16";
    case kUint4:
      return "UINT4";
    case kInt4:
      return "INT4";
    default:
      return "data type " + std::to_string(type);
  }
}

namespace {

// The dtypes and the ONNX types of their integers, one rule for both ways:
// uint4 comes back as quint4, listed before quint4x2.
constexpr std::pair<core::DType, DataType> kIntegerTypes[] = {
    {core::DType::kQInt8, kInt8},   {core::DType::kQUInt8, kUint8},
    {core::DType::kQInt16, kInt16}, {core::DType::kQUInt16, kUint16},
    {core::DType::kQInt32, kInt32}, {core::DType::kQInt4, kInt4},
    {core::DType::kQUInt4, kUint4}, {core::DType::kQUInt4x2, kUint4},
};

}  // namespace

std::optional<DataType> IntegerTypeOf(core::DType dtype) {
  for (const auto& [qtensor_type, onnx_type] : kIntegerTypes) {
    if (qtensor_type == dtype) return onnx_type;
  }
  return std::nullopt;  // quint2x4
}

std::optional<core::DType> DTypeOf(int64_t type) {
  for (const auto& [qtensor_type, onnx_type] : kIntegerTypes) {
    if (onnx_type == type) return qtensor_type;
  }
  return std::nullopt;
}

std::optional<core::ScaleType> ScaleTypeOf(int64_t type) {
  switch (type) {
    case kFloat:
      return core::ScaleType::kFloat32;
    case kFloat16:
      return core::ScaleType::kFloat16;
    case kBFloat16:
      return core::ScaleType::kBFloat16;
    default:
      return std::nullopt;
  }
}

std::optional<FloatDType> FloatDTypeOf(int64_t type) {
  switch (type) {
    case kFloat:
      return FloatDType::kFloat32;
    case kFloat16:
      return FloatDType::kFloat16;
    case kBFloat16:
      return FloatDType::kBFloat16;
    default:
      return std::nullopt;
  }
}

DataType FloatTypeOf(FloatDType dtype) {
  return dtype == FloatDType::kFloat32   ? kFloat
         : dtype == FloatDType::kFloat16 ? kFloat16
                                         : kBFloat16;
}

}  // namespace qtensor::io::onnx
