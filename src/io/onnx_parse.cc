// ONNX models from untrusted bytes (onnx_model.h). Every read is bounded by
// the bytes left (io/wire_format.h, io/wire_reader.h); nothing recurses on
// the input; memory kept grows with the nodes and initializers qtensor reads,
// never with a count the input claims.
#include <string>
#include <unordered_set>
#include <utility>

#include "core/error.h"
#include "io/onnx_model.h"
#include "io/wire_format.h"
#include "io/wire_reader.h"

namespace qtensor::io::onnx {
namespace {

using core::ErrorKind;

[[noreturn]] void Corrupt(const std::string& where, const std::string& what) {
  core::Fail(ErrorKind::kCorruptData, "ONNX model " + where + ": " + what);
}

// One field of a message: its number, wire type, and value (a varint's
// number; the bytes of any value, for a varint its encoding).
struct Field {
  uint32_t number = 0;
  uint32_t wire_type = 0;
  uint64_t varint = 0;
  Span bytes;
};

const char* WireTypeName(uint32_t wire_type) {
  switch (wire_type) {
    case kWireVarint:
      return "varint";
    case kWireFixed64:
      return "fixed64";
    case kWireLengthDelimited:
      return "length-delimited";
    case kWireFixed32:
      return "fixed32";
    default:
      return "group";
  }
}

// Calls visit(field) for each field of the message, skipping groups.
template <typename Visit>
void ForEachField(Span message, const std::string& where, Visit&& visit) {
  const uint8_t* pos = message.data;
  const uint8_t* const end = message.data + message.size;
  while (pos != end) {
    const auto fail = [&] {
      Corrupt(where, "malformed protobuf at byte " + std::to_string(pos - message.data) +
                         " of the message (truncated, or a field encoded wrongly)");
    };
    WireReader reader(pos, end);
    uint32_t tag = 0;
    if (!reader.ReadTag(&tag) || TagFieldNumber(tag) == 0) fail();
    Field field;
    field.number = TagFieldNumber(tag);
    field.wire_type = TagWireType(tag);
    const uint8_t* value = reader.position();
    size_t length = 0;
    switch (field.wire_type) {
      case kWireVarint:
        if (!ReadVarint(&value, end, kMaxVarintBytes, &field.varint)) fail();
        field.bytes = {reader.position(), static_cast<size_t>(value - reader.position())};
        break;
      case kWireFixed64:
      case kWireFixed32:
        length = field.wire_type == kWireFixed64 ? 8 : 4;
        if (!reader.Skip(length)) fail();
        field.bytes = {value, length};
        value += length;
        break;
      case kWireLengthDelimited:
        if (!reader.ReadLength(&length)) fail();
        field.bytes = {reader.position(), length};
        value = reader.position() + length;
        break;
      default:  // a group (skipped) or an invalid wire type
        if (!reader.SkipValue(tag)) fail();
        pos = reader.position();
        continue;
    }
    pos = value;
    visit(field);
  }
}

void Expect(const Field& field, uint32_t wire_type, const std::string& where, const char* name) {
  if (field.wire_type != wire_type) {
    Corrupt(where, std::string(name) + " (field " + std::to_string(field.number) +
                       ") has wire type " + WireTypeName(field.wire_type) + ", expected " +
                       WireTypeName(wire_type));
  }
}

std::string String(const Field& field, const std::string& where, const char* name) {
  Expect(field, kWireLengthDelimited, where, name);
  return std::string(reinterpret_cast<const char*>(field.bytes.data), field.bytes.size);
}

int64_t Int(const Field& field, const std::string& where, const char* name) {
  Expect(field, kWireVarint, where, name);
  return static_cast<int64_t>(field.varint);
}

// The span of a repeated scalar field's values: packed (length-delimited)
// or one unpacked value of the wire type.
Span Repeated(const Field& field, uint32_t unpacked, const std::string& where, const char* name) {
  if (field.wire_type != kWireLengthDelimited) Expect(field, unpacked, where, name);
  return field.bytes;
}

// Each varint of a packed payload.
template <typename Visit>
void ForEachVarint(Span payload, const std::string& where, const char* name, Visit&& visit) {
  const uint8_t* pos = payload.data;
  const uint8_t* const end = payload.data + payload.size;
  while (pos != end) {
    uint64_t value = 0;
    if (!ReadVarint(&pos, end, kMaxVarintBytes, &value)) {
      Corrupt(where, std::string(name) + " holds a malformed varint");
    }
    visit(value);
  }
}

void ParseTensor(Span message, const std::string& where, Tensor* tensor) {
  ForEachField(message, where, [&](const Field& field) {
    switch (field.number) {
      case tensor::kDims:
        ForEachVarint(Repeated(field, kWireVarint, where, "dims"), where, "dims",
                      [&](uint64_t dim) { tensor->dims.push_back(static_cast<int64_t>(dim)); });
        break;
      case tensor::kDataType:
        tensor->data_type = Int(field, where, "data_type");
        break;
      case tensor::kFloatData:
        tensor->float_data.push_back(Repeated(field, kWireFixed32, where, "float_data"));
        break;
      case tensor::kInt32Data:
        tensor->int32_data.push_back(Repeated(field, kWireVarint, where, "int32_data"));
        break;
      case 6:  // string_data
      case tensor::kInt64Data:
      case tensor::kDoubleData:
      case tensor::kUint64Data:
        tensor->has_other_data = true;
        break;
      case tensor::kName:
        tensor->name = String(field, where, "name");
        break;
      case tensor::kRawData:
        Expect(field, kWireLengthDelimited, where, "raw_data");
        tensor->has_raw_data = true;
        tensor->raw_data = field.bytes;
        break;
      case tensor::kExternalData:
        tensor->external = true;
        break;
      case tensor::kDataLocation:
        if (Int(field, where, "data_location") == tensor::kLocationExternal) {
          tensor->external = true;
        }
        break;
      default:
        break;
    }
  });
}

void ParseAttribute(Span message, const std::string& where, Node* node) {
  std::string name;
  IntAttribute value;
  value.present = true;
  ForEachField(message, where, [&](const Field& field) {
    if (field.number == attribute::kName) name = String(field, where, "name");
    if (field.number == attribute::kType) value.type = Int(field, where, "type");
    if (field.number == attribute::kI) {
      value.has_i = true;
      value.i = Int(field, where, "i");
    }
  });
  IntAttribute* slot = name == "axis"         ? &node->axis
                       : name == "block_size" ? &node->block_size
                       : name == "to"         ? &node->to
                                              : nullptr;
  if (slot == nullptr) return;
  if (slot->present) Corrupt(where, "a second attribute named '" + name + "'");
  *slot = value;
}

void Keep(std::vector<std::string>* names, size_t* count, std::string name) {
  if (names->size() < Node::kNamesKept) names->push_back(std::move(name));
  ++*count;
}

void ParseNode(Span message, const std::string& where, Node* node) {
  ForEachField(message, where, [&](const Field& field) {
    switch (field.number) {
      case node::kInput:
        Keep(&node->inputs, &node->input_count, String(field, where, "input"));
        break;
      case node::kOutput:
        Keep(&node->outputs, &node->output_count, String(field, where, "output"));
        break;
      case node::kName:
        node->name = String(field, where, "name");
        break;
      case node::kOpType:
        node->op_type = String(field, where, "op_type");
        break;
      case node::kDomain:
        node->domain = String(field, where, "domain");
        break;
      case node::kAttribute:
        Expect(field, kWireLengthDelimited, where, "attribute");
        ParseAttribute(field.bytes, where + " attribute", node);
        break;
      default:
        break;
    }
  });
}

bool IsReadOp(const Node& node) {
  const bool onnx_domain = node.domain.empty() || node.domain == "ai.onnx";
  return onnx_domain && (node.op_type == "DequantizeLinear" || node.op_type == "Cast");
}

// The fields of every graph (protobuf merges repeated occurrences of the
// model's graph field: their nodes and initializers add up).
void ParseGraphs(const std::vector<Span>& graphs, Model* model) {
  size_t node_index = 0;
  // Inputs of the nodes kept and the graph's outputs: the initializers kept.
  std::unordered_set<std::string> used;
  for (const Span& graph : graphs) {
    ForEachField(graph, "graph", [&](const Field& field) {
      if (field.number == graph::kOutput) {
        Expect(field, kWireLengthDelimited, "graph", "output");
        const std::string where = "graph.output[" + std::to_string(model->outputs.size()) + "]";
        std::string name;
        ForEachField(field.bytes, where, [&](const Field& item) {
          if (item.number == value_info::kName) name = String(item, where, "name");
        });
        used.insert(name);
        model->outputs.push_back(std::move(name));
        return;
      }
      if (field.number != graph::kNode) return;
      Expect(field, kWireLengthDelimited, "graph", "node");
      const std::string where = "graph.node[" + std::to_string(node_index) + "]";
      Node node;
      node.index = node_index++;
      ParseNode(field.bytes, where, &node);
      if (!IsReadOp(node)) return;
      used.insert(node.inputs.begin(), node.inputs.end());
      model->nodes.push_back(std::move(node));
    });
  }
  size_t initializer_index = 0;
  for (const Span& graph : graphs) {
    ForEachField(graph, "graph", [&](const Field& field) {
      if (field.number != graph::kInitializer) return;
      Expect(field, kWireLengthDelimited, "graph", "initializer");
      Tensor tensor;
      ParseTensor(field.bytes, "graph.initializer[" + std::to_string(initializer_index++) + "]",
                  &tensor);
      if (used.count(tensor.name) != 0) model->initializers.push_back(std::move(tensor));
    });
  }
}

}  // namespace

Model ParseModel(const uint8_t* data, size_t size) {
  if (size > kMaxSerializedBytes) {
    Corrupt("input", std::to_string(size) + " bytes are over protobuf's limit of " +
                         std::to_string(kMaxSerializedBytes) + " bytes (2 GiB)");
  }
  Model model;
  std::vector<Span> graphs;
  ForEachField(Span{data, size}, "ModelProto", [&](const Field& field) {
    if (field.number == model::kGraph) {
      Expect(field, kWireLengthDelimited, "ModelProto", "graph");
      graphs.push_back(field.bytes);
    } else if (field.number == model::kMetadataProps) {
      Expect(field, kWireLengthDelimited, "ModelProto", "metadata_props");
      const std::string where = "metadata_props[" + std::to_string(model.metadata.size()) + "]";
      std::pair<std::string, std::string> entry;
      ForEachField(field.bytes, where, [&](const Field& item) {
        if (item.number == entry::kKey) entry.first = String(item, where, "key");
        if (item.number == entry::kValue) entry.second = String(item, where, "value");
      });
      // Checked here, before the next entry is kept: each costs input bytes.
      if (entry.first.empty()) Corrupt(where, "has an empty key");
      model.metadata.push_back(std::move(entry));
    }
  });
  if (graphs.empty()) Corrupt("ModelProto", "has no graph");
  ParseGraphs(graphs, &model);
  return model;
}

}  // namespace qtensor::io::onnx
