#include "io/wire_reader.h"

#include <vector>

#include "io/wire_format.h"

namespace qtensor::io {

bool WireReader::ReadTag(uint32_t* tag) {
  uint64_t value = 0;
  if (!io::ReadVarint(&pos_, end_, kMaxTagBytes, &value)) return false;
  *tag = static_cast<uint32_t>(value);
  return true;
}

bool WireReader::ReadVarint(uint64_t* value) {
  return io::ReadVarint(&pos_, end_, kMaxVarintBytes, value);
}

bool WireReader::ReadLength(size_t* length) {
  uint64_t value = 0;
  if (!io::ReadVarint(&pos_, end_, kMaxLengthPrefixBytes, &value)) return false;
  if (value > kMaxLengthPrefix || value > static_cast<size_t>(end_ - pos_)) return false;
  *length = static_cast<size_t>(value);
  return true;
}

bool WireReader::Skip(size_t n) {
  if (n > static_cast<size_t>(end_ - pos_)) return false;
  pos_ += n;
  return true;
}

bool WireReader::SkipVarint() {
  uint64_t value = 0;
  return ReadVarint(&value);
}

bool WireReader::SkipValue(uint32_t tag) {
  if (TagFieldNumber(tag) == 0) return false;
  size_t length = 0;
  switch (TagWireType(tag)) {
    case kWireVarint:
      return SkipVarint();
    case kWireFixed64:
      return Skip(8);
    case kWireLengthDelimited:
      return ReadLength(&length) && Skip(length);
    case kWireStartGroup:
      return SkipGroup(tag);
    case kWireFixed32:
      return Skip(4);
    default:  // an end-group tag outside its group, or wire type 6 or 7
      return false;
  }
}

// Without recursion: an input can nest groups far deeper than the stack
// allows. Protobuf counts each group against its recursion limit, so deeper
// nesting than that fails there too.
bool WireReader::SkipGroup(uint32_t start_tag) {
  const size_t max_depth = MaxGroupDepth();
  std::vector<uint32_t> open = {TagFieldNumber(start_tag)};  // innermost last
  while (!open.empty()) {
    uint32_t tag = 0;
    if (!ReadTag(&tag)) return false;
    if (TagWireType(tag) == kWireEndGroup) {
      if (TagFieldNumber(tag) != open.back()) return false;
      open.pop_back();
    } else if (TagWireType(tag) == kWireStartGroup) {
      if (TagFieldNumber(tag) == 0 || open.size() >= max_depth) return false;
      open.push_back(TagFieldNumber(tag));
    } else if (!SkipValue(tag)) {
      return false;
    }
  }
  return true;
}

}  // namespace qtensor::io
