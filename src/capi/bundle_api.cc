// qt_bundle_*: named entries (quantized tensors, and the float entries of
// bundle_float_api.cc) in insertion order plus sorted string metadata, and
// their serialization.
#include <cstddef>
#include <string>

#include "capi/bundle_entries.h"
#include "io/serialize.h"

using qtensor::capi::BundleHandle;
using qtensor::capi::FindEntry;
using qtensor::capi::Guard;
using qtensor::capi::NamedEntry;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::SetEntry;
using qtensor::capi::TensorEntry;
using qtensor::capi::TensorOf;
using qtensor::capi::TextArgument;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;
using qtensor::io::Bundle;

namespace {

const Bundle& BundleOf(const qt_bundle* handle) { return BundleHandle(handle).bundle; }

// The metadata key at index, from the ordered list (rebuilt if stale).
const std::string& MetadataKeyAt(const qt_bundle& handle, size_t index) {
  const std::lock_guard<std::mutex> lock(handle.metadata_keys_lock);
  if (handle.metadata_keys_stale) {
    handle.metadata_keys.clear();
    handle.metadata_keys.reserve(handle.bundle.metadata.size());
    for (const auto& entry : handle.bundle.metadata) handle.metadata_keys.push_back(&entry.first);
    handle.metadata_keys_stale = false;
  }
  return *handle.metadata_keys[index];
}

void CheckIndex(size_t index, size_t size, const char* what) {
  if (index >= size) {
    Fail(ErrorKind::kOutOfRange, "index " + std::to_string(index) + " is out of range for " +
                                     std::to_string(size) + " " + what);
  }
}

}  // namespace

qt_bundle::qt_bundle(Bundle contents) : bundle(std::move(contents)) {
  for (size_t i = 0; i < bundle.entries.size(); ++i) entry_positions[bundle.entries[i].first] = i;
}

extern "C" {

qt_status qt_bundle_new(qt_bundle** out) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_bundle();
  });
}

void qt_bundle_free(qt_bundle* bundle) { delete bundle; }

qt_status qt_bundle_set(qt_bundle* bundle, const char* name, const qt_tensor* tensor) {
  return Guard([&] {
    qt_bundle& handle = BundleHandle(bundle);
    SetEntry(handle, name, TensorOf(tensor));
  });
}

qt_status qt_bundle_remove(qt_bundle* bundle, const char* name) {
  return Guard([&] {
    qt_bundle& handle = BundleHandle(bundle);
    NamedEntry(handle, name);
    const auto found = handle.entry_positions.find(name);
    const size_t position = found->second;
    handle.entry_positions.erase(found);
    handle.bundle.entries.erase(handle.bundle.entries.begin() +
                                static_cast<std::ptrdiff_t>(position));
    for (auto& entry : handle.entry_positions) {
      if (entry.second > position) --entry.second;
    }
  });
}

qt_status qt_bundle_size(size_t* out, const qt_bundle* bundle) {
  return Guard([&] {
    const size_t size = BundleOf(bundle).entries.size();
    *Required(out, "out") = size;
  });
}

qt_status qt_bundle_name(const char** out, const qt_bundle* bundle, size_t index) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    Required(out, "out");
    CheckIndex(index, entries.entries.size(), "tensors");
    *out = entries.entries[index].first.c_str();
  });
}

qt_status qt_bundle_contains(bool* out, const qt_bundle* bundle, const char* name) {
  return Guard([&] {
    const bool found = FindEntry(BundleHandle(bundle), Required(name, "name")) != nullptr;
    *Required(out, "out") = found;
  });
}

qt_status qt_bundle_get(qt_tensor** out, const qt_bundle* bundle, const char* name) {
  return Guard([&] {
    const qtensor::io::BundleEntry& entry = NamedEntry(BundleHandle(bundle), name);
    const qtensor::core::Tensor& tensor = TensorEntry(entry, name);
    ReturnTensor(Required(out, "out"), tensor);
  });
}

qt_status qt_bundle_get_index(qt_tensor** out, const qt_bundle* bundle, size_t index) {
  return Guard([&] {
    const Bundle& entries = BundleOf(bundle);
    Required(out, "out");
    CheckIndex(index, entries.entries.size(), "tensors");
    const auto& [name, entry] = entries.entries[index];
    ReturnTensor(out, TensorEntry(entry, name));
  });
}

qt_status qt_bundle_set_metadata(qt_bundle* bundle, const char* key, const char* value) {
  return Guard([&] {
    qt_bundle& handle = BundleHandle(bundle);
    std::string k = TextArgument(key, "key", false);
    std::string v = TextArgument(value, "value", true);
    const bool inserted =
        handle.bundle.metadata.insert_or_assign(std::move(k), std::move(v)).second;
    if (inserted) {
      const std::lock_guard<std::mutex> lock(handle.metadata_keys_lock);
      handle.metadata_keys_stale = true;
    }
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
    *out = MetadataKeyAt(BundleHandle(bundle), index).c_str();
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
    *out = new qt_bundle(std::move(bundle));
  });
}

qt_status qt_bundle_save(const qt_bundle* bundle, const char* path) {
  return Guard([&] { qtensor::io::SaveBundle(BundleOf(bundle), Required(path, "path")); });
}

qt_status qt_bundle_save_message(const qt_bundle* bundle, const char* path) {
  return Guard([&] { qtensor::io::SaveBundleMessage(BundleOf(bundle), Required(path, "path")); });
}

qt_status qt_bundle_load(qt_bundle** out, const char* path) {
  return Guard([&] {
    Required(out, "out");
    Bundle bundle = qtensor::io::LoadBundle(Required(path, "path"));
    *out = new qt_bundle(std::move(bundle));
  });
}

}  // extern "C"
