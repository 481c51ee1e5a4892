// The fixed values of every File's header (docs/format.md).
#ifndef QTENSOR_IO_FILE_HEADER_H_
#define QTENSOR_IO_FILE_HEADER_H_

#include <cstdint>

namespace qtensor::io {

inline constexpr char kMagic[] = "qtensor";
inline constexpr uint32_t kFormatVersion = 1;

}  // namespace qtensor::io

#endif  // QTENSOR_IO_FILE_HEADER_H_
