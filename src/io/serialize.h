// The file format's entry points for the C ABI: tensors and bundles to and
// from byte buffers and files (proto/qtensor.proto, docs/format.md). No
// protobuf type appears here.
#ifndef QTENSOR_IO_SERIALIZE_H_
#define QTENSOR_IO_SERIALIZE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/tensor.h"
#include "io/bundle.h"
#include "io/encode.h"
#include "io/wire_format.h"

namespace qtensor::io {

// A serialized File message, allocated with new[].

// max_bytes is protobuf's limit; tests pass less to reach the size check
// without a 2 GiB tensor. kOutOfMemory when the result would be larger.
Buffer SerializeTensor(const core::Tensor& tensor, uint64_t max_bytes = kMaxSerializedBytes);
Buffer SerializeBundle(const Bundle& bundle, uint64_t max_bytes = kMaxSerializedBytes);

core::Tensor DeserializeTensor(const uint8_t* data, size_t size);
Bundle DeserializeBundle(const uint8_t* data, size_t size);

// Written atomically: a failed save leaves path as it was.
void SaveTensor(const core::Tensor& tensor, const std::string& path,
                uint64_t max_bytes = kMaxSerializedBytes);
// A bundle file in the default form: a container (docs/format.md, "Which
// form a bundle file takes").
void SaveBundle(const Bundle& bundle, const std::string& path);
// The message form (one File message, at most max_bytes).
void SaveBundleMessage(const Bundle& bundle, const std::string& path,
                       uint64_t max_bytes = kMaxSerializedBytes);

// kIo if the file cannot be read; kCorruptData (the message starting with
// the path) as the Deserialize functions. LoadBundle also reads a container
// (io/container_reader.h), its quantized tensors mapped read-only.
core::Tensor LoadTensor(const std::string& path);
Bundle LoadBundle(const std::string& path);

// The same for ONNX models (io/onnx.h).
void SaveBundleOnnx(const Bundle& bundle, const std::string& path,
                    uint64_t max_bytes = kMaxSerializedBytes);
Bundle LoadBundleOnnx(const std::string& path);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_SERIALIZE_H_
