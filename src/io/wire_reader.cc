#include "io/wire_reader.h"

#include <climits>
#include <vector>

#include <google/protobuf/io/coded_stream.h>

namespace qtensor::io {
namespace {

// Protobuf refuses lengths this close to INT_MAX (its parser reads up to 16
// bytes past a buffer's end and keeps limits in an int).
constexpr uint32_t kMaxLength = INT_MAX - 16;

// Protobuf reads varints of up to 10 bytes.
constexpr int kMaxVarintBytes = 10;

}  // namespace

bool WireReader::ReadTag(uint32_t* tag) {
  uint64_t value = 0;
  for (int i = 0; i < 5; ++i) {
    if (pos_ + i == end_) return false;
    const uint8_t byte = pos_[i];
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      *tag = static_cast<uint32_t>(value);
      pos_ += i + 1;
      return true;
    }
  }
  return false;
}

bool WireReader::ReadLength(size_t* length) {
  uint32_t value = 0;
  int bytes = 0;
  for (;; ++bytes) {
    if (pos_ + bytes == end_) return false;
    const uint8_t byte = pos_[bytes];
    if (bytes == 4) {
      // The fifth byte holds the top bits of a value below 2^31.
      if (byte >= 8) return false;
      value |= static_cast<uint32_t>(byte) << 28;
      if (value > kMaxLength) return false;
      break;
    }
    value |= static_cast<uint32_t>(byte & 0x7f) << (7 * bytes);
    if (byte < 0x80) break;
  }
  pos_ += bytes + 1;
  if (value > static_cast<size_t>(end_ - pos_)) return false;
  *length = value;
  return true;
}

bool WireReader::Skip(size_t n) {
  if (n > static_cast<size_t>(end_ - pos_)) return false;
  pos_ += n;
  return true;
}

bool WireReader::SkipVarint() {
  for (int i = 0; i < kMaxVarintBytes; ++i) {
    if (pos_ + i == end_) return false;
    if (pos_[i] < 0x80) {
      pos_ += i + 1;
      return true;
    }
  }
  return false;
}

bool WireReader::SkipValue(uint32_t tag) {
  if ((tag >> 3) == 0) return false;
  size_t length = 0;
  switch (tag & 7) {
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
  const size_t max_depth =
      static_cast<size_t>(google::protobuf::io::CodedInputStream::GetDefaultRecursionLimit());
  std::vector<uint32_t> open = {start_tag >> 3};  // field numbers, innermost last
  while (!open.empty()) {
    uint32_t tag = 0;
    if (!ReadTag(&tag)) return false;
    if ((tag & 7) == kWireEndGroup) {
      if ((tag >> 3) != open.back()) return false;
      open.pop_back();
    } else if ((tag & 7) == kWireStartGroup) {
      if ((tag >> 3) == 0 || open.size() >= max_depth) return false;
      open.push_back(tag >> 3);
    } else if (!SkipValue(tag)) {
      return false;
    }
  }
  return true;
}

}  // namespace qtensor::io
