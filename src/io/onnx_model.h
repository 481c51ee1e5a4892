// The part of an ONNX model (onnx.proto, IR version 10, opset 21) that
// qtensor writes and reads: field numbers of the messages involved, the
// tensor data types, and the model as plain data. docs/onnx.md describes the
// mapping. No protobuf type appears here: the model is written and read by
// hand (onnx_export.cc, onnx_parse.cc) over io/wire_format.h.
#ifndef QTENSOR_IO_ONNX_MODEL_H_
#define QTENSOR_IO_ONNX_MODEL_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/quantizer.h"
#include "io/float_array.h"

namespace qtensor::io::onnx {

// ---------------------------------------------------------------- fields

namespace model {  // ModelProto
inline constexpr uint32_t kIrVersion = 1, kGraph = 7, kOpsetImport = 8, kMetadataProps = 14,
                          kProducerName = 2;
}
namespace opset {  // OperatorSetIdProto
inline constexpr uint32_t kDomain = 1, kVersion = 2;
}
namespace entry {  // StringStringEntryProto
inline constexpr uint32_t kKey = 1, kValue = 2;
}
namespace graph {  // GraphProto
inline constexpr uint32_t kNode = 1, kName = 2, kInitializer = 5, kOutput = 12;
}
namespace node {  // NodeProto
inline constexpr uint32_t kInput = 1, kOutput = 2, kName = 3, kOpType = 4, kAttribute = 5,
                          kDomain = 7;
}
namespace attribute {  // AttributeProto
inline constexpr uint32_t kName = 1, kI = 3, kType = 20;
inline constexpr int64_t kTypeInt = 2;  // AttributeProto.AttributeType.INT
}  // namespace attribute
namespace tensor {  // TensorProto
inline constexpr uint32_t kDims = 1, kDataType = 2, kFloatData = 4, kInt32Data = 5, kInt64Data = 7,
                          kName = 8, kRawData = 9, kDoubleData = 10, kUint64Data = 11,
                          kExternalData = 13, kDataLocation = 14;
inline constexpr int64_t kLocationExternal = 1;  // TensorProto.DataLocation.EXTERNAL
}  // namespace tensor
namespace value_info {  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto
inline constexpr uint32_t kName = 1, kType = 2;
inline constexpr uint32_t kTypeTensor = 1;
inline constexpr uint32_t kElemType = 1, kShape = 2;
inline constexpr uint32_t kShapeDim = 1, kDimValue = 1;
}  // namespace value_info

// ---------------------------------------------------------------- values

// TensorProto.DataType values used here.
enum DataType : int64_t {
  kFloat = 1,
  kUint8 = 2,
  kInt8 = 3,
  kUint16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kFloat16 = 10,
  kDouble = 11,
  kBFloat16 = 16,
  kUint4 = 21,
  kInt4 = 22,
};

// Written: the IR version ONNX 1.16 gives opset 21, the first opset with
// int4, int16 and blocked DequantizeLinear.
inline constexpr int64_t kIrVersionWritten = 10;
inline constexpr int64_t kOpsetWritten = 21;

// "INT4", or "data type 99" for a value not named here.
std::string DataTypeName(int64_t type);

// The ONNX type holding a dtype's integers, if any (quint4x2 is uint4, the
// same packing; quint2x4 has none).
std::optional<DataType> IntegerTypeOf(core::DType dtype);
// The dtype an ONNX integer type comes back as (uint4 as quint4).
std::optional<core::DType> DTypeOf(int64_t type);

// The scale type a FLOAT, FLOAT16 or BFLOAT16 scale comes back as.
std::optional<core::ScaleType> ScaleTypeOf(int64_t type);

// A float entry's dtype of FLOAT, FLOAT16 and BFLOAT16, and back.
std::optional<FloatDType> FloatDTypeOf(int64_t type);
DataType FloatTypeOf(FloatDType dtype);

// ---------------------------------------------------------------- model

// Bytes of the input a parsed field refers to.
struct Span {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

// A TensorProto. Each typed (repeated) field keeps where its values are:
// every occurrence as the payload of a packed field (one unpacked value is
// such a payload, of one value).
struct Tensor {
  std::string name;
  int64_t data_type = 0;
  std::vector<int64_t> dims;
  bool has_raw_data = false;
  Span raw_data;
  std::vector<Span> float_data, int32_data;
  bool has_other_data = false;  // int64_data, double_data, uint64_data, string_data
  bool external = false;        // data_location EXTERNAL or external_data
};

// An INT attribute of a node, if present.
struct IntAttribute {
  bool present = false;
  int64_t type = 0;  // AttributeProto.type as read
  bool has_i = false;
  int64_t i = 0;
};

// The nodes qtensor reads (DequantizeLinear, Cast), with the first few
// inputs and outputs (all a valid one has) and their counts.
struct Node {
  static constexpr size_t kNamesKept = 4;

  size_t index = 0;  // in the graph
  std::string name, op_type, domain;
  std::vector<std::string> inputs, outputs;
  size_t input_count = 0, output_count = 0;
  IntAttribute axis, block_size, to;
};

// What the reader keeps of a model: its metadata, the DequantizeLinear and
// Cast nodes, the names of the graph's outputs, and the initializers the
// nodes take or the graph gives as outputs.
struct Model {
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<Node> nodes;
  std::vector<std::string> outputs;
  std::vector<Tensor> initializers;
};

// Parses untrusted bytes (io/onnx_parse.cc). kCorruptData, naming where,
// for input over 2 GiB, malformed protobuf or a field of the wrong wire type.
Model ParseModel(const uint8_t* data, size_t size);

}  // namespace qtensor::io::onnx

#endif  // QTENSOR_IO_ONNX_MODEL_H_
