// Bundles as ONNX models (docs/onnx.md): each tensor the initializers of a
// DequantizeLinear node (its integers, scale and zero point) whose output,
// named after the tensor, is a float graph output; each float entry an
// initializer of its name that is also a graph output; the bundle's metadata
// the model's metadata_props.
#ifndef QTENSOR_IO_ONNX_H_
#define QTENSOR_IO_ONNX_H_

#include <cstddef>
#include <cstdint>

#include "io/bundle.h"
#include "io/encode.h"

namespace qtensor::io {

// kInvalidArgument, naming the tensor, for what ONNX cannot express or
// ONNX Runtime would dequantize to other bits than qtensor; kOutOfMemory
// when the model would exceed max_bytes (protobuf's 2 GiB).
Buffer EncodeOnnxModel(const Bundle& bundle, uint64_t max_bytes);

// Every DequantizeLinear node of the graph whose x is an initializer, its
// output's name the tensor's, and every float initializer that is a graph
// output, as a float entry. kCorruptData for malformed input or anything
// those nodes use that qtensor cannot hold, the message naming it.
Bundle DecodeOnnxModel(const uint8_t* data, size_t size);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_ONNX_H_
