// qt_bundle_*: named tensors in insertion order plus sorted string metadata,
// and their serialization.
#include <algorithm>
#include <iterator>
#include <string>

#include "capi/handles.h"
#include "io/serialize.h"
#include "io/utf8.h"

using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorOf;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;
using qtensor::io::Bundle;

namespace {

const Bundle& BundleOf(const qt_bundle* handle) { return Required(handle, "bundle")->bundle; }
Bundle& BundleOf(qt_bundle* handle) { return Required(handle, "bundle")->bundle; }

// A string argument that can be stored in the file format: not NULL,
// UTF-8, and (when it names something) not empty.
std::string TextArgument(const char* text, const char* what, bool may_be_empty) {
  std::string value = Required(text, what);
  if (!may_be_empty && value.empty())
    Fail(ErrorKind::kInvalidArgument, std::string(what) + " is empty");
  if (!qtensor::io::IsValidUtf8(value)) {
    Fail(ErrorKind::kInvalidArgument, std::string(what) + " is not valid UTF-8");
  }
  return value;
}

auto FindEntry(const Bundle& bundle, const std::string& name) {
  return std::find_if(bundle.tensors.begin(), bundle.tensors.end(),
                      [&](const auto& entry) { return entry.first == name; });
}

const qtensor::core::Tensor& NamedTensor(const Bundle& bundle, const char* name) {
  const auto entry = FindEntry(bundle, Required(name, "name"));
  if (entry == bundle.tensors.end()) {
    Fail(ErrorKind::kNotFound, std::string("the bundle has no tensor named '") + name + "'");
  }
  return entry->second;
}

void CheckIndex(size_t index, size_t size, const char* what) {
  if (index >= size) {
    Fail(ErrorKind::kOutOfRange, "index " + std::to_string(index) + " is out of range for " +
                                     std::to_string(size) + " " + what);
  }
}

}  // namespace

extern "C" {

qt_status qt_bundle_new(qt_bundle** out) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_bundle{};
  });
}

void qt_bundle_free(qt_bundle* bundle) { delete bundle; }

qt_status qt_bundle_set(qt_bundle* bundle, const char* name, const qt_tensor* tensor) {
  return Guard([&] {
    Bundle& entries = BundleOf(bundle);
    std::string key = TextArgument(name, "name", false);
    const qtensor::core::Tensor& view = TensorOf(tensor);
    const auto entry = FindEntry(entries, key);
    if (entry != entries.tensors.end()) {
      entries.tensors[static_cast<size_t>(entry - entries.tensors.begin())].second = view;
    } else {
      entries.tensors.emplace_back(std::move(key), view);
    }
  });
}

qt_status qt_bundle_remove(qt_bundle* bundle, const char* name) {
  return Guard([&] {
    Bundle& entries = BundleOf(bundle);
    NamedTensor(entries, name);
    entries.tensors.erase(FindEntry(entries, name));
  });
}

qt_status qt_bundle_size(size_t* out, const qt_bundle* bundle) {
  return Guard([&] {
    const size_t size = BundleOf(bundle).tensors.size();
    *Required(out, "out") = size;
  });
}

qt_status qt_bundle_name(const char** out, const qt_bundle* bundle, size_t index) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    Required(out, "out");
    CheckIndex(index, entries.tensors.size(), "tensors");
    *out = entries.tensors[index].first.c_str();
  });
}

qt_status qt_bundle_contains(bool* out, const qt_bundle* bundle, const char* name) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    const bool found = FindEntry(entries, Required(name, "name")) != entries.tensors.end();
    *Required(out, "out") = found;
  });
}

qt_status qt_bundle_get(qt_tensor** out, const qt_bundle* bundle, const char* name) {
  return Guard([&] {
    const qtensor::core::Tensor& tensor = NamedTensor(BundleOf(bundle), name);
    ReturnTensor(Required(out, "out"), tensor);
  });
}

qt_status qt_bundle_get_index(qt_tensor** out, const qt_bundle* bundle, size_t index) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    Required(out, "out");
    CheckIndex(index, entries.tensors.size(), "tensors");
    ReturnTensor(out, entries.tensors[index].second);
  });
}

qt_status qt_bundle_set_metadata(qt_bundle* bundle, const char* key, const char* value) {
  return Guard([&] {
    Bundle& entries = BundleOf(bundle);
    std::string k = TextArgument(key, "key", false);
    std::string v = TextArgument(value, "value", true);
    entries.metadata[std::move(k)] = std::move(v);
  });
}

qt_status qt_bundle_metadata(const char** out, const qt_bundle* bundle, const char* key) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    const auto found = entries.metadata.find(Required(key, "key"));
    if (found == entries.metadata.end()) {
      Fail(ErrorKind::kNotFound, std::string("the bundle has no metadata key '") + key + "'");
    }
    *Required(out, "out") = found->second.c_str();
  });
}

qt_status qt_bundle_metadata_size(size_t* out, const qt_bundle* bundle) {
  return Guard([&] {
    const size_t size = BundleOf(bundle).metadata.size();
    *Required(out, "out") = size;
  });
}

qt_status qt_bundle_metadata_key(const char** out, const qt_bundle* bundle, size_t index) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    Required(out, "out");
    CheckIndex(index, entries.metadata.size(), "metadata keys");
    *out = std::next(entries.metadata.begin(), static_cast<std::ptrdiff_t>(index))->first.c_str();
  });
}

qt_status qt_bundle_serialize(uint8_t** out, size_t* out_size, const qt_bundle* bundle) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    Required(out, "out");
    Required(out_size, "out_size");
    qtensor::io::Buffer buffer = qtensor::io::SerializeBundle(entries);
    *out_size = buffer.size;
    *out = buffer.data.release();
  });
}

qt_status qt_bundle_deserialize(qt_bundle** out, const uint8_t* data, size_t size) {
  return Guard([&] {
    Required(out, "out");
    if (size > 0) Required(data, "data");
    Bundle bundle = qtensor::io::DeserializeBundle(data, size);
    *out = new qt_bundle{std::move(bundle)};
  });
}

qt_status qt_bundle_save(const qt_bundle* bundle, const char* path) {
  return Guard([&] { qtensor::io::SaveBundle(BundleOf(bundle), Required(path, "path")); });
}

qt_status qt_bundle_load(qt_bundle** out, const char* path) {
  return Guard([&] {
    Required(out, "out");
    Bundle bundle = qtensor::io::LoadBundle(Required(path, "path"));
    *out = new qt_bundle{std::move(bundle)};
  });
}

}  // extern "C"
