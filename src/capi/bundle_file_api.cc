// qt_bundle_file_* and qt_bundle_writer_*: containers (docs/format.md, "The
// container") read lazily, one mapped tensor at a time, and written one
// tensor at a time.
#include <memory>
#include <string>

#include "capi/bundle_entries.h"
#include "io/container_format.h"
#include "io/container_reader.h"
#include "io/container_writer.h"

using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorEntry;
using qtensor::capi::TensorOf;
using qtensor::capi::TextArgument;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;

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
