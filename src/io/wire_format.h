// Protobuf's wire format, for the code of src/io that reads and writes it by
// hand (splitting the tensors' values off, writing them): wire types, tags,
// the tags of the File fields handled by hand, varints, and the limits of
// protobuf 3.21's parser, which that code must match exactly. No protobuf
// type appears here.
#ifndef QTENSOR_IO_WIRE_FORMAT_H_
#define QTENSOR_IO_WIRE_FORMAT_H_

#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>

namespace qtensor::io {

// ---------------------------------------------------------------- tags

inline constexpr uint32_t kWireVarint = 0;
inline constexpr uint32_t kWireFixed64 = 1;
inline constexpr uint32_t kWireLengthDelimited = 2;
inline constexpr uint32_t kWireStartGroup = 3;
inline constexpr uint32_t kWireEndGroup = 4;
inline constexpr uint32_t kWireFixed32 = 5;

constexpr uint32_t WireTag(uint32_t field_number, uint32_t wire_type) {
  return (field_number << 3) | wire_type;
}
constexpr uint32_t TagFieldNumber(uint32_t tag) { return tag >> 3; }
constexpr uint32_t TagWireType(uint32_t tag) { return tag & 7; }

// The fields of proto/qtensor.proto handled by hand, their
// numbers taken from the generated code (wire_format.cc).
extern const uint32_t kFileTensorTag;              // File.tensor
extern const uint32_t kFileBundleTag;              // File.bundle
extern const uint32_t kBundleTensorsTag;           // Bundle.tensors
extern const uint32_t kTensorDataTag;              // Tensor.data
extern const uint32_t kTensorNameTag;              // Tensor.name
extern const uint32_t kContainerFormatVersionTag;  // ContainerHeader.format_version (varint)
extern const uint32_t kContainerEntriesTag;        // ContainerHeader.entries
extern const uint32_t kContainerMetadataTag;       // ContainerHeader.metadata

// ---------------------------------------------------------------- limits

// Protobuf parses and writes messages of at most INT_MAX bytes: 2 GiB minus
// one byte. Larger input is refused before parsing, larger output before
// anything is written.
inline constexpr uint64_t kMaxSerializedBytes = INT_MAX;

// Protobuf refuses length prefixes this close to INT_MAX (its parser reads
// up to 16 bytes past a buffer's end and keeps limits in an int).
inline constexpr uint64_t kMaxLengthPrefix = INT_MAX - 16;

// Protobuf reads tags of up to 5 bytes (decoded modulo 2^32), length
// prefixes of up to 5 and other varints of up to 10.
inline constexpr int kMaxTagBytes = 5;
inline constexpr int kMaxLengthPrefixBytes = 5;
inline constexpr int kMaxVarintBytes = 10;

// How deep protobuf lets groups nest (its default recursion limit).
size_t MaxGroupDepth();

// ---------------------------------------------------------------- varints

size_t VarintSize(uint64_t value);
// Writes value at out; returns the end of what was written.
uint8_t* WriteVarint(uint8_t* out, uint64_t value);
void AppendVarint(std::string* out, uint64_t value);

// Reads a varint of at most max_bytes bytes from [*pos, end), keeping its
// low 64 bits, and moves *pos past it. False (*pos unchanged) if it runs
// past end or is longer.
bool ReadVarint(const uint8_t** pos, const uint8_t* end, int max_bytes, uint64_t* value);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_WIRE_FORMAT_H_
