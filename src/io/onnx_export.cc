// A bundle as an ONNX model (io/onnx.h, docs/onnx.md). Messages are
// assembled as parts: literal bytes, and tensors' integers, which are
// written once, straight from each tensor into the result.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "core/dtype_conversion.h"
#include "core/error.h"
#include "core/print.h"
#include "core/storage.h"
#include "core/tensor_ops.h"
#include "io/onnx.h"
#include "io/onnx_model.h"
#include "io/wire_format.h"
#include "kernels/half_float.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "raw_data is little-endian, written from the machine's numbers as they are");

namespace qtensor::io {
namespace {

using core::ErrorKind;
using core::ScaleType;

// A protobuf message being written: fields in the order they are added.
class Message {
 public:
  void Varint(uint32_t field, uint64_t value) {
    AppendVarint(&Literal(), WireTag(field, kWireVarint));
    AppendVarint(&Literal(), value);
  }
  void Bytes(uint32_t field, const std::string& bytes) {
    Head(field, bytes.size());
    Literal() += bytes;
  }
  void Sub(uint32_t field, Message&& message) {
    Head(field, message.size());
    Append(std::move(message));
  }
  // The fields of message, after these.
  void Append(Message&& message) {
    for (Part& part : message.parts_) parts_.push_back(std::move(part));
  }
  // A bytes field holding the tensor's integers in storage form.
  void TensorData(uint32_t field, const core::Tensor& tensor) {
    const uint64_t bytes = core::StorageBytes(tensor.dtype(), tensor.numel());
    Head(field, bytes);
    parts_.push_back(Part{std::string(), &tensor, bytes});
  }

  uint64_t size() const {
    uint64_t total = 0;
    for (const Part& part : parts_) total += part.literal.size() + part.tensor_bytes;
    return total;
  }
  uint8_t* Write(uint8_t* out) const {
    for (const Part& part : parts_) {
      // NOLINTNEXTLINE(bugprone-not-null-terminated-result): bytes, not a C string
      if (!part.literal.empty()) std::memcpy(out, part.literal.data(), part.literal.size());
      out += part.literal.size();
      if (part.tensor != nullptr && part.tensor_bytes > 0) core::StorageRepr(*part.tensor, out);
      out += part.tensor_bytes;
    }
    return out;
  }

 private:
  struct Part {
    std::string literal;
    const core::Tensor* tensor = nullptr;
    uint64_t tensor_bytes = 0;
  };

  std::string& Literal() {
    if (parts_.empty() || parts_.back().tensor != nullptr) parts_.emplace_back();
    return parts_.back().literal;
  }
  void Head(uint32_t field, uint64_t length) {
    AppendVarint(&Literal(), WireTag(field, kWireLengthDelimited));
    AppendVarint(&Literal(), length);
  }

  std::vector<Part> parts_;
};

[[noreturn]] void Refuse(const std::string& name, const std::string& why) {
  core::Fail(ErrorKind::kInvalidArgument, "cannot export tensor '" + name + "' to ONNX: " + why);
}

Message TensorHead(const std::string& name, int64_t data_type, const std::vector<int64_t>& dims) {
  Message message;
  for (int64_t dim : dims) message.Varint(onnx::tensor::kDims, static_cast<uint64_t>(dim));
  message.Varint(onnx::tensor::kDataType, static_cast<uint64_t>(data_type));
  message.Bytes(onnx::tensor::kName, name);
  return message;
}

Message Initializer(const std::string& name, int64_t data_type, const std::vector<int64_t>& dims,
                    const std::string& raw_data) {
  Message message = TensorHead(name, data_type, dims);
  message.Bytes(onnx::tensor::kRawData, raw_data);
  return message;
}

template <typename T>
void AppendLittleEndian(std::string* out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out->append(bytes, sizeof(T));
}

// The ONNX type of the scales: float64 ones go out as FLOAT, each of which
// must then be a float32 value (ONNX has no double scales, and rounding one
// would change the dequantized values).
onnx::DataType ScaleDataType(const core::Quantizer& quantizer, const std::string& name) {
  switch (quantizer.scale_type()) {
    case ScaleType::kFloat16:
      return onnx::kFloat16;
    case ScaleType::kBFloat16:
      return onnx::kBFloat16;
    case ScaleType::kFloat32:
      return onnx::kFloat;
    case ScaleType::kFloat64:
      break;
  }
  const std::vector<double>& scales = quantizer.scales();
  for (size_t i = 0; i < scales.size(); ++i) {
    if (static_cast<double>(static_cast<float>(scales[i])) != scales[i]) {
      Refuse(name, "scale " + std::to_string(i) + " (" + core::FormatPythonFloat(scales[i]) +
                       ") is not a float32 value; ONNX's DequantizeLinear takes float32, "
                       "float16 or bfloat16 scales, and rounding it would change the values "
                       "(qt_quantizer_with_scale_type gives scales of one of those types)");
    }
  }
  return onnx::kFloat;
}

std::string ScaleBytes(const std::vector<double>& scales, onnx::DataType type) {
  std::string bytes;
  for (double scale : scales) {
    const auto value = static_cast<float>(scale);  // exact: a value of the type
    if (type == onnx::kFloat) {
      AppendLittleEndian(&bytes, value);
    } else if (type == onnx::kFloat16) {
      AppendLittleEndian(&bytes, kernels::FloatToHalfBits(value));
    } else {
      AppendLittleEndian(&bytes, kernels::FloatToBFloat16Bits(value));
    }
  }
  return bytes;
}

// Zero points in the dtype's storage form, as ONNX stores them.
std::string ZeroPointBytes(const core::Quantizer& quantizer) {
  const std::vector<uint8_t> bytes = core::IntegersToStorage(
      quantizer.dtype(), quantizer.zero_points().data(), quantizer.zero_points().size());
  return std::string(bytes.begin(), bytes.end());
}

// ONNX dequantizes int32 without a zero point, as (float)q * scale; a
// per-channel storage's elements dequantize in double, which rounds alike
// only while |q| <= 2^24 (docs/onnx.md).
void CheckInt32(const core::Tensor& tensor, const core::Quantizer& quantizer,
                const std::string& name) {
  for (int64_t zero_point : quantizer.zero_points()) {
    if (zero_point != 0) {
      Refuse(name,
             "a qint32 tensor's zero points must be 0 (ONNX's DequantizeLinear has no "
             "int32 zero point), not " +
                 std::to_string(zero_point));
    }
  }
  if (!tensor.storage()->quantizer().per_channel()) return;
  std::vector<int32_t> values(static_cast<size_t>(tensor.numel()));
  core::IntRepr(tensor, values.data());
  constexpr int64_t kExactInFloat = int64_t{1} << 24;
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::llabs(values[i]) > kExactInFloat) {
      Refuse(name, "element " + std::to_string(i) + " is " + std::to_string(values[i]) +
                       ", beyond 2^24: qtensor dequantizes a per-channel qint32 element in "
                       "double and ONNX in float32, which round it differently");
    }
  }
}

Message Attribute(const std::string& name, int64_t value) {
  Message message;
  message.Bytes(onnx::attribute::kName, name);
  message.Varint(onnx::attribute::kI, static_cast<uint64_t>(value));
  message.Varint(onnx::attribute::kType, onnx::attribute::kTypeInt);
  return message;
}

Message Node(const std::vector<std::string>& inputs, const std::string& output,
             const std::string& name, const std::string& op_type,
             const std::vector<std::pair<std::string, int64_t>>& attributes) {
  Message message;
  for (const std::string& input : inputs) message.Bytes(onnx::node::kInput, input);
  message.Bytes(onnx::node::kOutput, output);
  message.Bytes(onnx::node::kName, name);
  message.Bytes(onnx::node::kOpType, op_type);
  for (const auto& [key, value] : attributes) {
    message.Sub(onnx::node::kAttribute, Attribute(key, value));
  }
  return message;
}

// A graph output: a tensor of the type and shape.
Message Output(const std::string& name, onnx::DataType elem_type,
               const std::vector<int64_t>& shape) {
  Message dims;
  for (int64_t size : shape) {
    Message dim;
    dim.Varint(onnx::value_info::kDimValue, static_cast<uint64_t>(size));
    dims.Sub(onnx::value_info::kShapeDim, std::move(dim));
  }
  Message tensor_type;
  tensor_type.Varint(onnx::value_info::kElemType, static_cast<uint64_t>(elem_type));
  tensor_type.Sub(onnx::value_info::kShape, std::move(dims));
  Message type;
  type.Sub(onnx::value_info::kTypeTensor, std::move(tensor_type));
  Message message;
  message.Bytes(onnx::value_info::kName, name);
  message.Sub(onnx::value_info::kType, std::move(type));
  return message;
}

// The graph's value names, which ONNX requires to be unique, each with the
// tensor that uses it.
class Names {
 public:
  std::string Claim(const std::string& value, const std::string& tensor) {
    const auto [found, inserted] = owners_.emplace(value, tensor);
    if (!inserted) {
      Refuse(tensor, "its ONNX name '" + value + "' is also one of tensor '" + found->second +
                         "' (the model names values N, N_quantized, N_scale, N_scale_float and "
                         "N_zero_point for a tensor N)");
    }
    return value;
  }

 private:
  std::unordered_map<std::string, std::string> owners_;
};

// Adds one tensor's initializers, nodes and output to the graph.
void AddTensor(const std::string& name, const core::Tensor& tensor, Names* names, Message* graph,
               Message* outputs) {
  const core::Quantizer quantizer = tensor.EffectiveQuantizer();
  const std::optional<onnx::DataType> integer_type = onnx::IntegerTypeOf(quantizer.dtype());
  if (!integer_type) {
    Refuse(name, std::string("ONNX has no type for ") + core::DTypeName(quantizer.dtype()) +
                     " (2-bit values)");
  }
  const onnx::DataType scale_type = ScaleDataType(quantizer, name);
  const bool has_zero_point = *integer_type != onnx::kInt32;
  if (!has_zero_point) CheckInt32(tensor, quantizer, name);

  std::vector<int64_t> param_dims;
  std::vector<std::pair<std::string, int64_t>> attributes;
  if (quantizer.per_channel() || quantizer.per_block()) {
    const int64_t axis = quantizer.ResolveAxis(tensor.shape());
    attributes.emplace_back("axis", axis);
    if (quantizer.per_channel()) {
      param_dims = {static_cast<int64_t>(quantizer.num_channels())};
    } else {
      param_dims = tensor.shape();
      param_dims[static_cast<size_t>(axis)] =
          core::BlockCount(tensor.shape()[static_cast<size_t>(axis)], quantizer.block_size());
      attributes.emplace_back("block_size", quantizer.block_size());
    }
  }

  Message integers =
      TensorHead(names->Claim(name + "_quantized", name), *integer_type, tensor.shape());
  integers.TensorData(onnx::tensor::kRawData, tensor);
  graph->Sub(onnx::graph::kInitializer, std::move(integers));
  const std::string scale = names->Claim(name + "_scale", name);
  graph->Sub(onnx::graph::kInitializer, Initializer(scale, scale_type, param_dims,
                                                    ScaleBytes(quantizer.scales(), scale_type)));
  std::vector<std::string> inputs = {name + "_quantized", scale};
  // A 16-bit scale would make DequantizeLinear's output 16-bit too: it is
  // cast to float (exactly) first, so the output is qtensor's float32 value.
  if (scale_type != onnx::kFloat) {
    inputs[1] = names->Claim(name + "_scale_float", name);
    graph->Sub(onnx::graph::kNode,
               Node({scale}, inputs[1], inputs[1], "Cast", {{"to", onnx::kFloat}}));
  }
  if (has_zero_point) {
    inputs.push_back(names->Claim(name + "_zero_point", name));
    graph->Sub(onnx::graph::kInitializer,
               Initializer(inputs.back(), *integer_type, param_dims, ZeroPointBytes(quantizer)));
  }
  names->Claim(name, name);
  graph->Sub(onnx::graph::kNode,
             Node(inputs, name, name + "_dequantize", "DequantizeLinear", attributes));
  outputs->Sub(onnx::graph::kOutput, Output(name, onnx::kFloat, tensor.shape()));
}

// A float entry: an initializer of its name and values that is also a graph
// output, so a runtime gives it back as it is.
void AddFloatEntry(const std::string& name, const FloatArray& array, Names* names, Message* graph,
                   Message* outputs) {
  const onnx::DataType type = onnx::FloatTypeOf(array.dtype);
  graph->Sub(onnx::graph::kInitializer,
             Initializer(names->Claim(name, name), type, array.shape, array.Bytes()));
  outputs->Sub(onnx::graph::kOutput, Output(name, type, array.shape));
}

}  // namespace

Buffer EncodeOnnxModel(const Bundle& bundle, uint64_t max_bytes) {
  Message graph;  // nodes and initializers, then name and outputs
  Message outputs;
  Names names;
  for (const auto& [name, entry] : bundle.entries) {
    if (const auto* tensor = std::get_if<core::Tensor>(&entry)) {
      AddTensor(name, *tensor, &names, &graph, &outputs);
    } else {
      AddFloatEntry(name, std::get<FloatArray>(entry), &names, &graph, &outputs);
    }
  }
  graph.Bytes(onnx::graph::kName, "qtensor");
  graph.Append(std::move(outputs));
  Message model;
  model.Varint(onnx::model::kIrVersion, onnx::kIrVersionWritten);
  model.Bytes(onnx::model::kProducerName, "qtensor");
  model.Sub(onnx::model::kGraph, std::move(graph));
  Message opset;
  opset.Bytes(onnx::opset::kDomain, "");
  opset.Varint(onnx::opset::kVersion, onnx::kOpsetWritten);
  model.Sub(onnx::model::kOpsetImport, std::move(opset));
  for (const auto& [key, value] : bundle.metadata) {
    Message entry;
    entry.Bytes(onnx::entry::kKey, key);
    entry.Bytes(onnx::entry::kValue, value);
    model.Sub(onnx::model::kMetadataProps, std::move(entry));
  }

  Buffer buffer = AllocateOutput(model.size(), max_bytes);
  CheckWritten(buffer, model.Write(buffer.data.get()));
  return buffer;
}

}  // namespace qtensor::io
