#include "io/data_fields.h"

#include <stdexcept>

#include "io/wire_format.h"
#include "io/wire_reader.h"

namespace qtensor::io {
namespace {

// The messages that lead to a Tensor.data field, and its own payload.
enum class Part { kFile, kBundle, kTensor, kData, kOther };

// Which part a field of `parent` is. A known field number with another wire
// type is an unknown field to protobuf, and so to us.
Part FieldPart(Part parent, uint32_t tag) {
  switch (parent) {
    case Part::kFile:
      if (tag == kFileTensorTag) return Part::kTensor;
      if (tag == kFileBundleTag) return Part::kBundle;
      return Part::kOther;
    case Part::kBundle:
      return tag == kBundleTensorsTag ? Part::kTensor : Part::kOther;
    case Part::kTensor:
      return tag == kTensorDataTag ? Part::kData : Part::kOther;
    default:
      return Part::kOther;
  }
}

void AppendBytes(std::string* out, const uint8_t* begin, const uint8_t* end) {
  out->append(reinterpret_cast<const char*>(begin), static_cast<size_t>(end - begin));
}

void AppendReference(std::string* out, size_t index) {
  for (size_t i = 0; i < kDataReferenceBytes; ++i) {
    out->push_back(static_cast<char>((index >> (8 * i)) & 0xff));
  }
}

// Copies the fields of a message of kind `part` (File, Bundle or Tensor, so
// at most three levels deep) to `out`, its data payloads replaced.
bool SplitMessage(const uint8_t* begin, const uint8_t* end, Part part, SplitFile* split,
                  std::string* out) {
  WireReader reader(begin, end);
  while (!reader.AtEnd()) {
    const uint8_t* field_start = reader.position();
    uint32_t tag = 0;
    if (!reader.ReadTag(&tag)) return false;
    const uint8_t* tag_end = reader.position();
    const Part field = FieldPart(part, tag);
    if (field == Part::kOther) {
      if (!reader.SkipValue(tag)) return false;
      AppendBytes(out, field_start, reader.position());
      continue;
    }
    size_t length = 0;
    if (!reader.ReadLength(&length)) return false;
    const uint8_t* payload = reader.position();
    reader.Skip(length);  // ReadLength checked that it fits
    if (field == Part::kData && length < kDataReferenceBytes) {
      AppendBytes(out, field_start, reader.position());
    } else if (field == Part::kData) {
      AppendBytes(out, field_start, tag_end);
      AppendVarint(out, kDataReferenceBytes);
      AppendReference(out, split->payloads.size());
      split->payloads.push_back(ByteSpan{payload, length});
    } else {
      std::string inner;
      if (!SplitMessage(payload, payload + length, field, split, &inner)) return false;
      AppendBytes(out, field_start, tag_end);
      AppendVarint(out, inner.size());
      out->append(inner);
    }
  }
  return true;
}

}  // namespace

bool SplitDataFields(const uint8_t* data, size_t size, SplitFile* split) {
  split->message.clear();
  split->payloads.clear();
  if (size == 0) return true;
  split->message.reserve(size < 4096 ? size : 4096);
  return SplitMessage(data, data + size, Part::kFile, split, &split->message);
}

ByteSpan DataFieldBytes(const std::string& field, const SplitFile& split) {
  if (field.size() < kDataReferenceBytes) {
    return ByteSpan{reinterpret_cast<const uint8_t*>(field.data()), field.size()};
  }
  size_t index = 0;
  for (size_t i = 0; i < kDataReferenceBytes; ++i) {
    index |= static_cast<size_t>(static_cast<uint8_t>(field[i])) << (8 * i);
  }
  if (field.size() != kDataReferenceBytes || index >= split.payloads.size()) {
    throw std::logic_error("a tensor's data field is not a reference to a payload");
  }
  return split.payloads[index];
}

}  // namespace qtensor::io
