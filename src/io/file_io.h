// Whole-file reads with a size cap, and atomic whole-file writes.
#ifndef QTENSOR_IO_FILE_IO_H_
#define QTENSOR_IO_FILE_IO_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace qtensor::io {

// The file's bytes. kIo if it cannot be read; kCorruptData if it is larger
// than max_bytes (checked before reading it).
std::string ReadFileCapped(const std::string& path, uint64_t max_bytes);

// Writes size bytes to a temporary file beside path, then renames it over
// path, so path holds either its old content or all of the new. kIo on
// failure, with the temporary file removed.
void WriteFileAtomically(const std::string& path, const uint8_t* data, size_t size);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_FILE_IO_H_
