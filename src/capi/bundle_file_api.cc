// qt_bundle_file_* and qt_bundle_writer_*: containers (docs/format.md, "The
// container") read lazily, one mapped tensor at a time, and written one
// tensor at a time.
#include <algorithm>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "capi/bundle_entries.h"
#include "io/container_format.h"
#include "io/container_reader.h"
#include "io/container_writer.h"

using qtensor::capi::CheckCapacity;
using qtensor::capi::FloatDTypeArgument;
using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::ShapeArgument;
using qtensor::capi::TensorEntry;
using qtensor::capi::TensorOf;
using qtensor::capi::TextArgument;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;
using qtensor::io::TensorLayout;
using qtensor::io::ValidContainerEntry;
using qtensor::io::ValidFloatArray;

static_assert(sizeof(QTENSOR_CONTAINER_MAGIC) - 1 == sizeof qtensor::io::kContainerMagic);

namespace {
// The public macro is the io layer's magic.
constexpr bool MagicMatches() {
  for (size_t i = 0; i < sizeof qtensor::io::kContainerMagic; ++i) {
    if (static_cast<uint8_t>(QTENSOR_CONTAINER_MAGIC[i]) != qtensor::io::kContainerMagic[i]) {
      return false;
    }
  }
  return true;
}
static_assert(MagicMatches());
}  // namespace

struct qt_bundle_file {
  qtensor::io::ContainerFile file;
};

struct qt_bundle_writer {
  qtensor::io::ContainerWriter writer;
};

namespace {

const qtensor::io::ContainerFile& FileOf(const qt_bundle_file* handle) {
  return Required(handle, "file")->file;
}

// The header's description of the named entry (no payload is read).
ValidContainerEntry NamedEntry(const qt_bundle_file* handle, const char* name) {
  const qtensor::io::ContainerFile& container = FileOf(handle);
  return container.entry(container.IndexOf(Required(name, "name")));
}

const TensorLayout& TensorFields(const ValidContainerEntry& entry) {
  const auto* tensor = std::get_if<TensorLayout>(&entry.layout);
  if (tensor == nullptr) {
    Fail(ErrorKind::kTypeMismatch, "'" + entry.name +
                                       "' is a float entry, not a quantized tensor: read it with "
                                       "qt_bundle_file_float_dtype or qt_bundle_file_select");
  }
  return *tensor;
}

const ValidFloatArray& FloatFields(const ValidContainerEntry& entry) {
  const auto* array = std::get_if<ValidFloatArray>(&entry.layout);
  if (array == nullptr) {
    Fail(ErrorKind::kTypeMismatch, "'" + entry.name +
                                       "' is a quantized tensor, not a float entry: read it with "
                                       "qt_bundle_file_dtype or qt_bundle_file_get");
  }
  return *array;
}

const std::vector<int64_t>& ShapeOf(const ValidContainerEntry& entry) {
  if (const auto* array = std::get_if<ValidFloatArray>(&entry.layout)) return array->shape;
  return std::get<TensorLayout>(entry.layout).shape;
}

qtensor::io::ContainerWriter& WriterOf(qt_bundle_writer* handle) {
  return Required(handle, "writer")->writer;
}

}  // namespace

extern "C" {

qt_status qt_bundle_file_open(qt_bundle_file** out, const char* path) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_bundle_file{qtensor::io::ContainerFile(Required(path, "path"))};
  });
}

void qt_bundle_file_free(qt_bundle_file* file) { delete file; }

qt_status qt_bundle_file_size(size_t* out, const qt_bundle_file* file) {
  return Guard([&] { *Required(out, "out") = FileOf(file).size(); });
}

qt_status qt_bundle_file_name(const char** out, const qt_bundle_file* file, size_t index) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    Required(out, "out");
    if (index >= container.size()) {
      Fail(ErrorKind::kOutOfRange, "index " + std::to_string(index) + " is out of range for " +
                                       std::to_string(container.size()) + " tensors");
    }
    *out = container.name(index);
  });
}

qt_status qt_bundle_file_get(qt_tensor** out, const qt_bundle_file* file, const char* name) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    const std::string key = Required(name, "name");
    Required(out, "out");
    const qtensor::io::BundleEntry entry = container.Get(key);
    ReturnTensor(out, TensorEntry(entry, key));
  });
}

qt_status qt_bundle_file_contains(bool* out, const qt_bundle_file* file, const char* name) {
  return Guard([&] {
    const bool found = FileOf(file).Contains(Required(name, "name"));
    *Required(out, "out") = found;
  });
}

qt_status qt_bundle_file_is_float(bool* out, const qt_bundle_file* file, const char* name) {
  return Guard([&] {
    const bool is_float = std::holds_alternative<ValidFloatArray>(NamedEntry(file, name).layout);
    *Required(out, "out") = is_float;
  });
}

qt_status qt_bundle_file_ndim(size_t* out, const qt_bundle_file* file, const char* name) {
  return Guard([&] {
    const size_t ndim = ShapeOf(NamedEntry(file, name)).size();
    *Required(out, "out") = ndim;
  });
}

qt_status qt_bundle_file_shape(int64_t* out, size_t capacity, const qt_bundle_file* file,
                               const char* name) {
  return Guard([&] {
    const ValidContainerEntry entry = NamedEntry(file, name);
    const std::vector<int64_t>& shape = ShapeOf(entry);
    CheckCapacity(capacity, shape.size(), "out");
    if (!shape.empty()) std::copy(shape.begin(), shape.end(), Required(out, "out"));
  });
}

qt_status qt_bundle_file_dtype(qt_dtype* out, const qt_bundle_file* file, const char* name) {
  return Guard([&] {
    const qtensor::core::DType dtype = TensorFields(NamedEntry(file, name)).dtype;
    *Required(out, "out") = static_cast<qt_dtype>(dtype);
  });
}

qt_status qt_bundle_file_quantizer(qt_quantizer** out, const qt_bundle_file* file,
                                   const char* name) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    const size_t index = container.IndexOf(Required(name, "name"));
    const ValidContainerEntry entry = container.entry(index);
    TensorFields(entry);
    Required(out, "out");
    *out = new qt_quantizer{container.EntryQuantizer(index, entry)};
  });
}

qt_status qt_bundle_file_float_dtype(qt_float_dtype* out, const qt_bundle_file* file,
                                     const char* name) {
  return Guard([&] {
    const qtensor::io::FloatDType dtype = FloatFields(NamedEntry(file, name)).dtype;
    *Required(out, "out") = static_cast<qt_float_dtype>(dtype);
  });
}

qt_status qt_bundle_file_payload(uint64_t* offset, uint64_t* length, const qt_bundle_file* file,
                                 const char* name) {
  return Guard([&] {
    const ValidContainerEntry entry = NamedEntry(file, name);
    Required(offset, "offset");
    *Required(length, "length") = entry.payload.length;
    *offset = entry.payload.offset;
  });
}

qt_status qt_bundle_file_metadata(const char** out, const qt_bundle_file* file, const char* key) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    const std::string wanted = Required(key, "key");
    Required(out, "out");
    const char* value = container.FindMetadata(wanted);
    if (value == nullptr) {
      Fail(ErrorKind::kNotFound, "the file has no metadata key '" + wanted + "'");
    }
    *out = value;
  });
}

qt_status qt_bundle_file_metadata_size(size_t* out, const qt_bundle_file* file) {
  return Guard([&] { *Required(out, "out") = FileOf(file).metadata_size(); });
}

qt_status qt_bundle_file_metadata_key(const char** out, const qt_bundle_file* file, size_t index) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    Required(out, "out");
    if (index >= container.metadata_size()) {
      Fail(ErrorKind::kOutOfRange, "metadata index " + std::to_string(index) +
                                       " is out of range for " +
                                       std::to_string(container.metadata_size()) + " keys");
    }
    *out = container.metadata_key(index);
  });
}

qt_status qt_bundle_file_select(qt_bundle** out, const qt_bundle_file* file,
                                const char* const* names, size_t count) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    Required(out, "out");
    if (count > 0) Required(names, "names");
    // Every name is checked before any payload is mapped.
    std::vector<size_t> indices;
    std::unordered_set<size_t> chosen;
    indices.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      const size_t index = container.IndexOf(Required(names[i], "names[i]"));
      if (!chosen.insert(index).second) {
        Fail(ErrorKind::kInvalidArgument,
             "names[" + std::to_string(i) + "] ('" + names[i] + "') is named twice");
      }
      indices.push_back(index);
    }
    qtensor::io::Bundle bundle;
    bundle.entries.reserve(count);
    for (const size_t index : indices) {
      bundle.entries.emplace_back(container.name(index), container.Get(index));
    }
    bundle.metadata = container.metadata();
    *out = new qt_bundle(std::move(bundle));
  });
}

qt_status qt_bundle_file_to_bundle(qt_bundle** out, const qt_bundle_file* file) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    Required(out, "out");
    *out = new qt_bundle(container.ToBundle());
  });
}

qt_status qt_bundle_file_verify(const qt_bundle_file* file, const char* name) {
  return Guard([&] {
    const qtensor::io::ContainerFile& container = FileOf(file);
    if (name == nullptr) {
      container.VerifyAll();
    } else {
      container.Verify(name);
    }
  });
}

qt_status qt_bundle_writer_open(qt_bundle_writer** out, const char* path) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_bundle_writer{qtensor::io::ContainerWriter(Required(path, "path"))};
  });
}

qt_status qt_bundle_writer_add(qt_bundle_writer* writer, const char* name,
                               const qt_tensor* tensor) {
  return Guard([&] {
    qtensor::io::ContainerWriter& target = WriterOf(writer);
    const std::string key = TextArgument(name, "name", false);
    target.Add(key, TensorOf(tensor));
  });
}

qt_status qt_bundle_writer_add_float(qt_bundle_writer* writer, const char* name, const void* data,
                                     size_t data_bytes, const int64_t* shape, size_t ndim,
                                     qt_float_dtype dtype) {
  return Guard([&] {
    qtensor::io::ContainerWriter& target = WriterOf(writer);
    const std::string key = TextArgument(name, "name", false);
    const qtensor::io::FloatDType type = FloatDTypeArgument(dtype);
    std::vector<int64_t> dims = ShapeArgument(shape, ndim);
    if (data_bytes > 0) Required(data, "data");
    // Borrowed, not copied: the writer writes the bytes before returning.
    static const uint8_t kNoBytes = 0;
    const auto* bytes = data_bytes > 0 ? static_cast<const uint8_t*>(data) : &kNoBytes;
    target.Add(key, qtensor::io::FloatArray::Borrow(
                        type, std::move(dims), bytes, data_bytes,
                        std::shared_ptr<const void>(bytes, [](const void*) {})));
  });
}

qt_status qt_bundle_writer_set_metadata(qt_bundle_writer* writer, const char* key,
                                        const char* value) {
  return Guard([&] {
    qtensor::io::ContainerWriter& target = WriterOf(writer);
    target.SetMetadata(TextArgument(key, "key", false), TextArgument(value, "value", true));
  });
}

qt_status qt_bundle_writer_finish(qt_bundle_writer* writer) {
  return Guard([&] { WriterOf(writer).Finish(); });
}

void qt_bundle_writer_free(qt_bundle_writer* writer) { delete writer; }

qt_status qt_bundle_save_container(const qt_bundle* bundle, const char* path) {
  return Guard([&] {
    qtensor::io::SaveContainer(Required(bundle, "bundle")->bundle, Required(path, "path"));
  });
}

}  // extern "C"
