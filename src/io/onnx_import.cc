// ONNX models to bundles (io/onnx.h, docs/onnx.md): each DequantizeLinear
// node whose x is an initializer becomes a tensor, each float initializer
// that is a graph output a float entry. Every field a tensor uses
// is checked before its values are allocated.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/dtype_conversion.h"
#include "core/error.h"
#include "core/print.h"
#include "core/shape.h"
#include "core/storage.h"
#include "core/tensor_ops.h"
#include "io/onnx.h"
#include "io/onnx_model.h"
#include "io/utf8.h"
#include "io/validate.h"
#include "io/wire_format.h"
#include "kernels/half_float.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "raw_data is little-endian, read as the machine's numbers");

namespace qtensor::io {
namespace {

using core::ErrorKind;
using onnx::Span;

[[noreturn]] void Corrupt(const std::string& where, const std::string& what) {
  core::Fail(ErrorKind::kCorruptData, "ONNX model " + where + ": " + what);
}

// A name the C ABI can hand out: UTF-8 without NUL bytes.
void CheckText(const std::string& text, const std::string& where, const char* what) {
  if (!IsValidUtf8(text)) Corrupt(where, std::string(what) + " is not valid UTF-8");
  if (text.find('\0') != std::string::npos) {
    Corrupt(where, std::string(what) + " " + Quoted(text) + " contains a NUL byte");
  }
}

// How an ONNX type's values sit in raw_data and int32_data.
struct Layout {
  int bits;          // per element in raw_data
  int64_t min, max;  // of one int32_data entry (for 4 bits: a packed byte)
  bool packed_4bit;  // int32_data entries are bytes of two values
};

Layout LayoutOf(int64_t type) {
  switch (type) {
    case onnx::kInt8:
      return {8, -128, 127, false};
    case onnx::kUint8:
      return {8, 0, 255, false};
    case onnx::kInt16:
      return {16, -32768, 32767, false};
    case onnx::kUint16:
    case onnx::kFloat16:
    case onnx::kBFloat16:
      return {16, 0, 65535, false};
    case onnx::kInt4:
    case onnx::kUint4:
      return {4, 0, 255, true};
    default:  // INT32 and FLOAT (float_data)
      return {32, INT32_MIN, INT32_MAX, false};
  }
}

// An initializer's values as raw_data holds them: in the input, or decoded
// from the typed field ONNX allows for its type.
struct Values {
  Span bytes;
  std::string decoded;
};

Values ValuesOf(const onnx::Tensor& tensor, int64_t numel, const std::string& where) {
  if (tensor.external) Corrupt(where, "its data is external (in another file): not supported");
  const Layout layout = LayoutOf(tensor.data_type);
  const uint64_t expected = (static_cast<uint64_t>(numel) * layout.bits + 7) / 8;
  const bool typed = !tensor.float_data.empty() || !tensor.int32_data.empty();
  if (tensor.has_other_data || (tensor.data_type == onnx::kFloat && !tensor.int32_data.empty()) ||
      (tensor.data_type != onnx::kFloat && !tensor.float_data.empty())) {
    Corrupt(where, "holds its values in a field ONNX does not use for " +
                       onnx::DataTypeName(tensor.data_type));
  }
  if (tensor.has_raw_data && typed) Corrupt(where, "holds values in raw_data and a typed field");
  Values values;
  if (tensor.has_raw_data) {
    if (tensor.raw_data.size != expected) {
      Corrupt(where, "raw_data has " + std::to_string(tensor.raw_data.size) + " bytes, expected " +
                         std::to_string(expected) + " for " + std::to_string(numel) + " " +
                         onnx::DataTypeName(tensor.data_type) + " values");
    }
    values.bytes = tensor.raw_data;
    return values;
  }
  const size_t entry_bytes = layout.packed_4bit ? 1 : static_cast<size_t>(layout.bits / 8);
  const uint64_t entries = expected / entry_bytes;
  const auto too_many = [&] {
    Corrupt(where, "has more values than its " + std::to_string(numel) + " elements");
  };
  if (tensor.data_type == onnx::kFloat) {
    for (const Span& span : tensor.float_data) {
      if (span.size % 4 != 0) Corrupt(where, "float_data is not a whole number of floats");
      if (values.decoded.size() + span.size > expected) too_many();
      values.decoded.append(reinterpret_cast<const char*>(span.data), span.size);
    }
  } else {
    for (const Span& span : tensor.int32_data) {
      const uint8_t* pos = span.data;
      while (pos != span.data + span.size) {
        uint64_t raw = 0;
        if (!ReadVarint(&pos, span.data + span.size, kMaxVarintBytes, &raw)) {
          Corrupt(where, "int32_data holds a malformed varint");
        }
        const auto value = static_cast<int32_t>(raw);  // int32 keeps the low 32 bits
        if (value < layout.min || value > layout.max) {
          Corrupt(where, "int32_data entry " + std::to_string(value) + " is out of range for " +
                             onnx::DataTypeName(tensor.data_type));
        }
        if (values.decoded.size() >= entries * entry_bytes) too_many();
        char bytes[sizeof(value)];
        std::memcpy(bytes, &value, sizeof(value));
        values.decoded.append(bytes, entry_bytes);
      }
    }
  }
  if (values.decoded.size() != expected) {
    Corrupt(where, "has " + std::to_string(values.decoded.size() / entry_bytes) +
                       " values in its typed field, expected " + std::to_string(entries));
  }
  values.bytes = {reinterpret_cast<const uint8_t*>(values.decoded.data()), values.decoded.size()};
  return values;
}

std::vector<int64_t> CheckedDims(const onnx::Tensor& tensor, core::DType dtype,
                                 const std::string& where, int64_t* numel) {
  if (tensor.dims.size() > core::kMaxDims) {
    Corrupt(where, "rank " + std::to_string(tensor.dims.size()) + " exceeds the maximum of " +
                       std::to_string(core::kMaxDims));
  }
  for (size_t d = 0; d < tensor.dims.size(); ++d) {
    if (tensor.dims[d] < 0) {
      Corrupt(where, "dims[" + std::to_string(d) + "] = " + std::to_string(tensor.dims[d]) +
                         " is negative");
    }
  }
  try {
    *numel = core::CheckedNumel(tensor.dims, dtype);
  } catch (const core::Error& error) {
    Corrupt(where, std::string("dims are too large: ") + error.what());
  }
  return tensor.dims;
}

double StoredScale(const Span& values, int64_t type, size_t i) {
  if (type == onnx::kFloat) {
    float value;
    std::memcpy(&value, values.data + 4 * i, 4);
    return value;
  }
  uint16_t bits;
  std::memcpy(&bits, values.data + 2 * i, 2);
  return type == onnx::kFloat16 ? kernels::HalfBitsToFloat(bits)
                                : kernels::BFloat16BitsToFloat(bits);
}

struct Parameters {
  std::vector<int64_t> dims;
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  core::ScaleType scale_type = core::ScaleType::kFloat32;
};

class Importer {
 public:
  explicit Importer(const onnx::Model& model) {
    for (const onnx::Tensor& tensor : model.initializers) {
      if (!initializers_.emplace(tensor.name, &tensor).second) {
        Corrupt("graph", "two initializers are named " + Quoted(tensor.name));
      }
    }
    for (const onnx::Node& node : model.nodes) {
      if (node.op_type == "Cast" && !node.outputs.empty()) casts_[node.outputs[0]] = &node;
    }
  }

  // The tensor node makes, named after its output; none if its x is not an
  // initializer.
  std::optional<std::pair<std::string, core::Tensor>> Import(const onnx::Node& node) {
    const std::string where = "graph.node[" + std::to_string(node.index) + "] (DequantizeLinear)";
    if (node.input_count < 2 || node.input_count > 3 || node.output_count != 1) {
      Corrupt(where, "has " + std::to_string(node.input_count) + " inputs and " +
                         std::to_string(node.output_count) +
                         " outputs (DequantizeLinear takes 2 or 3 and gives 1)");
    }
    const onnx::Tensor* x = Find(node.inputs[0]);
    if (x == nullptr) return std::nullopt;  // dequantizes an activation, not a stored tensor
    const std::string& name = node.outputs[0];
    const std::string at = where + " output " + Quoted(name);
    if (name.empty()) Corrupt(where, "has an empty output name");
    CheckText(name, where, "the output name");

    const std::string x_where = at + ": x " + Quoted(x->name);
    const std::optional<core::DType> dtype = onnx::DTypeOf(x->data_type);
    if (!dtype) {
      Corrupt(x_where, "has type " + onnx::DataTypeName(x->data_type) +
                           "; qtensor holds INT8, UINT8, INT16, UINT16, INT32, INT4 and UINT4");
    }
    int64_t numel = 0;
    const std::vector<int64_t> shape = CheckedDims(*x, *dtype, x_where, &numel);
    const Values integers = ValuesOf(*x, numel, x_where);
    const Parameters params = ParametersOf(node, *x, *dtype, at);
    const core::Quantizer quantizer = QuantizerOf(node, shape, *dtype, params, at);
    try {
      return std::pair{
          name, core::FromStorageRepr(integers.bytes.data, integers.bytes.size, shape, quantizer)};
    } catch (const core::Error& error) {
      Corrupt(x_where, error.what());
    }
  }

 private:
  const onnx::Tensor* Find(const std::string& name) const {
    const auto found = initializers_.find(name);
    return found == initializers_.end() ? nullptr : found->second;
  }

  // x_scale: an initializer, or a Cast to float of one (as qtensor writes
  // 16-bit scales).
  const onnx::Tensor& ScaleInitializer(const std::string& input, const std::string& where) const {
    if (const onnx::Tensor* scale = Find(input)) return *scale;
    const auto cast = casts_.find(input);
    if (cast != casts_.end() && cast->second->input_count == 1 && cast->second->to.has_i &&
        cast->second->to.i == onnx::kFloat) {
      if (const onnx::Tensor* scale = Find(cast->second->inputs[0])) return *scale;
    }
    Corrupt(where,
            "x_scale " + Quoted(input) + " is neither an initializer nor a Cast to FLOAT of one");
  }

  Parameters ParametersOf(const onnx::Node& node, const onnx::Tensor& x, core::DType dtype,
                          const std::string& where) const {
    const onnx::Tensor& scale = ScaleInitializer(node.inputs[1], where);
    const std::string scale_where = where + ": x_scale " + Quoted(scale.name);
    Parameters params;
    const std::optional<core::ScaleType> scale_type = onnx::ScaleTypeOf(scale.data_type);
    if (!scale_type) {
      Corrupt(scale_where, "has type " + onnx::DataTypeName(scale.data_type) +
                               "; qtensor reads FLOAT, FLOAT16 and BFLOAT16 scales");
    }
    params.scale_type = *scale_type;
    int64_t count = 0;
    // The scales' element count is checked as if they were int32 values.
    params.dims = CheckedDims(scale, core::DType::kQInt32, scale_where, &count);
    const Values scales = ValuesOf(scale, count, scale_where);
    params.scales.resize(static_cast<size_t>(count));
    for (size_t i = 0; i < params.scales.size(); ++i) {
      params.scales[i] = StoredScale(scales.bytes, scale.data_type, i);
      if (!(params.scales[i] > 0) || !std::isfinite(params.scales[i])) {
        Corrupt(scale_where, "scale " + std::to_string(i) + " is " +
                                 core::FormatPythonFloat(params.scales[i]) +
                                 ": qtensor holds finite scales above 0");
      }
    }
    params.zero_points.assign(params.scales.size(), 0);
    if (node.input_count < 3 || node.inputs[2].empty()) return params;
    const onnx::Tensor* zero_point = Find(node.inputs[2]);
    if (zero_point == nullptr) {
      Corrupt(where, "x_zero_point " + Quoted(node.inputs[2]) + " is not an initializer");
    }
    const std::string zp_where = where + ": x_zero_point " + Quoted(zero_point->name);
    if (zero_point->data_type != x.data_type) {
      Corrupt(zp_where, "has type " + onnx::DataTypeName(zero_point->data_type) + ", not x's " +
                            onnx::DataTypeName(x.data_type));
    }
    if (zero_point->dims != params.dims) {
      Corrupt(zp_where, "has other dims than x_scale");
    }
    const Values zero_points = ValuesOf(*zero_point, count, zp_where);
    for (size_t i = 0; i < params.zero_points.size(); ++i) {
      params.zero_points[i] = core::StoredInteger(dtype, zero_points.bytes.data, i);
      if (dtype == core::DType::kQInt32 && params.zero_points[i] != 0) {
        Corrupt(zp_where,
                "an INT32 zero point must be 0, not " + std::to_string(params.zero_points[i]));
      }
    }
    return params;
  }

  static core::Quantizer QuantizerOf(const onnx::Node& node, const std::vector<int64_t>& shape,
                                     core::DType dtype, const Parameters& params,
                                     const std::string& where) {
    for (const onnx::IntAttribute* attribute : {&node.axis, &node.block_size}) {
      if (attribute->present &&
          (attribute->type != onnx::attribute::kTypeInt || !attribute->has_i)) {
        Corrupt(where, std::string("attribute ") +
                           (attribute == &node.axis ? "axis" : "block_size") +
                           " is not an INT attribute with a value");
      }
    }
    const auto rank = static_cast<int64_t>(shape.size());
    const int64_t block_size = node.block_size.present ? node.block_size.i : 0;
    const bool per_tensor = block_size == 0 && params.dims.size() <= 1 && params.scales.size() == 1;
    int64_t axis = node.axis.present ? node.axis.i : 1;
    if (!per_tensor && (axis < -rank || axis >= rank)) {
      Corrupt(where, "axis " + std::to_string(axis) + " is out of range for x of rank " +
                         std::to_string(rank));
    }
    if (axis < 0) axis += rank;
    const std::string dims_text = core::ShapeText(params.dims, core::ShapeStyle::kList);
    if (block_size < 0) Corrupt(where, "block_size " + std::to_string(block_size) + " is negative");
    if (block_size > 0) {
      std::vector<int64_t> expected = shape;
      expected[static_cast<size_t>(axis)] =
          core::BlockCount(shape[static_cast<size_t>(axis)], block_size);
      if (params.dims != expected) {
        Corrupt(where, "x_scale has dims " + dims_text + ", expected " +
                           core::ShapeText(expected, core::ShapeStyle::kList) + " for blocks of " +
                           std::to_string(block_size) + " along axis " + std::to_string(axis));
      }
    } else if (!per_tensor &&
               (params.dims.size() != 1 || params.dims[0] != shape[static_cast<size_t>(axis)])) {
      Corrupt(where, "x_scale has dims " + dims_text + ": expected one value, or [" +
                         std::to_string(shape[static_cast<size_t>(axis)]) + "] for axis " +
                         std::to_string(axis));
    }
    try {
      core::Quantizer quantizer =
          per_tensor ? core::Quantizer::PerTensor(dtype, params.scales[0], params.zero_points[0])
          : block_size > 0
              ? core::Quantizer::PerBlock(dtype, params.scales, params.zero_points, axis,
                                          block_size)
              : core::Quantizer::PerChannel(dtype, params.scales, params.zero_points, axis);
      quantizer = quantizer.WithScaleType(params.scale_type);
      // ONNX's QuantizeLinear has no int32 output, so qint32 keeps PyTorch's.
      if (dtype != core::DType::kQInt32) quantizer = quantizer.WithRounding(core::Rounding::kOnnx);
      return quantizer;
    } catch (const core::Error& error) {
      Corrupt(where, error.what());
    }
  }

  std::unordered_map<std::string, const onnx::Tensor*> initializers_;
  std::unordered_map<std::string, const onnx::Node*> casts_;
};

// A float initializer that is a graph output (as qtensor writes a float
// entry), its values bit for bit.
FloatArray FloatEntryOf(const onnx::Tensor& tensor, FloatDType dtype) {
  const std::string where = "initializer " + Quoted(tensor.name);
  int64_t numel = 0;
  try {
    numel = CheckedFloatNumel(tensor.dims, dtype);
  } catch (const core::Error& error) {
    Corrupt(where, std::string("dims: ") + error.what());
  }
  const Values values = ValuesOf(tensor, numel, where);
  return FloatArray::Copy(dtype, tensor.dims, values.bytes.data, values.bytes.size);
}

}  // namespace

Bundle DecodeOnnxModel(const uint8_t* data, size_t size) {
  const onnx::Model model = onnx::ParseModel(data, size);
  Bundle bundle;
  for (size_t i = 0; i < model.metadata.size(); ++i) {
    const auto& [key, value] = model.metadata[i];
    const std::string where = "metadata_props[" + std::to_string(i) + "]";
    CheckText(key, where, "the key");
    CheckText(value, where, "the value");
    if (!bundle.metadata.emplace(key, value).second) {
      Corrupt(where, "a second entry with key " + Quoted(key));
    }
  }
  Importer importer(model);
  std::unordered_set<std::string> names;
  for (const onnx::Node& node : model.nodes) {
    if (node.op_type != "DequantizeLinear") continue;
    auto entry = importer.Import(node);
    if (!entry) continue;
    if (!names.insert(entry->first).second) {
      Corrupt("graph.node[" + std::to_string(node.index) + "] (DequantizeLinear)",
              "a second node with output " + Quoted(entry->first));
    }
    bundle.entries.emplace_back(std::move(entry->first), std::move(entry->second));
  }
  // Each graph output's position: entries that are outputs take the
  // outputs' order (a bundle's own, as qtensor writes it), the others follow.
  std::unordered_map<std::string, size_t> output_at;
  for (size_t i = 0; i < model.outputs.size(); ++i) output_at.emplace(model.outputs[i], i);
  for (const onnx::Tensor& tensor : model.initializers) {
    const std::optional<FloatDType> dtype = onnx::FloatDTypeOf(tensor.data_type);
    if (!dtype || output_at.count(tensor.name) == 0) continue;
    if (tensor.name.empty()) Corrupt("initializer \"\"", "a graph output has an empty name");
    CheckText(tensor.name, "initializer " + Quoted(tensor.name), "the name");
    if (!names.insert(tensor.name).second) {
      Corrupt("initializer " + Quoted(tensor.name), "its name is also a DequantizeLinear output");
    }
    bundle.entries.emplace_back(tensor.name, FloatEntryOf(tensor, *dtype));
  }
  const auto position = [&](const std::string& name) {
    const auto found = output_at.find(name);
    return found == output_at.end() ? model.outputs.size() : found->second;
  };
  std::stable_sort(bundle.entries.begin(), bundle.entries.end(), [&](const auto& a, const auto& b) {
    return position(a.first) < position(b.first);
  });
  return bundle;
}

}  // namespace qtensor::io
