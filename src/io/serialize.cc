#include "io/serialize.h"

#include <stdexcept>

#include "core/error.h"
#include "io/container_reader.h"
#include "io/container_writer.h"
#include "io/decode.h"
#include "io/encode.h"
#include "io/file_io.h"
#include "io/onnx.h"

namespace qtensor::io {
namespace {

template <typename Decode>
auto LoadWith(const std::string& path, Decode&& decode) {
  const std::string bytes = ReadFileCapped(path, kMaxSerializedBytes);
  try {
    return decode(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (const core::Error& error) {
    if (error.kind() != core::ErrorKind::kCorruptData) throw;
    core::Fail(error.kind(), "'" + path + "': " + error.what());
  }
}

void Save(const Buffer& buffer, const std::string& path) {
  WriteFileAtomically(path, buffer.data.get(), buffer.size);
}

}  // namespace

Buffer SerializeTensor(const core::Tensor& tensor, uint64_t max_bytes) {
  return EncodeTensorFile(tensor, max_bytes);
}

Buffer SerializeBundle(const Bundle& bundle, uint64_t max_bytes) {
  return EncodeBundleFile(bundle, max_bytes);
}

core::Tensor DeserializeTensor(const uint8_t* data, size_t size) {
  return DecodeTensor(data, size);
}

Bundle DeserializeBundle(const uint8_t* data, size_t size) { return DecodeBundle(data, size); }

void SaveTensor(const core::Tensor& tensor, const std::string& path, uint64_t max_bytes) {
  Save(SerializeTensor(tensor, max_bytes), path);
}

void SaveBundle(const Bundle& bundle, const std::string& path) { SaveContainer(bundle, path); }

void SaveBundleMessage(const Bundle& bundle, const std::string& path, uint64_t max_bytes) {
  Save(SerializeBundle(bundle, max_bytes), path);
}

core::Tensor LoadTensor(const std::string& path) {
  if (IsContainerFile(path)) {
    core::Fail(core::ErrorKind::kCorruptData,
               "'" + path + "': the file holds a bundle (a container), not a single tensor");
  }
  return LoadWith(path, DecodeTensor);
}

Bundle LoadBundle(const std::string& path) {
  // A container starts with a byte no File message starts with.
  if (IsContainerFile(path)) return ContainerFile(path).ToBundle();
  return LoadWith(path, DecodeBundle);
}

void SaveBundleOnnx(const Bundle& bundle, const std::string& path, uint64_t max_bytes) {
  Save(EncodeOnnxModel(bundle, max_bytes), path);
}

Bundle LoadBundleOnnx(const std::string& path) { return LoadWith(path, DecodeOnnxModel); }

}  // namespace qtensor::io
