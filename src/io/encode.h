// Tensors and bundles to File messages. The serialized size is computed
// from the parameters and element counts before any value is copied, so a
// file too large for protobuf fails without allocating its data.
#ifndef QTENSOR_IO_ENCODE_H_
#define QTENSOR_IO_ENCODE_H_

#include <cstdint>

#include "core/tensor.h"
#include "io/bundle.h"
#include "qtensor.pb.h"

namespace qtensor::io {

// A view is written as its own elements, row-major, with its effective
// quantizer. kOutOfMemory if the message would exceed max_bytes.
v1::File EncodeTensorFile(const core::Tensor& tensor, uint64_t max_bytes);
v1::File EncodeBundleFile(const Bundle& bundle, uint64_t max_bytes);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_ENCODE_H_
