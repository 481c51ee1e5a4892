// libFuzzer target: untrusted bytes into qt_deserialize and
// qt_bundle_deserialize. Bad input must fail with QT_ERR_CORRUPT_DATA and a
// message; whatever loads must be usable (read, printed, saved again) and
// survive a round trip unchanged. Any broken promise aborts, so libFuzzer
// (or the replay driver) reports it like a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace {

using qtensor::Bundle;
using qtensor::Tensor;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz check failed: %s\n", what.c_str());
  std::abort();
}

void Require(bool ok, const char* what) {
  if (!ok) Fail(what);
}

std::vector<uint8_t> IntBytes(const Tensor& tensor) {
  std::vector<uint8_t> bytes(static_cast<size_t>(tensor.numel()) * qt_dtype_size(tensor.dtype()));
  tensor.int_repr_into(bytes.data(), bytes.size());
  return bytes;
}

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

void RequireSameTensor(const Tensor& a, const Tensor& b, const char* what) {
  if (a.dtype() != b.dtype() || a.sizes() != b.sizes() || a.quantizer() != b.quantizer() ||
      IntBytes(a) != IntBytes(b) || !SameBits(a.dequantize(), b.dequantize()) ||
      a.to_string() != b.to_string()) {
    Fail(std::string(what) + ": tensors differ");
  }
}

// What a user does with a loaded tensor: read it, print it, save it again.
void ExerciseTensor(const Tensor& tensor) {
  const std::string bytes = tensor.serialize();
  const Tensor again = Tensor::deserialize(bytes);
  RequireSameTensor(tensor, again, "tensor round trip");
  Require(again.serialize() == bytes, "a round-tripped tensor serializes differently");
  // A view writes its own elements with the parameters they carry.
  if (tensor.dim() >= 2) {
    const Tensor view = tensor.transpose(0, static_cast<int64_t>(tensor.dim()) - 1);
    RequireSameTensor(view, Tensor::deserialize(view.serialize()), "transposed view round trip");
  }
}

// Float entries: same dtype, shape and bytes, and values of a count that
// matches the shape.
void RequireSameFloatEntry(const Bundle& a, const Bundle& b, const std::string& name) {
  const std::vector<uint8_t> bytes = a.float_data(name);
  Require(b.is_float(name) && a.float_dtype(name) == b.float_dtype(name) &&
              a.float_shape(name) == b.float_shape(name) && bytes == b.float_data(name),
          "float entries differ");
  const size_t width = a.float_dtype(name) == QT_FLOAT32 ? 4 : 2;
  Require(a.float_values(name).size() * width == bytes.size(), "float entry value count");
}

void RequireSameBundle(const Bundle& a, const Bundle& b) {
  Require(a.names() == b.names(), "bundle round trip changed the names");
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.is_float(a.name(i))) {
      RequireSameFloatEntry(a, b, a.name(i));
    } else {
      RequireSameTensor(a.at(i), b.at(i), "bundle entry");
    }
  }
  const std::vector<std::string> keys = a.metadata_keys();
  Require(keys == b.metadata_keys(), "bundle round trip changed the metadata keys");
  for (const std::string& key : keys) {
    Require(a.metadata(key) == b.metadata(key), "bundle round trip changed a metadata value");
  }
}

void ExerciseBundle(const Bundle& bundle) {
  const std::vector<std::string> names = bundle.names();
  for (size_t i = 0; i < names.size(); ++i) {
    Require(bundle.contains(names[i]), "a listed name is not found");
    if (bundle.is_float(names[i])) continue;  // RequireSameBundle compares them
    RequireSameTensor(bundle.at(i), bundle.get(names[i]), "bundle entry by index and by name");
    ExerciseTensor(bundle.at(i));
  }
  const std::string bytes = bundle.serialize();
  const Bundle again = Bundle::deserialize(bytes);
  RequireSameBundle(bundle, again);
  Require(again.serialize() == bytes, "a round-tripped bundle serializes differently");
}

void RequireCleanFailure(qt_status status, const char* loader) {
  const char* message = qt_last_error_message();
  if (status != QT_ERR_CORRUPT_DATA || message == nullptr || message[0] == '\0') {
    Fail(std::string(loader) + " failed with " + qt_status_name(status) + " and message '" +
         (message ? message : "(null)") + "'");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    qt_tensor* tensor = nullptr;
    const qt_status tensor_status = qt_deserialize(&tensor, data, size);
    if (tensor_status == QT_OK) {
      ExerciseTensor(Tensor(tensor));
    } else {
      Require(tensor == nullptr, "a failed qt_deserialize set its output");
      RequireCleanFailure(tensor_status, "qt_deserialize");
    }

    qt_bundle* bundle = nullptr;
    const qt_status bundle_status = qt_bundle_deserialize(&bundle, data, size);
    if (bundle_status == QT_OK) {
      ExerciseBundle(Bundle(bundle));
    } else {
      Require(bundle == nullptr, "a failed qt_bundle_deserialize set its output");
      RequireCleanFailure(bundle_status, "qt_bundle_deserialize");
    }
  } catch (const qtensor::Error& error) {
    Fail(std::string("a call on loaded data failed: ") + qt_status_name(error.status()) + ": " +
         error.what());
  }
  return 0;
}
