// The file format's fixed values and size limits (docs/format.md).
#ifndef QTENSOR_IO_LIMITS_H_
#define QTENSOR_IO_LIMITS_H_

#include <cstdint>

namespace qtensor::io {

inline constexpr char kMagic[] = "qtensor";
inline constexpr uint32_t kFormatVersion = 1;

// Protobuf parses and writes messages of at most INT_MAX bytes: 2 GiB minus
// one byte. Larger input is refused before parsing, larger output before
// anything is written.
inline constexpr uint64_t kMaxSerializedBytes = 0x7fffffff;

}  // namespace qtensor::io

#endif  // QTENSOR_IO_LIMITS_H_
