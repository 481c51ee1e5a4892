#include "capi/bundle_entries.h"

#include <string>
#include <utility>
#include <variant>

#include "io/utf8.h"

namespace qtensor::capi {
namespace {

using core::ErrorKind;
using core::Fail;
using io::BundleEntry;
using io::FloatArray;

}  // namespace

std::string TextArgument(const char* text, const char* what, bool may_be_empty) {
  std::string value = Required(text, what);
  if (!may_be_empty && value.empty())
    Fail(ErrorKind::kInvalidArgument, std::string(what) + " is empty");
  if (!io::IsValidUtf8(value)) {
    Fail(ErrorKind::kInvalidArgument, std::string(what) + " is not valid UTF-8");
  }
  return value;
}

const BundleEntry* FindEntry(const qt_bundle& handle, const std::string& name) {
  const auto found = handle.entry_positions.find(name);
  if (found == handle.entry_positions.end()) return nullptr;
  return &handle.bundle.entries[found->second].second;
}

const BundleEntry& NamedEntry(const qt_bundle& handle, const char* name) {
  const BundleEntry* entry = FindEntry(handle, Required(name, "name"));
  if (entry == nullptr) {
    Fail(ErrorKind::kNotFound, std::string("the bundle has no entry named '") + name + "'");
  }
  return *entry;
}

const core::Tensor& TensorEntry(const BundleEntry& entry, const std::string& name) {
  const auto* tensor = std::get_if<core::Tensor>(&entry);
  if (tensor == nullptr) {
    Fail(ErrorKind::kTypeMismatch, "'" + name +
                                       "' is a float entry, not a quantized tensor: read it with "
                                       "qt_bundle_float_data or qt_bundle_float_values");
  }
  return *tensor;
}

const FloatArray& FloatEntry(const BundleEntry& entry, const std::string& name) {
  const auto* array = std::get_if<FloatArray>(&entry);
  if (array == nullptr) {
    Fail(ErrorKind::kTypeMismatch,
         "'" + name + "' is a quantized tensor, not a float entry: read it with qt_bundle_get");
  }
  return *array;
}

io::FloatDType FloatDTypeArgument(const qt_float_dtype& dtype) {
  const int32_t value = EnumValue(dtype);
  if (!io::IsValidFloatDType(value)) {
    Fail(ErrorKind::kInvalidArgument, "unknown float dtype " + std::to_string(value) +
                                          " (expected one of QT_FLOAT32 = 1 to QT_BFLOAT16 = 3)");
  }
  return static_cast<io::FloatDType>(value);
}

void SetEntry(qt_bundle& handle, const char* name, BundleEntry entry) {
  std::string key = TextArgument(name, "name", false);
  const auto found = handle.entry_positions.find(key);
  if (found != handle.entry_positions.end()) {
    handle.bundle.entries[found->second].second = std::move(entry);
  } else {
    handle.bundle.entries.emplace_back(key, std::move(entry));
    handle.entry_positions.emplace(std::move(key), handle.bundle.entries.size() - 1);
  }
}

}  // namespace qtensor::capi
