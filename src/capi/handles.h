// What the opaque handles of the C ABI hold, and the guard every entry point
// runs its body in: it turns exceptions into a status and the thread's last
// error message, so no exception ever crosses the ABI.
#ifndef QTENSOR_CAPI_HANDLES_H_
#define QTENSOR_CAPI_HANDLES_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/quantizer.h"
#include "core/storage.h"
#include "core/tensor.h"
#include "io/bundle.h"
#include "ops/conv2d.h"
#include "ops/packed_linear.h"
#include "qtensor/qtensor.h"

struct qt_tensor {
  qtensor::core::Tensor tensor;
};

struct qt_packed_linear {
  std::shared_ptr<const qtensor::ops::PackedLinear> packed;
};

struct qt_packed_conv2d {
  std::shared_ptr<const qtensor::ops::PackedConv2d> packed;
};

struct qt_quantizer {
  qtensor::core::Quantizer quantizer;
};

struct qt_bundle {
  explicit qt_bundle(qtensor::io::Bundle contents = {});

  qtensor::io::Bundle bundle;
  // Kept beside the bundle so that a lookup by name or a listing by index
  // costs O(log n) or O(1), and listing all n names or keys O(n log n) (a
  // hostile file may hold many): each entry name's position in
  // bundle.entries (a tree, which crafted names cannot degrade as they can a
  // hash table), and the metadata keys in order, rebuilt on first use after
  // a new key. Readers on many threads share that list, hence the lock.
  std::map<std::string, size_t> entry_positions;
  mutable std::mutex metadata_keys_lock;
  mutable std::vector<const std::string*> metadata_keys;
  mutable bool metadata_keys_stale = true;
};

namespace qtensor::capi {

// Records message as this thread's last error and returns status.
qt_status SetLastError(qt_status status, const std::string& message);

qt_status StatusFromCurrentException();

// Runs body; returns QT_OK, or the status of what it threw.
template <typename Body>
qt_status Guard(Body&& body) noexcept {
  try {
    body();
    return QT_OK;
  } catch (...) {
    return StatusFromCurrentException();
  }
}

// Throws QT_ERR_INVALID_ARGUMENT naming the parameter if pointer is NULL.
template <typename T>
T* Required(T* pointer, const char* name) {
  if (pointer == nullptr) {
    core::Fail(core::ErrorKind::kInvalidArgument, std::string(name) + " is NULL");
  }
  return pointer;
}

// An array argument of count elements; NULL is fine only when count is 0.
template <typename T>
std::vector<T> ArrayArgument(const T* data, size_t count, const char* name) {
  if (count == 0) return {};
  Required(data, name);
  return std::vector<T>(data, data + count);
}

// A shape argument, its rank checked (core::CheckRank) before the array is
// copied.
std::vector<int64_t> ShapeArgument(const int64_t* shape, size_t ndim);

// The float data of a shape: numel checked, data required when numel > 0.
inline size_t FloatDataArgument(const float* data, const std::vector<int64_t>& shape) {
  const auto numel = static_cast<size_t>(core::CheckedNumel(shape, core::DType::kQInt32));
  if (numel > 0) Required(data, "data");
  return numel;
}

// Checks that a caller's output buffer holds count elements.
void CheckCapacity(size_t capacity, size_t count, const char* name);

// Copies values into out, which holds capacity of them.
template <typename T>
void CopyOut(const std::vector<T>& values, T* out, size_t capacity) {
  CheckCapacity(capacity, values.size(), "out");
  if (!values.empty()) std::copy(values.begin(), values.end(), Required(out, "out"));
}

// The integer a caller passed for an enum parameter. C callers may pass any
// int, and loading one outside the enumerators' range as the C++ enum type
// would be undefined behaviour, so the bytes are read as an integer.
template <typename Enum>
int32_t EnumValue(const Enum& value) {
  static_assert(std::is_enum_v<Enum> && sizeof(Enum) == sizeof(int32_t));
  int32_t raw;
  std::memcpy(&raw, &value, sizeof raw);
  return raw;
}

core::DType DTypeArgument(const qt_dtype& dtype);

inline const core::Tensor& TensorOf(const qt_tensor* handle) {
  return Required(handle, "tensor")->tensor;
}

inline const core::Quantizer& QuantizerOf(const qt_quantizer* handle) {
  return Required(handle, "quantizer")->quantizer;
}

// Stores a new handle for tensor in *out.
inline void ReturnTensor(qt_tensor** out, core::Tensor tensor) {
  *out = new qt_tensor{std::move(tensor)};
}

// Stores a NUL-terminated copy of text in *out, for qt_string_free.
inline void ReturnString(char** out, const std::string& text) {
  char* copy = new char[text.size() + 1];
  std::memcpy(copy, text.c_str(), text.size() + 1);
  *out = copy;
}

}  // namespace qtensor::capi

#endif  // QTENSOR_CAPI_HANDLES_H_
