// The container's fixed values and its 64-byte prefix (docs/format.md, "The
// container"): the one place that knows the prefix's layout.
#ifndef QTENSOR_IO_CONTAINER_FORMAT_H_
#define QTENSOR_IO_CONTAINER_FORMAT_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::io {

// Byte 0 is 0x89, which no File message starts with (its first byte is
// field 1's tag, 0x0A), so readers tell the two forms apart by it.
inline constexpr uint8_t kContainerMagic[8] = {0x89, 'Q', 'T', 'B', 'N', 'D', 'L', '\n'};
inline constexpr uint32_t kContainerVersion = 1;
inline constexpr size_t kContainerPrefixBytes = 64;
// Every payload starts at a multiple of this (a cache line, and what the
// kernels' widest vector loads like).
inline constexpr uint64_t kPayloadAlignment = 64;
// The largest header a reader parses: far above a header's size for
// hundreds of thousands of tensors, small enough to read at once.
inline constexpr uint64_t kMaxContainerHeaderBytes = uint64_t{256} << 20;

// The prefix's fields, little-endian: magic (0..7), version (8), flags
// (12), header_offset (16), header_length (24), reserved zeros (32..63).
struct ContainerPrefix {
  uint8_t magic[8] = {};
  uint32_t version = 0;
  uint32_t flags = 0;
  uint64_t header_offset = 0;
  uint64_t header_length = 0;
  bool reserved_zero = true;  // whether bytes 32..63 are all 0
};

// The prefix of a container whose header lies at [offset, offset + length):
// the magic, this version, no flags.
void EncodeContainerPrefix(uint64_t header_offset, uint64_t header_length,
                           uint8_t out[kContainerPrefixBytes]);
// The fields as they are (ValidateContainer checks them).
ContainerPrefix DecodeContainerPrefix(const uint8_t in[kContainerPrefixBytes]);

// Whether bytes start with the container's magic (size may be short).
bool HasContainerMagic(const uint8_t* bytes, size_t size);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_CONTAINER_FORMAT_H_
