// The checks of an untrusted container (docs/format.md, "The container"),
// all made before any payload is mapped or read: the prefix, the header's
// place and size, every entry's fields as a bundle's, and the payload table
// (alignment, overflow, bounds, exact lengths, no overlap). Each failure is
// a core::Error of kind kCorruptData naming the rule (kIo when the file
// cannot be read).
#ifndef QTENSOR_IO_CONTAINER_VALIDATE_H_
#define QTENSOR_IO_CONTAINER_VALIDATE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "io/validate.h"

namespace qtensor::io {

// One valid entry: its name, what it holds, and where its payload lies.
struct ValidContainerEntry {
  std::string name;
  ValidEntry valid;
  uint64_t offset = 0;
  uint64_t length = 0;
  bool has_checksum = false;
  uint64_t xxh3_64 = 0;
};

struct ValidContainer {
  uint32_t format_version = 0;
  uint64_t header_offset = 0;                // where the payloads' region ends
  std::vector<ValidContainerEntry> entries;  // in the file's order
  std::map<std::string, std::string> metadata;
};

// Fills out[0, length) with the file's bytes at offset (which lie inside the
// file); throws on failure.
using ReadFileRange = std::function<void(uint64_t offset, size_t length, uint8_t* out)>;

// Validates a container of file_size bytes, reading only its prefix and its
// header through read.
ValidContainer ValidateContainer(uint64_t file_size, const ReadFileRange& read);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_CONTAINER_VALIDATE_H_
