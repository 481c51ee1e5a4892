#include "io/onnx_model.h"

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

std::optional<DataType> IntegerTypeOf(core::DType dtype) {
  switch (dtype) {
    case core::DType::kQInt8:
      return kInt8;
    case core::DType::kQUInt8:
      return kUint8;
    case core::DType::kQInt32:
      return kInt32;
    case core::DType::kQInt16:
      return kInt16;
    case core::DType::kQUInt16:
      return kUint16;
    case core::DType::kQUInt4x2:
    case core::DType::kQUInt4:
      return kUint4;
    case core::DType::kQInt4:
      return kInt4;
    case core::DType::kQUInt2x4:
      break;
  }
  return std::nullopt;
}

std::optional<core::DType> DTypeOf(int64_t type) {
  switch (type) {
    case kInt8:
      return core::DType::kQInt8;
    case kUint8:
      return core::DType::kQUInt8;
    case kInt32:
      return core::DType::kQInt32;
    case kInt16:
      return core::DType::kQInt16;
    case kUint16:
      return core::DType::kQUInt16;
    case kUint4:
      return core::DType::kQUInt4;
    case kInt4:
      return core::DType::kQInt4;
    default:
      return std::nullopt;
  }
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

}  // namespace qtensor::io::onnx
