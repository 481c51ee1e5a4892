// Writing a GGUF file: version 3, the metadata and tensor infos in the
// order given, then each tensor's bytes at the next multiple of the
// alignment (general.alignment, else 32), the gaps zero-filled; tensor
// offsets are computed, not taken from the input. So writing what
// ReadGguf gives back for a file this wrote gives the same bytes.
#ifndef QTENSOR_IO_GGUF_WRITER_H_
#define QTENSOR_IO_GGUF_WRITER_H_

#include <string>

#include "io/gguf_file.h"

namespace qtensor::io {

// The file's bytes. file.version, data_offset, alignment and the tensors'
// offsets are ignored. Throws core::Error of kind kInvalidArgument for what
// the reader would refuse: a key or name too long or repeated, a value or
// array element type out of range, a BOOL not 0 or 1, arrays nested too
// deep, an invalid general.alignment, a tensor whose type or dims are
// invalid or whose size differs from GgufTensorBytes.
std::string WriteGguf(const GgufFile& file);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_GGUF_WRITER_H_
