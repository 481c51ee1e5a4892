#include "io/decode.h"

#include <string>
#include <unordered_map>

#include <google/protobuf/stubs/logging.h>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "io/limits.h"
#include "io/validate.h"
#include "qtensor.pb.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;

v1::File ParseFile(const uint8_t* data, size_t size) {
  if (size > kMaxSerializedBytes) {
    core::Fail(ErrorKind::kCorruptData, "input of " + std::to_string(size) +
                                            " bytes is over the limit of " +
                                            std::to_string(kMaxSerializedBytes) + " bytes (2 GiB)");
  }
  static const uint8_t kNothing = 0;
  v1::File file;
  bool parsed;
  {
    // Protobuf logs invalid UTF-8 to stderr; a library reports it instead.
    google::protobuf::LogSilencer quiet;
    parsed = file.ParseFromArray(size > 0 ? data : &kNothing, static_cast<int>(size));
  }
  if (!parsed) {
    core::Fail(ErrorKind::kCorruptData,
               "malformed data: not a protobuf encoding of qtensor.v1.File (truncated, a field "
               "encoded wrongly, or a string that is not UTF-8)");
  }
  ValidateHeader(file);
  return file;
}

core::Tensor MakeTensor(const v1::Tensor& message, const ValidTensor& valid) {
  return core::FromIntRepr(message.data().data(), message.data().size(), valid.shape,
                           valid.quantizer);
}

bool HasNul(const std::string& text) { return text.find('\0') != std::string::npos; }

std::string EntryName(int index, const std::string& name) {
  return "tensors[" + std::to_string(index) + "] (" + Quoted(name) + ")";
}

}  // namespace

core::Tensor DecodeTensor(const uint8_t* data, size_t size) {
  const v1::File file = ParseFile(data, size);
  if (file.content_case() == v1::File::kBundle) {
    core::Fail(ErrorKind::kCorruptData, "the data holds a bundle, not a single tensor");
  }
  if (file.content_case() != v1::File::kTensor) {
    core::Fail(ErrorKind::kCorruptData, "the data holds neither a tensor nor a bundle");
  }
  return MakeTensor(file.tensor(), ValidateTensor(file.tensor(), "tensor"));
}

Bundle DecodeBundle(const uint8_t* data, size_t size) {
  const v1::File file = ParseFile(data, size);
  if (file.content_case() == v1::File::kTensor) {
    core::Fail(ErrorKind::kCorruptData, "the data holds a single tensor, not a bundle");
  }
  if (file.content_case() != v1::File::kBundle) {
    core::Fail(ErrorKind::kCorruptData, "the data holds neither a tensor nor a bundle");
  }
  const v1::Bundle& message = file.bundle();
  // The C ABI hands names and metadata out as NUL-terminated strings.
  for (const auto& [key, value] : message.metadata()) {
    if (key.empty()) core::Fail(ErrorKind::kCorruptData, "bundle metadata has an empty key");
    if (HasNul(key)) {
      core::Fail(ErrorKind::kCorruptData,
                 "bundle metadata key " + Quoted(key) + " contains a NUL byte");
    }
    if (HasNul(value)) {
      core::Fail(ErrorKind::kCorruptData,
                 "bundle metadata value of " + Quoted(key) + " contains a NUL byte");
    }
  }
  // Everything is checked before any tensor's values are allocated.
  std::unordered_map<std::string, int> first_index;
  std::vector<ValidTensor> valid;
  valid.reserve(static_cast<size_t>(message.tensors_size()));
  for (int i = 0; i < message.tensors_size(); ++i) {
    const std::string& name = message.tensors(i).name();
    if (name.empty()) {
      core::Fail(ErrorKind::kCorruptData,
                 "bundle tensors[" + std::to_string(i) + "] has an empty name");
    }
    if (HasNul(name)) {
      core::Fail(ErrorKind::kCorruptData,
                 "bundle " + EntryName(i, name) + ": the name contains a NUL byte");
    }
    const auto [seen, inserted] = first_index.emplace(name, i);
    if (!inserted) {
      core::Fail(ErrorKind::kCorruptData, "bundle " + EntryName(i, name) +
                                              ": duplicate name, also tensors[" +
                                              std::to_string(seen->second) + "]");
    }
    valid.push_back(ValidateTensor(message.tensors(i), "bundle " + EntryName(i, name)));
  }
  Bundle bundle;
  bundle.tensors.reserve(valid.size());
  for (int i = 0; i < message.tensors_size(); ++i) {
    bundle.tensors.emplace_back(message.tensors(i).name(),
                                MakeTensor(message.tensors(i), valid[static_cast<size_t>(i)]));
  }
  bundle.metadata.insert(message.metadata().begin(), message.metadata().end());
  return bundle;
}

}  // namespace qtensor::io
