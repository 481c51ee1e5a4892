// Untrusted bytes to tensors and bundles: parse (after a size check), check
// every field, and only then allocate the values.
#ifndef QTENSOR_IO_DECODE_H_
#define QTENSOR_IO_DECODE_H_

#include <cstddef>
#include <cstdint>

#include "core/tensor.h"
#include "io/bundle.h"

namespace qtensor::io {

// kCorruptData for malformed input, input over 2 GiB, a file holding a
// bundle instead of a tensor (or the reverse), or any invalid field.
core::Tensor DecodeTensor(const uint8_t* data, size_t size);
Bundle DecodeBundle(const uint8_t* data, size_t size);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_DECODE_H_
