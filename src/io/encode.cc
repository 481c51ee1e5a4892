#include "io/encode.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "core/dtype.h"
#include "core/error.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "io/file_header.h"
#include "io/wire_format.h"
#include "qtensor.pb.h"

// The data field is the machine's integers as they are; the format says
// little-endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "qtensor's file I/O assumes little-endian");

namespace qtensor::io {
namespace {

// Version 2 added Tensor.rounding, Tensor.scale_type, per block and float
// qparams; a file using them says so.
uint32_t VersionFor(const core::Quantizer& quantizer) {
  const bool new_fields = quantizer.rounding() != core::Rounding::kPyTorch ||
                          quantizer.scale_type() != core::ScaleType::kFloat64 ||
                          quantizer.per_block() || quantizer.float_qparams();
  return new_fields ? 2 : 1;
}

}  // namespace

EntryDescription DescribeEntry(const core::Tensor& tensor, const std::string& name) {
  EntryDescription description;
  v1::Tensor& message = description.message;
  const core::Quantizer quantizer = tensor.EffectiveQuantizer();
  message.set_dtype(static_cast<v1::DType>(quantizer.dtype()));
  for (int64_t size : tensor.shape()) message.add_shape(size);
  if (quantizer.axis() == core::Quantizer::kNoAxis) {
    core::Fail(core::ErrorKind::kInvalidArgument,
               "a float-qparams view that selected its channel axis away has no axis to save "
               "its parameters along: save a clone of the view with the axis kept (e.g. "
               "narrow instead of select)");
  }
  if (quantizer.float_qparams()) {
    message.set_qscheme(v1::PER_CHANNEL_AFFINE_FLOAT_QPARAMS);
    for (double scale : quantizer.scales()) message.add_scales(scale);
    message.set_axis(quantizer.axis());
  } else if (quantizer.per_channel() || quantizer.per_block()) {
    message.set_qscheme(quantizer.per_block() ? v1::PER_BLOCK_AFFINE : v1::PER_CHANNEL_AFFINE);
    for (double scale : quantizer.scales()) message.add_scales(scale);
    for (int64_t zero_point : quantizer.zero_points()) message.add_zero_points(zero_point);
    message.set_axis(quantizer.axis());
  } else {
    message.set_qscheme(v1::PER_TENSOR_AFFINE);
    message.set_scale(quantizer.scales()[0]);
    message.set_zero_point(quantizer.zero_points()[0]);
  }
  message.set_name(name);
  // The file's values are the C ABI's minus one (0 is the default there).
  message.set_rounding(static_cast<v1::Rounding>(static_cast<int>(quantizer.rounding()) - 1));
  message.set_scale_type(static_cast<v1::ScaleType>(static_cast<int>(quantizer.scale_type()) - 1));
  message.set_block_size(quantizer.block_size());
  for (float zero_point : quantizer.float_zero_points()) message.add_float_zero_points(zero_point);
  description.data_bytes = core::StorageBytes(tensor.dtype(), tensor.numel());
  description.version = VersionFor(quantizer);
  return description;
}

// A float entry: dtype and shape, no quantization fields; format version 2,
// which added it.
EntryDescription DescribeEntry(const FloatArray& array, const std::string& name) {
  EntryDescription description;
  v1::Tensor& message = description.message;
  message.set_dtype(static_cast<v1::DType>(v1::DTYPE_FLOAT32 + static_cast<int>(array.dtype) - 1));
  for (int64_t size : array.shape) message.add_shape(size);
  message.set_name(name);
  description.data_bytes = array.size;
  description.version = 2;
  return description;
}

EntryDescription DescribeEntry(const BundleEntry& entry, const std::string& name) {
  return std::visit([&](const auto& value) { return DescribeEntry(value, name); }, entry);
}

namespace {

// Protobuf writes fields in ascending number; the ones written by hand are
// the last of each message.
static_assert(std::max(v1::File::kMagicFieldNumber, v1::File::kFormatVersionFieldNumber) <
              std::min(v1::File::kTensorFieldNumber, v1::File::kBundleFieldNumber));
static_assert(v1::Bundle::kTensorsFieldNumber < v1::Bundle::kMetadataFieldNumber);
static_assert(std::max({v1::Tensor::kDtypeFieldNumber, v1::Tensor::kShapeFieldNumber,
                        v1::Tensor::kQschemeFieldNumber, v1::Tensor::kScaleFieldNumber,
                        v1::Tensor::kZeroPointFieldNumber, v1::Tensor::kScalesFieldNumber,
                        v1::Tensor::kZeroPointsFieldNumber, v1::Tensor::kAxisFieldNumber}) <
                  v1::Tensor::kDataFieldNumber &&
              v1::Tensor::kDataFieldNumber < v1::Tensor::kNameFieldNumber &&
              v1::Tensor::kNameFieldNumber < v1::Tensor::kRoundingFieldNumber &&
              v1::Tensor::kRoundingFieldNumber < v1::Tensor::kScaleTypeFieldNumber &&
              v1::Tensor::kScaleTypeFieldNumber < v1::Tensor::kBlockSizeFieldNumber &&
              v1::Tensor::kBlockSizeFieldNumber < v1::Tensor::kFloatZeroPointsFieldNumber);

// The fields written by hand are length-delimited: tag, length, payload.
uint64_t FieldSize(uint32_t tag, uint64_t payload) {
  return VarintSize(tag) + VarintSize(payload) + payload;
}

uint8_t* WriteFieldHead(uint8_t* out, uint32_t tag, uint64_t length) {
  return WriteVarint(WriteVarint(out, tag), length);
}

uint8_t* WriteBytes(uint8_t* out, const std::string& bytes) {
  // Bytes, not a C string: no terminator belongs after them.
  // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
}

std::string Deterministic(const google::protobuf::MessageLite& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.SetSerializationDeterministic(true);
  message.SerializeWithCachedSizes(&out);
  return bytes;
}

// A Tensor message: protobuf encodes every field but data and name, which
// follow by hand in protobuf's own order, and then the fields numbered
// after them (rounding, scale_type, block_size, float_zero_points), encoded
// by protobuf again.
class EncodedTensor {
 public:
  EncodedTensor(const core::Tensor& tensor, const std::string& name)
      : tensor_(&tensor), name_(name) {
    Split(DescribeEntry(tensor, ""));
  }

  // A float entry: its bytes as they are.
  EncodedTensor(const FloatArray& array, const std::string& name)
      : float_bytes_(array.data), name_(name) {
    Split(DescribeEntry(array, ""));
  }

  uint32_t version() const { return version_; }

  uint64_t size() const {
    return header_.size() + (data_bytes_ > 0 ? FieldSize(kTensorDataTag, data_bytes_) : 0) +
           (name_.empty() ? 0 : FieldSize(kTensorNameTag, name_.size())) + tail_.size();
  }

  uint8_t* Write(uint8_t* out) const {
    out = WriteBytes(out, header_);
    if (data_bytes_ > 0) {
      out = WriteFieldHead(out, kTensorDataTag, data_bytes_);
      if (tensor_ != nullptr) {
        core::StorageRepr(*tensor_, out);
        out += data_bytes_;
      } else {
        // Bytes, not a C string: no terminator belongs after them.
        // NOLINTNEXTLINE(bugprone-not-null-terminated-result)
        std::memcpy(out, float_bytes_, data_bytes_);
        out += data_bytes_;
      }
    }
    if (!name_.empty()) out = WriteBytes(WriteFieldHead(out, kTensorNameTag, name_.size()), name_);
    return WriteBytes(out, tail_);
  }

 private:
  const core::Tensor* tensor_ = nullptr;  // a quantized tensor's values
  const uint8_t* float_bytes_ = nullptr;  // or a float entry's
  std::string name_;
  uint64_t data_bytes_ = 0;
  std::string header_;
  std::string tail_;
  uint32_t version_ = 1;

  // The fields before data, and those after name, encoded by protobuf.
  void Split(EntryDescription description) {
    v1::Tensor& message = description.message;
    data_bytes_ = description.data_bytes;
    version_ = description.version;
    v1::Tensor tail;
    tail.set_rounding(message.rounding());
    tail.set_scale_type(message.scale_type());
    tail.set_block_size(message.block_size());
    *tail.mutable_float_zero_points() = message.float_zero_points();
    message.clear_rounding();
    message.clear_scale_type();
    message.clear_block_size();
    message.clear_float_zero_points();
    message.ByteSizeLong();
    header_ = Deterministic(message);
    tail.ByteSizeLong();
    tail_ = Deterministic(tail);
  }
};

// File's magic and format_version, the fields before its content.
std::string FileHeader(uint32_t version) {
  v1::File file;
  file.set_magic(kMagic);
  file.set_format_version(version);
  file.ByteSizeLong();
  return Deterministic(file);
}

}  // namespace

Buffer AllocateOutput(uint64_t size, uint64_t max_bytes) {
  if (size > max_bytes) {
    core::Fail(core::ErrorKind::kOutOfMemory,
               "cannot serialize: the result would be " + std::to_string(size) +
                   " bytes, over protobuf's limit of " + std::to_string(max_bytes) +
                   " bytes (2 GiB); split the tensors over several files");
  }
  Buffer buffer;
  buffer.size = static_cast<size_t>(size);
  buffer.data = core::AllocateBlock(buffer.size);
  return buffer;
}

void CheckWritten(const Buffer& buffer, const uint8_t* end) {
  if (end != buffer.data.get() + buffer.size) {
    throw std::logic_error("serialized size differs from the planned size");
  }
}

Buffer EncodeTensorFile(const core::Tensor& tensor, uint64_t max_bytes) {
  const EncodedTensor encoded(tensor, "");
  const std::string header = FileHeader(encoded.version());
  Buffer buffer =
      AllocateOutput(header.size() + FieldSize(kFileTensorTag, encoded.size()), max_bytes);
  uint8_t* out = WriteBytes(buffer.data.get(), header);
  out = encoded.Write(WriteFieldHead(out, kFileTensorTag, encoded.size()));
  CheckWritten(buffer, out);
  return buffer;
}

Buffer EncodeBundleFile(const Bundle& bundle, uint64_t max_bytes) {
  std::vector<EncodedTensor> tensors;
  tensors.reserve(bundle.entries.size());
  uint64_t content = 0;
  uint32_t version = 1;
  for (const auto& [name, entry] : bundle.entries) {
    std::visit([&, &name = name](const auto& value) { tensors.emplace_back(value, name); }, entry);
    content += FieldSize(kBundleTensorsTag, tensors.back().size());
    version = std::max(version, tensors.back().version());
  }
  const std::string header = FileHeader(version);
  // Metadata follows the tensors, as protobuf orders them by number.
  v1::Bundle metadata_only;
  metadata_only.mutable_metadata()->insert(bundle.metadata.begin(), bundle.metadata.end());
  metadata_only.ByteSizeLong();
  const std::string metadata = Deterministic(metadata_only);
  content += metadata.size();

  Buffer buffer = AllocateOutput(header.size() + FieldSize(kFileBundleTag, content), max_bytes);
  uint8_t* out = WriteBytes(buffer.data.get(), header);
  out = WriteFieldHead(out, kFileBundleTag, content);
  for (const EncodedTensor& tensor : tensors) {
    out = tensor.Write(WriteFieldHead(out, kBundleTensorsTag, tensor.size()));
  }
  out = WriteBytes(out, metadata);
  CheckWritten(buffer, out);
  return buffer;
}

}  // namespace qtensor::io
