// The checks of an untrusted container (docs/format.md, "The container"),
// all made before any payload is mapped or read: the prefix, the header's
// place and size, every entry's fields as a bundle's, and the payload table
// (alignment, overflow, bounds, exact lengths, no overlap). A per-channel or
// per-block entry's parameter values are payloads too: the reader checks
// them when it reads them (io/parameter_payload.h). Each failure is
// a core::Error of kind kCorruptData naming the rule (kIo when the file
// cannot be read).
//
// The header is parsed one entry at a time and kept as its bytes plus a
// few bytes per entry and per metadata pair, so that opening a container,
// valid or hostile, takes memory bounded by a small multiple of the
// header's size.
#ifndef QTENSOR_IO_CONTAINER_VALIDATE_H_
#define QTENSOR_IO_CONTAINER_VALIDATE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "io/metadata_index.h"
#include "io/name_index.h"
#include "io/validate.h"

namespace qtensor::io {

// Where one payload lies, and its checksum.
struct ValidPayload {
  uint64_t offset = 0;
  uint64_t length = 0;
  bool has_checksum = false;
  uint64_t xxh3_64 = 0;
};

// What an entry holds, but for a per-channel or per-block tensor's
// parameter values, which are payloads.
using EntryLayout = std::variant<TensorLayout, ValidFloatArray>;

// One valid entry: its name, what it holds, where its payloads lie.
struct ValidContainerEntry {
  std::string name;
  EntryLayout layout;
  ValidPayload payload;
  // A tensor with per-channel or per-block parameters: where they lie, of
  // exactly the lengths io/parameter_payload.h gives.
  bool has_parameters = false;
  ValidPayload scales;
  ValidPayload zero_points;
};

struct ValidContainer {
  uint32_t format_version = 0;
  uint64_t header_offset = 0;   // where the payloads' region ends
  std::vector<uint8_t> header;  // the header's bytes
  // Where each entry's field (its tag) starts in header, in the file's order.
  std::deque<uint32_t> entry_at;
  NameIndex names;  // entry i's name is names.name(i)
  MetadataIndex metadata;

  size_t size() const { return entry_at.size(); }
};

// Fills out[0, length) with the file's bytes at offset (which lie inside the
// file); throws on failure.
using ReadFileRange = std::function<void(uint64_t offset, size_t length, uint8_t* out)>;

// Validates a container of file_size bytes, reading only its prefix and its
// header through read.
ValidContainer ValidateContainer(uint64_t file_size, const ReadFileRange& read);

// Entry i (i < size()) of a valid container, parsed again from its bytes.
ValidContainerEntry ValidContainerEntryAt(const ValidContainer& container, size_t i);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_CONTAINER_VALIDATE_H_
