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

core::DType CheckedDType(const v1::Tensor& message, const std::string& where) {
  const int value = message.dtype();
  if (!core::IsValidDType(value)) {
    Corrupt(where, "dtype " + std::to_string(value) +
                       " is unknown: unsupported by this version of qtensor, which reads 1 = "
                       "QINT8 to 9 = QUINT4");
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

int64_t CheckedNumel(const std::vector<int64_t>& shape, core::DType dtype,
                     const std::string& where) {
  try {
    return core::CheckedNumel(shape, dtype);
  } catch (const core::Error& error) {
    Corrupt(where, "shape " + core::ShapeText(shape, core::ShapeStyle::kList) +
                       " is too large: " + error.what());
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

core::Quantizer PerTensorQuantizer(const v1::Tensor& message, core::DType dtype,
                                   const std::string& where) {
  const std::string rule = ": a per-tensor tensor has no per-channel fields";
  if (message.scales_size() > 0) {
    Corrupt(where, "scales has " + std::to_string(message.scales_size()) + " values" + rule);
  }
  if (message.zero_points_size() > 0) {
    Corrupt(where,
            "zero_points has " + std::to_string(message.zero_points_size()) + " values" + rule);
  }
  if (message.axis() != 0) Corrupt(where, "axis is " + std::to_string(message.axis()) + rule);
  return CheckedQuantizer(where, [&] {
    return core::Quantizer::PerTensor(dtype, message.scale(), message.zero_point());
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

// The channel axis of a per-channel message whose scales and zero points
// (the field named zero_points_field, of zero_points_count values) have one
// value per channel.
int64_t CheckedChannels(const v1::Tensor& message, const std::vector<int64_t>& shape,
                        const char* zero_points_field, int zero_points_count,
                        const std::string& where) {
  const int64_t axis = CheckedAxis(message, shape, "per-channel", where);
  const std::string channels = "shape[" + std::to_string(axis) +
                               "] = " + std::to_string(shape[axis]) + " (the channel axis)";
  if (message.scales_size() != shape[axis]) {
    Corrupt(where,
            "scales has " + std::to_string(message.scales_size()) + " values but " + channels);
  }
  if (zero_points_count != shape[axis]) {
    Corrupt(where, std::string(zero_points_field) + " has " + std::to_string(zero_points_count) +
                       " values but " + channels);
  }
  return axis;
}

core::Quantizer PerChannelQuantizer(const v1::Tensor& message, core::DType dtype,
                                    const std::vector<int64_t>& shape, const std::string& where) {
  const int64_t axis =
      CheckedChannels(message, shape, "zero_points", message.zero_points_size(), where);
  return CheckedQuantizer(where, [&] {
    return core::Quantizer::PerChannel(
        dtype, std::vector<double>(message.scales().begin(), message.scales().end()),
        std::vector<int64_t>(message.zero_points().begin(), message.zero_points().end()), axis);
  });
}

core::Quantizer FloatQParamsQuantizer(const v1::Tensor& message, core::DType dtype,
                                      const std::vector<int64_t>& shape, const std::string& where) {
  const int64_t axis =
      CheckedChannels(message, shape, "float_zero_points", message.float_zero_points_size(), where);
  if (message.zero_points_size() != 0) {
    Corrupt(where, "zero_points has " + std::to_string(message.zero_points_size()) +
                       " values: a PER_CHANNEL_AFFINE_FLOAT_QPARAMS tensor has float_zero_points "
                       "instead");
  }
  std::vector<float> scales;
  scales.reserve(static_cast<size_t>(message.scales_size()));
  for (int c = 0; c < message.scales_size(); ++c) {
    const double scale = message.scales(c);
    if (std::isfinite(scale) && static_cast<double>(static_cast<float>(scale)) != scale) {
      Corrupt(where, "scales[" + std::to_string(c) + "] = " + core::FormatPythonFloat(scale) +
                         " is not a float32 value, as a float-qparams scale is");
    }
    scales.push_back(static_cast<float>(scale));
  }
  return CheckedQuantizer(where, [&] {
    return core::Quantizer::PerChannelFloatQParams(
        dtype, scales,
        std::vector<float>(message.float_zero_points().begin(), message.float_zero_points().end()),
        axis);
  });
}

core::Quantizer PerBlockQuantizer(const v1::Tensor& message, core::DType dtype,
                                  const std::vector<int64_t>& shape, const std::string& where) {
  const int64_t axis = CheckedAxis(message, shape, "per-block", where);
  if (message.block_size() < 1) {
    Corrupt(where, "block_size " + std::to_string(message.block_size()) + " is not >= 1");
  }
  if (message.zero_points_size() != message.scales_size()) {
    Corrupt(where, "scales has " + std::to_string(message.scales_size()) +
                       " values but zero_points " + std::to_string(message.zero_points_size()));
  }
  return CheckedQuantizer(where, [&] {
    core::Quantizer quantizer = core::Quantizer::PerBlock(
        dtype, std::vector<double>(message.scales().begin(), message.scales().end()),
        std::vector<int64_t>(message.zero_points().begin(), message.zero_points().end()), axis,
        message.block_size());
    quantizer.ResolveAxis(shape);  // the count of parameters
    return quantizer;
  });
}

}  // namespace

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

// The quantizer with the message's rounding and scale type (format
// version 2), each checked against the parameters.
core::Quantizer WithCheckedForms(const v1::Tensor& message, const core::Quantizer& quantizer,
                                 const std::string& where) {
  if (message.rounding() != v1::PYTORCH_ROUNDING && message.rounding() != v1::ONNX_ROUNDING) {
    Corrupt(where, "rounding " + std::to_string(message.rounding()) +
                       " is unknown (expected 0 = PYTORCH_ROUNDING or 1 = ONNX_ROUNDING)");
  }
  const int scale_type = static_cast<int>(message.scale_type()) + 1;
  if (!core::IsValidScaleType(scale_type)) {
    Corrupt(where, "scale_type " + std::to_string(message.scale_type()) +
                       " is unknown (expected 0 = FLOAT64 to 3 = BFLOAT16)");
  }
  const core::Rounding rounding =
      message.rounding() == v1::ONNX_ROUNDING ? core::Rounding::kOnnx : core::Rounding::kPyTorch;
  try {
    return quantizer.WithRounding(rounding).WithScaleType(static_cast<core::ScaleType>(scale_type));
  } catch (const core::Error& error) {
    Corrupt(where, error.what());
  }
}

ValidTensor ValidateTensor(const v1::Tensor& message, uint64_t data_bytes,
                           const std::string& where) {
  const core::DType dtype = CheckedDType(message, where);
  CheckQScheme(message, where);
  std::vector<int64_t> shape = CheckedShape(message, where);
  const int64_t numel = CheckedNumel(shape, dtype, where);
  core::Quantizer quantizer = message.qscheme() == v1::PER_CHANNEL_AFFINE
                                  ? PerChannelQuantizer(message, dtype, shape, where)
                              : message.qscheme() == v1::PER_BLOCK_AFFINE
                                  ? PerBlockQuantizer(message, dtype, shape, where)
                              : message.qscheme() == v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS
                                  ? FloatQParamsQuantizer(message, dtype, shape, where)
                                  : PerTensorQuantizer(message, dtype, where);
  quantizer = WithCheckedForms(message, quantizer, where);
  // The size fits: CheckedNumel bounds it by 2^48 bytes.
  const uint64_t bytes = core::StorageBytes(dtype, numel);
  if (data_bytes != bytes) {
    Corrupt(where, "data holds " + std::to_string(data_bytes) + " bytes but shape " +
                       core::ShapeText(shape, core::ShapeStyle::kList) + " of " +
                       core::DTypeName(dtype) + " needs " + std::to_string(bytes));
  }
  return ValidTensor{std::move(shape), std::move(quantizer)};
}

void ValidateHeader(const v1::File& file) {
  if (file.magic() != kMagic) {
    core::Fail(ErrorKind::kCorruptData, "not a qtensor file: magic is " + Quoted(file.magic()) +
                                            ", expected \"" + kMagic + "\"");
  }
  if (file.format_version() == 0) {
    core::Fail(ErrorKind::kCorruptData,
               "format_version is 0 (unset): a qtensor file has version 1 or later");
  }
  if (file.format_version() > kFormatVersion) {
    core::Fail(ErrorKind::kCorruptData, "format_version " + std::to_string(file.format_version()) +
                                            " is newer than this library reads (" +
                                            std::to_string(kFormatVersion) + "): upgrade qtensor");
  }
}

}  // namespace qtensor::io
