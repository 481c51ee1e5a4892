// The fixed values of every File's header (docs/format.md).
#ifndef QTENSOR_IO_FILE_HEADER_H_
#define QTENSOR_IO_FILE_HEADER_H_

#include <cstdint>

namespace qtensor::io {

inline constexpr char kMagic[] = "qtensor";
// The newest version this library reads. Files are written with the
// lowest version that holds them: 2 only where a tensor uses ONNX rounding.
inline constexpr uint32_t kFormatVersion = 2;

}  // namespace qtensor::io

#endif  // QTENSOR_IO_FILE_HEADER_H_
