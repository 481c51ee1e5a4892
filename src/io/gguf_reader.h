// Reading a GGUF file held in memory, treated as hostile: every length is
// checked against the bytes left before anything is allocated for it, every
// size product is overflow-checked, and the work and memory are linear in
// the input. docs/gguf.md lists what is accepted and what is refused.
#ifndef QTENSOR_IO_GGUF_READER_H_
#define QTENSOR_IO_GGUF_READER_H_

#include <cstddef>
#include <cstdint>

#include "io/gguf_file.h"

namespace qtensor::io {

// Parses GGUF versions 2 and 3 (little-endian). Tensors of every ggml type
// of gguf_format.h are read (their bytes are not interpreted); an unknown
// type id is refused. Each tensor's data points into [data, data + size),
// which must outlive the result. Throws core::Error of kind kCorruptData
// whose message names the part of the file at fault ("header", "metadata[i]
// (\"key\")", "tensors[i] (\"name\")") and what is wrong with it.
GgufFile ReadGguf(const uint8_t* data, size_t size);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_GGUF_READER_H_
