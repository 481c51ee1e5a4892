#include "protobuf_reference.h"

#include <doctest/doctest.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "io/data_fields.h"
#include "io/serialize.h"
#include "io/validate.h"

namespace reference {
namespace {

using qtensor::v1::File;

std::string Deterministic(const File& file) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    file.SerializeWithCachedSizes(&out);
  }
  return bytes;
}

void PutBackData(qtensor::v1::Tensor* tensor, const qtensor::io::SplitFile& split) {
  const qtensor::io::ByteSpan values = qtensor::io::DataFieldBytes(tensor->data(), split);
  tensor->set_data(std::string(reinterpret_cast<const char*>(values.data), values.size));
}

std::string Describe(const qtensor::core::Tensor& tensor) {
  std::string text = "ok shape";
  for (int64_t size : tensor.shape()) text += " " + std::to_string(size);
  std::string bytes(qtensor::core::StorageBytes(tensor.dtype(), tensor.numel()), '\0');
  qtensor::core::StorageRepr(tensor, bytes.data());
  return text + " values " + bytes;
}

template <typename Decode>
std::string Outcome(Decode&& decode) {
  try {
    return Describe(decode());
  } catch (const qtensor::core::Error& error) {
    return std::string("error ") + error.what();
  }
}

}  // namespace

bool Parse(const std::string& bytes, File* file) {
  google::protobuf::LogSilencer quiet;
  return file->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

bool CheckSplitMatchesProtobuf(const std::string& input) {
  File want;
  const bool want_ok = Parse(input, &want);
  qtensor::io::SplitFile split;
  const bool split_ok = qtensor::io::SplitDataFields(reinterpret_cast<const uint8_t*>(input.data()),
                                                     input.size(), &split);
  File got;
  const bool got_ok = split_ok && Parse(split.message, &got);
  if (split_ok) CHECK(split.message.size() <= input.size());
  CHECK(got_ok == want_ok);
  if (!got_ok || !want_ok) return want_ok;
  if (got.has_tensor()) PutBackData(got.mutable_tensor(), split);
  if (got.has_bundle()) {
    for (auto& tensor : *got.mutable_bundle()->mutable_tensors()) PutBackData(&tensor, split);
  }
  CHECK(Deterministic(got) == Deterministic(want));
  return want_ok;
}

std::string OldTensorOutcome(const std::string& input) {
  using qtensor::core::ErrorKind;
  return Outcome([&] {
    File file;
    if (!Parse(input, &file)) {
      qtensor::core::Fail(ErrorKind::kCorruptData,
                          "malformed data: not a protobuf encoding of qtensor.v1.File (truncated, "
                          "a field encoded wrongly, or a string that is not UTF-8)");
    }
    qtensor::io::ValidateHeader(file);
    if (file.content_case() == File::kBundle) {
      qtensor::core::Fail(ErrorKind::kCorruptData, "the data holds a bundle, not a single tensor");
    }
    if (file.content_case() != File::kTensor) {
      qtensor::core::Fail(ErrorKind::kCorruptData, "the data holds neither a tensor nor a bundle");
    }
    const std::string& data = file.tensor().data();
    const qtensor::io::ValidTensor valid =
        qtensor::io::ValidateTensor(file.tensor(), data.size(), "tensor");
    return qtensor::core::FromStorageRepr(data.data(), data.size(), valid.shape, valid.quantizer);
  });
}

std::string TensorOutcome(const std::string& input) {
  return Outcome([&] {
    return qtensor::io::DeserializeTensor(reinterpret_cast<const uint8_t*>(input.data()),
                                          input.size());
  });
}

}  // namespace reference
