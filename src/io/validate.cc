#include "io/validate.h"

#include <cmath>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/print.h"
#include "core/shape.h"
#include "core/storage.h"
#include "io/file_header.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;

[[noreturn]] void Corrupt(const std::string& where, const std::string& what) {
  core::Fail(ErrorKind::kCorruptData, where + ": " + what);
}

FloatDType FloatDTypeOf(const v1::Tensor& message) {
  return static_cast<FloatDType>(message.dtype() - v1::DTYPE_FLOAT32 + 1);
}

core::DType CheckedDType(const v1::Tensor& message, const std::string& where) {
  const int value = message.dtype();
  if (IsFloatEntry(message)) {
    Corrupt(where, "dtype " + std::to_string(value) + " (" + FloatDTypeName(FloatDTypeOf(message)) +
                       ") is an unquantized float entry, which only a bundle holds");
  }
  if (!core::IsValidDType(value)) {
    Corrupt(where, "dtype " + std::to_string(value) +
                       " is unknown: unsupported by this version of qtensor, which reads 1 = "
                       "QINT8 to 9 = QUINT4 and, in a bundle, 10 = DTYPE_FLOAT32 to 12 = "
                       "DTYPE_BFLOAT16");
  }
  return static_cast<core::DType>(value);
}

void CheckQScheme(const v1::Tensor& message, const std::string& where) {
  const int value = message.qscheme();
  if (value != v1::PER_TENSOR_AFFINE && value != v1::PER_CHANNEL_AFFINE &&
      value != v1::PER_BLOCK_AFFINE && value != v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS) {
    Corrupt(where, "qscheme " + std::to_string(value) +
                       " is unknown (expected 1 = PER_TENSOR_AFFINE, 2 = PER_CHANNEL_AFFINE, 3 "
                       "= PER_BLOCK_AFFINE or 4 = PER_CHANNEL_AFFINE_FLOAT_QPARAMS)");
  }
  if (value != v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS && message.float_zero_points_size() != 0) {
    Corrupt(where, "float_zero_points has " + std::to_string(message.float_zero_points_size()) +
                       " values: only a PER_CHANNEL_AFFINE_FLOAT_QPARAMS tensor has them");
  }
  if (value != v1::PER_BLOCK_AFFINE && message.block_size() != 0) {
    Corrupt(where, "block_size is " + std::to_string(message.block_size()) +
                       ": only a per-block tensor has one");
  }
}

// A float entry has none of a quantized tensor's fields.
void CheckNoQuantization(const v1::Tensor& message, const std::string& where) {
  const auto unset = [&](bool is_set, const std::string& field) {
    if (is_set) Corrupt(where, field + " is set: a float entry has no quantization fields");
  };
  unset(message.qscheme() != 0, "qscheme " + std::to_string(message.qscheme()));
  unset(message.scale() != 0.0, "scale " + core::FormatPythonFloat(message.scale()));
  unset(message.zero_point() != 0, "zero_point " + std::to_string(message.zero_point()));
  unset(message.scales_size() > 0, "scales (" + std::to_string(message.scales_size()) + ")");
  unset(message.zero_points_size() > 0,
        "zero_points (" + std::to_string(message.zero_points_size()) + ")");
  unset(message.axis() != 0, "axis " + std::to_string(message.axis()));
  unset(message.rounding() != 0, "rounding " + std::to_string(message.rounding()));
  unset(message.scale_type() != 0, "scale_type " + std::to_string(message.scale_type()));
  unset(message.block_size() != 0, "block_size " + std::to_string(message.block_size()));
}

std::vector<int64_t> CheckedShape(const v1::Tensor& message, const std::string& where) {
  try {
    core::CheckRank(static_cast<size_t>(message.shape_size()));
  } catch (const core::Error& error) {
    Corrupt(where, error.what());
  }
  std::vector<int64_t> shape(message.shape().begin(), message.shape().end());
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0) {
      Corrupt(where,
              "shape[" + std::to_string(d) + "] = " + std::to_string(shape[d]) + " is negative");
    }
  }
  return shape;
}

// count(shape): core::CheckedNumel for the element type, whose failure
// here is a shape too large.
template <typename Count>
int64_t CheckedNumel(const std::vector<int64_t>& shape, const std::string& where, Count&& count) {
  try {
    return count(shape);
  } catch (const core::Error& error) {
    Corrupt(where, "shape " + core::ShapeText(shape, core::ShapeStyle::kList) +
                       " is too large: " + error.what());
  }
}

void CheckDataBytes(uint64_t data_bytes, uint64_t bytes, const std::vector<int64_t>& shape,
                    const char* type, const std::string& where) {
  if (data_bytes != bytes) {
    Corrupt(where, "data holds " + std::to_string(data_bytes) + " bytes but shape " +
                       core::ShapeText(shape, core::ShapeStyle::kList) + " of " + type + " needs " +
                       std::to_string(bytes));
  }
}

// Builds the quantizer, reporting a bad parameter as corrupt data.
template <typename Make>
core::Quantizer CheckedQuantizer(const std::string& where, Make&& make) {
  try {
    return make();
  } catch (const core::Error& error) {
    Corrupt(where, error.what());
  }
}

// The message's rounding and scale type (format version 2).
core::QuantizerForms CheckedForms(const v1::Tensor& message, const std::string& where) {
  const int rounding = static_cast<int>(message.rounding()) + 1;
  if (!core::IsValidRounding(rounding)) {
    Corrupt(where, "rounding " + std::to_string(message.rounding()) +
                       " is unknown (expected 0 = PYTORCH_ROUNDING to 2 = GGUF_ROUNDING)");
  }
  const int scale_type = static_cast<int>(message.scale_type()) + 1;
  if (!core::IsValidScaleType(scale_type)) {
    Corrupt(where, "scale_type " + std::to_string(message.scale_type()) +
                       " is unknown (expected 0 = FLOAT64 to 3 = BFLOAT16)");
  }
  return {static_cast<core::Rounding>(rounding), static_cast<core::ScaleType>(scale_type)};
}

// The per-tensor fields: the parameter lists empty and axis 0; builds the
// quantizer.
void PerTensorLayout(const v1::Tensor& message, const std::string& where, TensorLayout* layout) {
  const std::string rule = ": a per-tensor tensor has no per-channel fields";
  if (message.scales_size() > 0) {
    Corrupt(where, "scales has " + std::to_string(message.scales_size()) + " values" + rule);
  }
  if (message.zero_points_size() > 0) {
    Corrupt(where,
            "zero_points has " + std::to_string(message.zero_points_size()) + " values" + rule);
  }
  if (message.axis() != 0) Corrupt(where, "axis is " + std::to_string(message.axis()) + rule);
  layout->per_tensor = CheckedQuantizer(where, [&] {
    return core::Quantizer::PerTensor(layout->dtype, message.scale(), message.zero_point(),
                                      layout->forms);
  });
}

// The checks per-channel and per-block tensors share: the per-tensor fields
// left 0 and an axis of the shape, which this returns.
int64_t CheckedAxis(const v1::Tensor& message, const std::vector<int64_t>& shape,
                    const char* scheme, const std::string& where) {
  const std::string rule = std::string(": a ") + scheme + " tensor leaves the per-tensor fields 0";
  if (message.scale() != 0.0) {
    Corrupt(where, "scale is " + core::FormatPythonFloat(message.scale()) + rule);
  }
  if (message.zero_point() != 0) {
    Corrupt(where, "zero_point is " + std::to_string(message.zero_point()) + rule);
  }
  const int64_t rank = static_cast<int64_t>(shape.size());
  const int64_t axis = message.axis();
  if (axis < 0 || axis >= rank) {
    Corrupt(where, "axis " + std::to_string(axis) + " is out of range for rank " +
                       std::to_string(rank) + " (0 <= axis < rank)");
  }
  return axis;
}

void PerChannelLayout(const v1::Tensor& message, const std::string& where, TensorLayout* layout) {
  const bool float_qparams = layout->qscheme == v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS;
  layout->axis = CheckedAxis(message, layout->shape, "per-channel", where);
  if (float_qparams && message.zero_points_size() != 0) {
    Corrupt(where, "zero_points has " + std::to_string(message.zero_points_size()) +
                       " values: a PER_CHANNEL_AFFINE_FLOAT_QPARAMS tensor has float_zero_points "
                       "instead");
  }
  layout->parameters = layout->shape[static_cast<size_t>(layout->axis)];
}

void PerBlockLayout(const v1::Tensor& message, const std::string& where, TensorLayout* layout) {
  layout->axis = CheckedAxis(message, layout->shape, "per-block", where);
  if (message.block_size() < 1) {
    Corrupt(where, "block_size " + std::to_string(message.block_size()) + " is not >= 1");
  }
  layout->block_size = message.block_size();
  // ONNX's shape rule, counted: at most the element count, which fits.
  int64_t count =
      core::BlockCount(layout->shape[static_cast<size_t>(layout->axis)], layout->block_size);
  for (size_t d = 0; d < layout->shape.size(); ++d) {
    if (static_cast<int64_t>(d) != layout->axis) count *= layout->shape[d];
  }
  layout->parameters = count;
}

// A message's own parameter lists, each checked to hold one value per
// parameter.
QuantizerArrays MessageArrays(const v1::Tensor& message, const TensorLayout& layout,
                              const std::string& where) {
  const bool float_qparams = layout.qscheme == v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS;
  const int zero_points =
      float_qparams ? message.float_zero_points_size() : message.zero_points_size();
  const char* zero_points_field = float_qparams ? "float_zero_points" : "zero_points";
  const std::string needed =
      layout.qscheme == v1::PER_BLOCK_AFFINE
          ? "a tensor of shape " + core::ShapeText(layout.shape, core::ShapeStyle::kList) +
                " with blocks of " + std::to_string(layout.block_size) + " along axis " +
                std::to_string(layout.axis) + " has " + std::to_string(layout.parameters)
          : "shape[" + std::to_string(layout.axis) + "] = " + std::to_string(layout.parameters) +
                " (the channel axis)";
  if (message.scales_size() != layout.parameters) {
    Corrupt(where, "scales has " + std::to_string(message.scales_size()) + " values but " + needed);
  }
  if (zero_points != layout.parameters) {
    Corrupt(where, std::string(zero_points_field) + " has " + std::to_string(zero_points) +
                       " values but " + needed);
  }
  QuantizerArrays arrays;
  arrays.scales.assign(message.scales().begin(), message.scales().end());
  arrays.zero_points.assign(message.zero_points().begin(), message.zero_points().end());
  arrays.float_zero_points.assign(message.float_zero_points().begin(),
                                  message.float_zero_points().end());
  return arrays;
}

core::Quantizer FloatQParamsQuantizer(const TensorLayout& layout, QuantizerArrays arrays,
                                      const std::string& where) {
  std::vector<float> scales;
  scales.reserve(arrays.scales.size());
  for (size_t c = 0; c < arrays.scales.size(); ++c) {
    const double scale = arrays.scales[c];
    if (std::isfinite(scale) && static_cast<double>(static_cast<float>(scale)) != scale) {
      Corrupt(where, "scales[" + std::to_string(c) + "] = " + core::FormatPythonFloat(scale) +
                         " is not a float32 value, as a float-qparams scale is");
    }
    scales.push_back(static_cast<float>(scale));
  }
  return CheckedQuantizer(where, [&] {
    return core::Quantizer::PerChannelFloatQParams(layout.dtype, scales,
                                                   std::move(arrays.float_zero_points), layout.axis)
        .WithForms(layout.forms);
  });
}

}  // namespace

TensorLayout ValidateTensorLayout(const v1::Tensor& message, uint64_t data_bytes,
                                  const std::string& where) {
  TensorLayout layout;
  layout.dtype = CheckedDType(message, where);
  CheckQScheme(message, where);
  layout.qscheme = message.qscheme();
  layout.shape = CheckedShape(message, where);
  const int64_t numel = CheckedNumel(layout.shape, where, [&](const std::vector<int64_t>& dims) {
    return core::CheckedNumel(dims, layout.dtype);
  });
  layout.forms = CheckedForms(message, where);
  if (layout.qscheme == v1::PER_TENSOR_AFFINE) {
    PerTensorLayout(message, where, &layout);
  } else if (layout.qscheme == v1::PER_BLOCK_AFFINE) {
    PerBlockLayout(message, where, &layout);
  } else {
    PerChannelLayout(message, where, &layout);
  }
  // The size fits: CheckedNumel bounds it by 2^48 bytes.
  CheckDataBytes(data_bytes, core::StorageBytes(layout.dtype, numel), layout.shape,
                 core::DTypeName(layout.dtype), where);
  return layout;
}

core::Quantizer LayoutQuantizer(const TensorLayout& layout, QuantizerArrays arrays,
                                const std::string& where) {
  if (layout.per_tensor) return *layout.per_tensor;
  if (layout.qscheme == v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS) {
    return FloatQParamsQuantizer(layout, std::move(arrays), where);
  }
  return CheckedQuantizer(where, [&] {
    if (layout.qscheme == v1::PER_CHANNEL_AFFINE) {
      return core::Quantizer::PerChannel(layout.dtype, std::move(arrays.scales),
                                         std::move(arrays.zero_points), layout.axis, layout.forms);
    }
    core::Quantizer quantizer = core::Quantizer::PerBlock(
        layout.dtype, std::move(arrays.scales), std::move(arrays.zero_points), layout.axis,
        layout.block_size, layout.forms);
    quantizer.ResolveAxis(layout.shape);  // the count of parameters
    return quantizer;
  });
}

std::string Quoted(const std::string& text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < 40; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      out += static_cast<char>(byte);
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  if (text.size() > 40) out += "...";
  return out + "\"";
}

ValidTensor ValidateTensor(const v1::Tensor& message, uint64_t data_bytes,
                           const std::string& where) {
  TensorLayout layout = ValidateTensorLayout(message, data_bytes, where);
  QuantizerArrays arrays;
  if (!layout.per_tensor) arrays = MessageArrays(message, layout, where);
  core::Quantizer quantizer = LayoutQuantizer(layout, std::move(arrays), where);
  return ValidTensor{std::move(layout.shape), std::move(quantizer)};
}

bool IsFloatEntry(const v1::Tensor& message) {
  return message.dtype() >= v1::DTYPE_FLOAT32 && message.dtype() <= v1::DTYPE_BFLOAT16;
}

ValidFloatArray ValidateFloatArray(const v1::Tensor& message, uint64_t data_bytes,
                                   const std::string& where) {
  const FloatDType dtype = FloatDTypeOf(message);
  CheckNoQuantization(message, where);
  std::vector<int64_t> shape = CheckedShape(message, where);
  const int64_t numel = CheckedNumel(shape, where, [&](const std::vector<int64_t>& dims) {
    return CheckedFloatNumel(dims, dtype);
  });
  // CheckedFloatNumel bounds the size by 2^48 bytes.
  CheckDataBytes(data_bytes, static_cast<uint64_t>(numel) * FloatDTypeBytes(dtype), shape,
                 FloatDTypeName(dtype), where);
  return ValidFloatArray{dtype, std::move(shape)};
}

namespace {

bool HasNul(const std::string& text) { return text.find('\0') != std::string::npos; }

}  // namespace

std::string CheckEntryName(const std::string& owner, const std::string& list, size_t index,
                           const std::string& name) {
  const std::string position = owner + " " + list + "[" + std::to_string(index) + "]";
  if (name.empty()) core::Fail(ErrorKind::kCorruptData, position + " has an empty name");
  std::string where = position + " (" + Quoted(name) + ")";
  if (HasNul(name)) core::Fail(ErrorKind::kCorruptData, where + ": the name contains a NUL byte");
  return where;
}

void FailDuplicateName(const std::string& where, const std::string& list, size_t first) {
  core::Fail(ErrorKind::kCorruptData,
             where + ": duplicate name, also " + list + "[" + std::to_string(first) + "]");
}

std::string EntryNames::Check(const std::string& name) {
  const int index = next_++;
  std::string where = CheckEntryName(owner_, list_, static_cast<size_t>(index), name);
  const auto [seen, inserted] = first_index_.emplace(name, index);
  if (!inserted) FailDuplicateName(where, list_, static_cast<size_t>(seen->second));
  return where;
}

ValidEntry ValidateEntry(const v1::Tensor& message, uint64_t data_bytes, EntryNames* names) {
  return ValidateEntryFields(message, data_bytes, names->Check(message.name()));
}

ValidEntry ValidateEntryFields(const v1::Tensor& message, uint64_t data_bytes,
                               const std::string& where) {
  if (IsFloatEntry(message)) return ValidateFloatArray(message, data_bytes, where);
  return ValidateTensor(message, data_bytes, where);
}

void ValidateMetadataPair(const std::string& key, const std::string& value,
                          const std::string& owner) {
  // The C ABI hands metadata out as NUL-terminated strings.
  if (key.empty()) core::Fail(ErrorKind::kCorruptData, owner + " metadata has an empty key");
  if (HasNul(key)) {
    core::Fail(ErrorKind::kCorruptData,
               owner + " metadata key " + Quoted(key) + " contains a NUL byte");
  }
  if (HasNul(value)) {
    core::Fail(ErrorKind::kCorruptData,
               owner + " metadata value of " + Quoted(key) + " contains a NUL byte");
  }
}

void ValidateMetadata(const google::protobuf::Map<std::string, std::string>& metadata,
                      const std::string& owner) {
  for (const auto& [key, value] : metadata) ValidateMetadataPair(key, value, owner);
}

void ValidateFormatVersion(uint32_t version, const std::string& field) {
  if (version == 0) {
    core::Fail(ErrorKind::kCorruptData,
               field + " is 0 (unset): a qtensor file has version 1 or later");
  }
  if (version > kFormatVersion) {
    core::Fail(ErrorKind::kCorruptData, field + " " + std::to_string(version) +
                                            " is newer than this library reads (" +
                                            std::to_string(kFormatVersion) + "): upgrade qtensor");
  }
}

void ValidateHeader(const v1::File& file) {
  if (file.magic() != kMagic) {
    core::Fail(ErrorKind::kCorruptData, "not a qtensor file: magic is " + Quoted(file.magic()) +
                                            ", expected \"" + kMagic + "\"");
  }
  ValidateFormatVersion(file.format_version(), "format_version");
}

}  // namespace qtensor::io
