// What qt_bundle_* (bundle_api.cc) and qt_bundle_*float* (bundle_float_api.cc)
// share: the handle, its entries by name, and adding or replacing an entry.
#ifndef QTENSOR_CAPI_BUNDLE_ENTRIES_H_
#define QTENSOR_CAPI_BUNDLE_ENTRIES_H_

#include <string>

#include "capi/handles.h"
#include "io/bundle.h"

namespace qtensor::capi {

inline const qt_bundle& BundleHandle(const qt_bundle* handle) {
  return *Required(handle, "bundle");
}
inline qt_bundle& BundleHandle(qt_bundle* handle) { return *Required(handle, "bundle"); }

// A string argument that can be stored in the file format: not NULL,
// UTF-8, and (when it names something) not empty.
std::string TextArgument(const char* text, const char* what, bool may_be_empty);

// The entry of that name, or NULL.
const io::BundleEntry* FindEntry(const qt_bundle& handle, const std::string& name);

// The entry of that name; throws for a NULL name, kNotFound if absent.
const io::BundleEntry& NamedEntry(const qt_bundle& handle, const char* name);

// The quantized tensor or float array of an entry; kTypeMismatch for the
// other kind, naming the calls that read it.
const core::Tensor& TensorEntry(const io::BundleEntry& entry, const std::string& name);
const io::FloatArray& FloatEntry(const io::BundleEntry& entry, const std::string& name);

// A caller's qt_float_dtype; kInvalidArgument for an unknown one.
io::FloatDType FloatDTypeArgument(const qt_float_dtype& dtype);

// Adds the entry under a name checked with TextArgument, or replaces the
// entry of that name (of either kind) in its position.
void SetEntry(qt_bundle& handle, const char* name, io::BundleEntry entry);

}  // namespace qtensor::capi

#endif  // QTENSOR_CAPI_BUNDLE_ENTRIES_H_
