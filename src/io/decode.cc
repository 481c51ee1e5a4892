#include "io/decode.h"

#include <string>
#include <variant>

#include <google/protobuf/stubs/logging.h>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "io/data_fields.h"
#include "io/validate.h"
#include "io/wire_format.h"
#include "qtensor.pb.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;

// The parsed File and, apart from it, the input's tensor values it refers to.
struct ParsedFile {
  SplitFile split;
  v1::File file;
};

[[noreturn]] void FailMalformed() {
  core::Fail(ErrorKind::kCorruptData,
             "malformed data: not a protobuf encoding of qtensor.v1.File (truncated, a field "
             "encoded wrongly, or a string that is not UTF-8)");
}

// Protobuf parses everything but the values, which stay in the input.
void ParseFile(const uint8_t* data, size_t size, ParsedFile* parsed) {
  if (size > kMaxSerializedBytes) {
    core::Fail(ErrorKind::kCorruptData, "input of " + std::to_string(size) +
                                            " bytes is over the limit of " +
                                            std::to_string(kMaxSerializedBytes) + " bytes (2 GiB)");
  }
  if (!SplitDataFields(data, size, &parsed->split)) FailMalformed();
  const std::string& message = parsed->split.message;
  bool ok;
  {
    // Protobuf logs invalid UTF-8 to stderr; a library reports it instead.
    google::protobuf::LogSilencer quiet;
    ok = parsed->file.ParseFromArray(message.data(), static_cast<int>(message.size()));
  }
  if (!ok) FailMalformed();
  ValidateHeader(parsed->file);
}

core::Tensor MakeTensor(const ByteSpan& values, const ValidTensor& valid) {
  return core::FromStorageRepr(values.data, values.size, valid.shape, valid.quantizer);
}

BundleEntry MakeEntry(const ByteSpan& values, const ValidEntry& valid) {
  if (const auto* array = std::get_if<ValidFloatArray>(&valid)) {
    return FloatArray::Copy(array->dtype, array->shape, values.data, values.size);
  }
  return MakeTensor(values, std::get<ValidTensor>(valid));
}

}  // namespace

core::Tensor DecodeTensor(const uint8_t* data, size_t size) {
  ParsedFile parsed;
  ParseFile(data, size, &parsed);
  const v1::File& file = parsed.file;
  if (file.content_case() == v1::File::kBundle) {
    core::Fail(ErrorKind::kCorruptData, "the data holds a bundle, not a single tensor");
  }
  if (file.content_case() != v1::File::kTensor) {
    core::Fail(ErrorKind::kCorruptData, "the data holds neither a tensor nor a bundle");
  }
  const ByteSpan values = DataFieldBytes(file.tensor().data(), parsed.split);
  return MakeTensor(values, ValidateTensor(file.tensor(), values.size, "tensor"));
}

Bundle DecodeBundle(const uint8_t* data, size_t size) {
  ParsedFile parsed;
  ParseFile(data, size, &parsed);
  const v1::File& file = parsed.file;
  if (file.content_case() == v1::File::kTensor) {
    core::Fail(ErrorKind::kCorruptData, "the data holds a single tensor, not a bundle");
  }
  if (file.content_case() != v1::File::kBundle) {
    core::Fail(ErrorKind::kCorruptData, "the data holds neither a tensor nor a bundle");
  }
  const v1::Bundle& message = file.bundle();
  ValidateMetadata(message.metadata(), "bundle");
  // Everything is checked before any tensor's values are allocated.
  EntryNames names("bundle", "tensors");
  std::vector<ValidEntry> valid;
  std::vector<ByteSpan> values;
  valid.reserve(static_cast<size_t>(message.tensors_size()));
  values.reserve(static_cast<size_t>(message.tensors_size()));
  for (int i = 0; i < message.tensors_size(); ++i) {
    const v1::Tensor& entry = message.tensors(i);
    values.push_back(DataFieldBytes(entry.data(), parsed.split));
    valid.push_back(ValidateEntry(entry, values.back().size, &names));
  }
  Bundle bundle;
  bundle.entries.reserve(valid.size());
  for (size_t i = 0; i < valid.size(); ++i) {
    bundle.entries.emplace_back(message.tensors(static_cast<int>(i)).name(),
                                MakeEntry(values[i], valid[i]));
  }
  bundle.metadata.insert(message.metadata().begin(), message.metadata().end());
  return bundle;
}

}  // namespace qtensor::io
