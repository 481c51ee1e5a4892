// A GGUF file described as text, whatever its tensor types: what `qtensor
// info` prints for files that qtensor cannot hold as a bundle (k-quants,
// IQ types, ...), as llama.cpp's gguf-dump lists them.
#ifndef QTENSOR_IO_GGUF_DESCRIBE_H_
#define QTENSOR_IO_GGUF_DESCRIBE_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace qtensor::io {

// One line for the file, one per tensor (name, ggml type, shape outermost
// first, bytes, and whether qtensor reads that type), then the metadata in
// file order as typed text (io/gguf_metadata_text.h). Names and keys are
// written as that text writes strings. Throws what ReadGguf throws.
std::string DescribeGguf(const uint8_t* data, size_t size);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_GGUF_DESCRIBE_H_
