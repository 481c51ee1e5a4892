// Encoding tensors and bundles into the bytes of a File message
// (proto/qtensor.proto).
#ifndef QTENSOR_IO_ENCODE_H_
#define QTENSOR_IO_ENCODE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/memory_block.h"
#include "core/tensor.h"
#include "io/bundle.h"
#include "qtensor.pb.h"

namespace qtensor::io {

// Serialized bytes owned by the library; a released block is freed with
// std::free (qt_buffer_free).
struct Buffer {
  core::MemoryBlock data;
  size_t size = 0;
};

// Exactly the bytes protobuf writes for the File (fields in ascending order,
// metadata sorted by key), with each tensor's integers copied once, straight
// from the tensor into the result. Fails with kOutOfMemory before allocating
// when the result would exceed max_bytes.
Buffer EncodeTensorFile(const core::Tensor& tensor, uint64_t max_bytes);
Buffer EncodeBundleFile(const Bundle& bundle, uint64_t max_bytes);

// An entry's Tensor message as a bundle writes it, without its data (every
// other field, name included), the length of that data (storage form, or a
// float entry's bytes) and the lowest format version that holds it. A
// container's header holds this message (io/container_writer.h).
struct EntryDescription {
  v1::Tensor message;
  uint64_t data_bytes = 0;
  uint32_t version = 1;
};
EntryDescription DescribeEntry(const core::Tensor& tensor, const std::string& name);
EntryDescription DescribeEntry(const FloatArray& array, const std::string& name);
EntryDescription DescribeEntry(const BundleEntry& entry, const std::string& name);

// A buffer of size bytes for an encoder to fill; kOutOfMemory, before
// allocating, when size exceeds max_bytes. CheckWritten throws if the
// encoder's end is not the buffer's.
Buffer AllocateOutput(uint64_t size, uint64_t max_bytes);
void CheckWritten(const Buffer& buffer, const uint8_t* end);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_ENCODE_H_
