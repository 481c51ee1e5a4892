#include "io/container_writer.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <variant>
#include <vector>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor_ops.h"
#include "io/container_format.h"
#include "io/encode.h"
#include "io/parameter_payload.h"
#include "io/utf8.h"
#include "io/validate.h"
#include "qtensor.pb.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;

// Hashing and writing alternate in pieces of this size, so each piece is
// still in cache when the second pass reads it.
constexpr size_t kPieceBytes = size_t{4} << 20;

[[noreturn]] void Invalid(const std::string& what) {
  core::Fail(ErrorKind::kInvalidArgument, "container writer: " + what);
}

// What a reader refuses: a NUL byte (names are handed out as C strings),
// and what protobuf cannot parse back: a string that is not UTF-8.
void CheckText(const std::string& text, const std::string& what) {
  if (text.find('\0') != std::string::npos) Invalid(what + " contains a NUL byte");
  if (!IsValidUtf8(text)) Invalid(what + " is not valid UTF-8");
}

// An entry's values in storage form: the tensor's own bytes where they are
// exactly that (contiguous, and for a packed dtype its whole storage, whose
// last byte holds no other view's values), else a copy of this one entry.
class EntryBytes {
 public:
  EntryBytes(const BundleEntry& entry, uint64_t size) {
    if (const auto* array = std::get_if<FloatArray>(&entry)) {
      data_ = array->data;
      return;
    }
    const auto& tensor = std::get<core::Tensor>(entry);
    const bool direct =
        tensor.IsContiguous() && (!core::IsPacked(tensor.dtype()) || tensor.IsWholeStorage());
    if (direct || size == 0) {
      data_ = size == 0 ? nullptr : core::FirstElement(tensor);
      return;
    }
    copy_.resize(static_cast<size_t>(size));
    core::StorageRepr(tensor, copy_.data());
    data_ = copy_.data();
  }
  const uint8_t* data() const { return data_; }

 private:
  const uint8_t* data_ = nullptr;
  std::vector<uint8_t> copy_;
};

std::string DeterministicBytes(const v1::ContainerHeader& header) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    header.SerializeToCodedStream(&out);
  }
  return bytes;
}

}  // namespace

class ContainerWriter::State {
 public:
  State(const std::string& path, uint64_t max_header) : file(path), max_header_bytes(max_header) {}

  TemporaryFile file;
  uint64_t end = kContainerPrefixBytes;  // where the next byte goes
  v1::ContainerHeader header;
  uint64_t entries_bytes = 0;  // the header's entries field, encoded
  uint64_t max_header_bytes;
  std::unordered_set<std::string> names;
  uint32_t version = 1;
  bool closed = false;  // finished or failed

  void Write(const uint8_t* data, size_t size) {
    const int error = WriteAllAt(file.fd(), data, size, end);
    if (error != 0) {
      closed = true;
      file.Fail(error);
    }
    end += size;
  }

  // Writes size bytes at the next multiple of 64 (zeros before it), hashing
  // them on the way; returns where they went, with their XXH3-64.
  v1::PayloadRef WritePayload(const uint8_t* data, uint64_t size) {
    const uint64_t offset = (end + kPayloadAlignment - 1) / kPayloadAlignment * kPayloadAlignment;
    static const uint8_t kZeros[kPayloadAlignment] = {};
    Write(kZeros, static_cast<size_t>(offset - end));
    XXH3_state_t* hash = XXH3_createState();
    if (hash == nullptr) throw std::bad_alloc();
    XXH3_64bits_reset(hash);
    uint64_t checksum;
    try {
      for (uint64_t done = 0; done < size;) {
        const auto piece = static_cast<size_t>(std::min<uint64_t>(kPieceBytes, size - done));
        XXH3_64bits_update(hash, data + done, piece);
        Write(data + done, piece);
        done += piece;
      }
      checksum = XXH3_64bits_digest(hash);
    } catch (...) {
      XXH3_freeState(hash);
      throw;
    }
    XXH3_freeState(hash);
    v1::PayloadRef ref;
    ref.set_offset(offset);
    ref.set_length(size);
    ref.set_xxh3_64(checksum);
    ref.set_has_checksum(true);
    return ref;
  }
};

ContainerWriter::ContainerWriter(const std::string& path, uint64_t max_header_bytes)
    : state_(std::make_unique<State>(path, max_header_bytes)) {}

ContainerWriter::~ContainerWriter() = default;

void ContainerWriter::Add(const std::string& name, const BundleEntry& entry) {
  State& s = *state_;
  if (s.closed) Invalid("it is finished (or failed): nothing more can be added");
  if (name.empty()) Invalid("an entry's name is empty");
  CheckText(name, "the name " + Quoted(name));
  if (s.names.count(name) != 0) Invalid("the name " + Quoted(name) + " is already added");

  EntryDescription description = DescribeEntry(entry, name);
  v1::ContainerEntry added;
  v1::Tensor* message = added.mutable_tensor();
  *message = std::move(description.message);
  // Per-channel and per-block parameters go to payloads of their own.
  const bool has_parameters =
      !IsFloatEntry(*message) && message->qscheme() != v1::PER_TENSOR_AFFINE;
  ParameterPayloads parameters;
  if (has_parameters) {
    parameters = EncodeParameters(*message);
    message->clear_scales();
    message->clear_zero_points();
    message->clear_float_zero_points();
  }
  // Refused before any payload is written, not after the whole bundle.
  // Each reference is sized as written: a fixed64 holds any checksum.
  const auto reserve = [](v1::PayloadRef* ref, uint64_t length) {
    ref->set_offset(UINT64_MAX);
    ref->set_length(length);
    ref->set_xxh3_64(~uint64_t{0});
    ref->set_has_checksum(true);
  };
  reserve(added.mutable_payload(), description.data_bytes);
  if (has_parameters) {
    reserve(added.mutable_scales(), parameters.scales.size());
    reserve(added.mutable_zero_points(), parameters.zero_points.size());
  }
  const uint64_t entry_bytes = added.ByteSizeLong();
  const uint64_t field_bytes =
      1 + google::protobuf::io::CodedOutputStream::VarintSize64(entry_bytes) + entry_bytes;
  if (s.entries_bytes + field_bytes > s.max_header_bytes) {
    core::Fail(ErrorKind::kOutOfMemory,
               "container writer: entry " + Quoted(name) + " would take the header to " +
                   std::to_string(s.entries_bytes + field_bytes) +
                   " bytes, over the readers' limit of " + std::to_string(s.max_header_bytes) +
                   "; split the entries over files");
  }
  const EntryBytes bytes(entry, description.data_bytes);
  *added.mutable_payload() = s.WritePayload(bytes.data(), description.data_bytes);
  if (has_parameters) {
    *added.mutable_scales() = s.WritePayload(parameters.scales.data(), parameters.scales.size());
    *added.mutable_zero_points() =
        s.WritePayload(parameters.zero_points.data(), parameters.zero_points.size());
  }
  const uint64_t written_bytes = added.ByteSizeLong();
  s.entries_bytes +=
      1 + google::protobuf::io::CodedOutputStream::VarintSize64(written_bytes) + written_bytes;
  *s.header.add_entries() = std::move(added);
  s.version = std::max(s.version, description.version);
  s.names.insert(name);
}

void ContainerWriter::SetMetadata(const std::string& key, const std::string& value) {
  State& s = *state_;
  if (s.closed) Invalid("it is finished (or failed): metadata cannot be set");
  if (key.empty()) Invalid("a metadata key is empty");
  CheckText(key, "the metadata key " + Quoted(key));
  CheckText(value, "the metadata value of " + Quoted(key));
  (*s.header.mutable_metadata())[key] = value;
}

void ContainerWriter::Finish() {
  State& s = *state_;
  if (s.closed) Invalid("it is finished (or failed) already");
  s.header.set_format_version(s.version);
  const std::string header = DeterministicBytes(s.header);
  if (header.size() > s.max_header_bytes) {
    s.closed = true;
    core::Fail(ErrorKind::kOutOfMemory,
               "container writer: the header would be " + std::to_string(header.size()) +
                   " bytes, over the readers' limit of " + std::to_string(s.max_header_bytes) +
                   "; split the entries over files");
  }
  const uint64_t header_offset = s.end;
  s.Write(reinterpret_cast<const uint8_t*>(header.data()), header.size());
  uint8_t prefix[kContainerPrefixBytes];
  EncodeContainerPrefix(header_offset, header.size(), prefix);
  const int error = WriteAllAt(s.file.fd(), prefix, sizeof prefix, 0);
  s.closed = true;
  if (error != 0) s.file.Fail(error);
  s.file.Commit();
}

void SaveContainer(const Bundle& bundle, const std::string& path) {
  ContainerWriter writer(path);
  for (const auto& [name, entry] : bundle.entries) writer.Add(name, entry);
  for (const auto& [key, value] : bundle.metadata) writer.SetMetadata(key, value);
  writer.Finish();
}

}  // namespace qtensor::io
