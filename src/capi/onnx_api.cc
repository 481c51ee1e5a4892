// qt_bundle_*_onnx: bundles as ONNX models (io/onnx.h).
#include <cstddef>

#include "capi/handles.h"
#include "io/onnx.h"
#include "io/serialize.h"

using qtensor::capi::Guard;
using qtensor::capi::Required;

extern "C" {

qt_status qt_bundle_serialize_onnx(uint8_t** out, size_t* out_size, const qt_bundle* bundle) {
  return Guard([&] {
    const qtensor::io::Bundle& entries = Required(bundle, "bundle")->bundle;
    Required(out, "out");
    Required(out_size, "out_size");
    qtensor::io::Buffer buffer =
        qtensor::io::EncodeOnnxModel(entries, qtensor::io::kMaxSerializedBytes);
    *out_size = buffer.size;
    *out = buffer.data.release();
  });
}

qt_status qt_bundle_deserialize_onnx(qt_bundle** out, const uint8_t* data, size_t size) {
  return Guard([&] {
    Required(out, "out");
    if (size > 0) Required(data, "data");
    *out = new qt_bundle(qtensor::io::DecodeOnnxModel(data, size));
  });
}

qt_status qt_bundle_save_onnx(const qt_bundle* bundle, const char* path) {
  return Guard([&] {
    qtensor::io::SaveBundleOnnx(Required(bundle, "bundle")->bundle, Required(path, "path"));
  });
}

qt_status qt_bundle_load_onnx(qt_bundle** out, const char* path) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_bundle(qtensor::io::LoadBundleOnnx(Required(path, "path")));
  });
}

}  // extern "C"
