#include "io/container_format.h"

#include <cstring>

// The prefix's integers are the machine's; the format says little-endian.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "qtensor's file I/O assumes little-endian");

namespace qtensor::io {
namespace {

constexpr size_t kVersionAt = 8, kFlagsAt = 12, kHeaderOffsetAt = 16, kHeaderLengthAt = 24,
                 kReservedAt = 32;

template <typename T>
void Put(uint8_t* out, size_t at, T value) {
  std::memcpy(out + at, &value, sizeof value);
}

template <typename T>
T Get(const uint8_t* in, size_t at) {
  T value;
  std::memcpy(&value, in + at, sizeof value);
  return value;
}

}  // namespace

void EncodeContainerPrefix(uint64_t header_offset, uint64_t header_length,
                           uint8_t out[kContainerPrefixBytes]) {
  std::memset(out, 0, kContainerPrefixBytes);
  std::memcpy(out, kContainerMagic, sizeof kContainerMagic);
  Put(out, kVersionAt, kContainerVersion);
  Put(out, kFlagsAt, uint32_t{0});
  Put(out, kHeaderOffsetAt, header_offset);
  Put(out, kHeaderLengthAt, header_length);
}

ContainerPrefix DecodeContainerPrefix(const uint8_t in[kContainerPrefixBytes]) {
  ContainerPrefix prefix;
  std::memcpy(prefix.magic, in, sizeof prefix.magic);
  prefix.version = Get<uint32_t>(in, kVersionAt);
  prefix.flags = Get<uint32_t>(in, kFlagsAt);
  prefix.header_offset = Get<uint64_t>(in, kHeaderOffsetAt);
  prefix.header_length = Get<uint64_t>(in, kHeaderLengthAt);
  for (size_t i = kReservedAt; i < kContainerPrefixBytes; ++i) {
    if (in[i] != 0) prefix.reserved_zero = false;
  }
  return prefix;
}

bool HasContainerMagic(const uint8_t* bytes, size_t size) {
  return size >= sizeof kContainerMagic &&
         std::memcmp(bytes, kContainerMagic, sizeof kContainerMagic) == 0;
}

}  // namespace qtensor::io
