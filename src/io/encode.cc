#include "io/encode.h"

#include <stdexcept>
#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/quantizer.h"
#include "core/tensor_ops.h"
#include "io/limits.h"

// The data field is the machine's integers as they are; the format says
// little-endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "qtensor's file I/O assumes little-endian");

namespace qtensor::io {
namespace {

uint64_t VarintSize(uint64_t value) {
  uint64_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

// A length-delimited field whose number (1..15) takes a one-byte tag.
uint64_t DelimitedFieldSize(uint64_t payload) { return 1 + VarintSize(payload) + payload; }

uint64_t DataBytes(const core::Tensor& tensor) {
  return static_cast<uint64_t>(tensor.numel()) * core::ElementSize(tensor.dtype());
}

// Sets every field but data; returns the message's size once data is set.
uint64_t EncodeHeader(const core::Tensor& tensor, const std::string& name, v1::Tensor* message) {
  const core::Quantizer quantizer = tensor.EffectiveQuantizer();
  message->set_dtype(static_cast<v1::DType>(quantizer.dtype()));
  for (int64_t size : tensor.shape()) message->add_shape(size);
  if (quantizer.per_channel()) {
    message->set_qscheme(v1::PER_CHANNEL_AFFINE);
    for (double scale : quantizer.scales()) message->add_scales(scale);
    for (int64_t zero_point : quantizer.zero_points()) message->add_zero_points(zero_point);
    message->set_axis(quantizer.axis());
  } else {
    message->set_qscheme(v1::PER_TENSOR_AFFINE);
    message->set_scale(quantizer.scales()[0]);
    message->set_zero_point(quantizer.zero_points()[0]);
  }
  message->set_name(name);
  const uint64_t data = DataBytes(tensor);
  return message->ByteSizeLong() + (data > 0 ? DelimitedFieldSize(data) : 0);
}

void EncodeData(const core::Tensor& tensor, v1::Tensor* message) {
  std::string* data = message->mutable_data();
  data->resize(static_cast<size_t>(DataBytes(tensor)));
  if (!data->empty()) core::IntRepr(tensor, data->data());
}

v1::File NewFile() {
  v1::File file;
  file.set_magic(kMagic);
  file.set_format_version(kFormatVersion);
  return file;
}

void CheckSize(uint64_t size, uint64_t max_bytes) {
  if (size > max_bytes) {
    core::Fail(core::ErrorKind::kOutOfMemory,
               "cannot serialize: the result would be " + std::to_string(size) +
                   " bytes, over protobuf's limit of " + std::to_string(max_bytes) +
                   " bytes (2 GiB); split the tensors over several files");
  }
}

// The planned size must be what protobuf computes.
void CheckPlan(const v1::File& file, uint64_t planned) {
  if (file.ByteSizeLong() != planned) {
    throw std::logic_error("serialized size " + std::to_string(file.ByteSizeLong()) +
                           " differs from the planned " + std::to_string(planned));
  }
}

}  // namespace

v1::File EncodeTensorFile(const core::Tensor& tensor, uint64_t max_bytes) {
  v1::File file = NewFile();
  const uint64_t header = file.ByteSizeLong();
  const uint64_t size =
      header + DelimitedFieldSize(EncodeHeader(tensor, "", file.mutable_tensor()));
  CheckSize(size, max_bytes);
  EncodeData(tensor, file.mutable_tensor());
  CheckPlan(file, size);
  return file;
}

v1::File EncodeBundleFile(const Bundle& bundle, uint64_t max_bytes) {
  v1::File file = NewFile();
  const uint64_t header = file.ByteSizeLong();
  v1::Bundle* message = file.mutable_bundle();
  message->mutable_metadata()->insert(bundle.metadata.begin(), bundle.metadata.end());
  uint64_t content = message->ByteSizeLong();
  for (const auto& [name, tensor] : bundle.tensors) {
    content += DelimitedFieldSize(EncodeHeader(tensor, name, message->add_tensors()));
  }
  const uint64_t size = header + DelimitedFieldSize(content);
  CheckSize(size, max_bytes);
  for (size_t i = 0; i < bundle.tensors.size(); ++i) {
    EncodeData(bundle.tensors[i].second, message->mutable_tensors(static_cast<int>(i)));
  }
  CheckPlan(file, size);
  return file;
}

}  // namespace qtensor::io
