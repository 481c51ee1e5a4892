// qt_bundle_*float*: a bundle's unquantized float entries (io/float_array.h),
// stored and read back bit for bit.
#include <algorithm>
#include <cstddef>
#include <string>

#include "capi/bundle_entries.h"
#include "io/float_array.h"

using qtensor::capi::BundleHandle;
using qtensor::capi::CheckCapacity;
using qtensor::capi::EnumValue;
using qtensor::capi::FloatDTypeArgument;
using qtensor::capi::FloatEntry;
using qtensor::capi::Guard;
using qtensor::capi::NamedEntry;
using qtensor::capi::Required;
using qtensor::capi::SetEntry;
using qtensor::capi::ShapeArgument;
using qtensor::io::FloatArray;
using qtensor::io::FloatDType;

namespace {

const FloatArray& NamedFloat(const qt_bundle* bundle, const char* name) {
  const qtensor::io::BundleEntry& entry = NamedEntry(BundleHandle(bundle), name);  // name checked
  return FloatEntry(entry, name);
}

}  // namespace

extern "C" {

const char* qt_float_dtype_name(qt_float_dtype dtype) {
  const int32_t value = EnumValue(dtype);
  if (!qtensor::io::IsValidFloatDType(value)) return nullptr;
  return qtensor::io::FloatDTypeName(static_cast<FloatDType>(value));
}

qt_status qt_bundle_set_float(qt_bundle* bundle, const char* name, const void* data,
                              size_t data_bytes, const int64_t* shape, size_t ndim,
                              qt_float_dtype dtype) {
  return Guard([&] {
    qt_bundle& handle = BundleHandle(bundle);
    const FloatDType type = FloatDTypeArgument(dtype);
    SetEntry(handle, name, FloatArray::Copy(type, ShapeArgument(shape, ndim), data, data_bytes));
  });
}

qt_status qt_bundle_is_float(bool* out, const qt_bundle* bundle, const char* name) {
  return Guard([&] {
    const bool is_float =
        std::holds_alternative<FloatArray>(NamedEntry(BundleHandle(bundle), name));
    *Required(out, "out") = is_float;
  });
}

qt_status qt_bundle_float_dtype(qt_float_dtype* out, const qt_bundle* bundle, const char* name) {
  return Guard([&] {
    const FloatDType dtype = NamedFloat(bundle, name).dtype;
    *Required(out, "out") = static_cast<qt_float_dtype>(dtype);
  });
}

qt_status qt_bundle_float_ndim(size_t* out, const qt_bundle* bundle, const char* name) {
  return Guard([&] {
    const size_t ndim = NamedFloat(bundle, name).shape.size();
    *Required(out, "out") = ndim;
  });
}

qt_status qt_bundle_float_shape(int64_t* out, size_t capacity, const qt_bundle* bundle,
                                const char* name) {
  return Guard([&] {
    const std::vector<int64_t>& shape = NamedFloat(bundle, name).shape;
    CheckCapacity(capacity, shape.size(), "out");
    if (!shape.empty()) std::copy(shape.begin(), shape.end(), Required(out, "out"));
  });
}

qt_status qt_bundle_float_data(const void** out, size_t* out_size, const qt_bundle* bundle,
                               const char* name) {
  return Guard([&] {
    const qtensor::io::FloatArray& array = NamedFloat(bundle, name);
    Required(out, "out");
    *Required(out_size, "out_size") = array.size;
    *out = array.data;
  });
}

qt_status qt_bundle_float_values(float* out, size_t capacity, const qt_bundle* bundle,
                                 const char* name) {
  return Guard([&] {
    const FloatArray& array = NamedFloat(bundle, name);
    const auto numel = static_cast<size_t>(array.numel());
    CheckCapacity(capacity, numel, "out");
    if (numel > 0) array.Widen(Required(out, "out"));
  });
}

}  // extern "C"
