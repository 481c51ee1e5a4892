// Takes the tensors' values out of a serialized File (proto/qtensor.proto)
// before protobuf parses it, so that they are copied once, straight from the
// caller's bytes into a storage, instead of first into protobuf's strings.
#ifndef QTENSOR_IO_DATA_FIELDS_H_
#define QTENSOR_IO_DATA_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qtensor::io {

// Bytes owned by someone else.
struct ByteSpan {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

// A File's bytes with each Tensor.data payload of kDataReferenceBytes or more
// replaced by a reference of exactly that many bytes: the payload's index in
// `payloads`, little-endian. Shorter payloads stay as they are, so `message`
// is never longer than the input. All other bytes are kept as they were, so
// protobuf, parsing `message`, settles which data field each tensor keeps
// (merged messages, repeated fields, oneof, unknown fields) as it would for
// the input.
struct SplitFile {
  std::string message;
  std::vector<ByteSpan> payloads;  // inside the input
};

inline constexpr size_t kDataReferenceBytes = 4;

// False where protobuf would reject the input as malformed; other faults
// (bad UTF-8, nesting too deep) are left to protobuf's parse of `message`.
bool SplitDataFields(const uint8_t* data, size_t size, SplitFile* split);

// The values a parsed tensor's data field stands for: the payload it refers
// to, or the field itself when it is shorter than a reference.
ByteSpan DataFieldBytes(const std::string& field, const SplitFile& split);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_DATA_FIELDS_H_
