// qt_serialize, qt_deserialize, qt_save, qt_load: single tensors in the file
// format, and the buffers handed to callers.
#include <cstdlib>

#include "capi/handles.h"
#include "io/file_header.h"
#include "io/serialize.h"

// The header's promise is io's value.
static_assert(QTENSOR_FORMAT_VERSION == qtensor::io::kFormatVersion);

using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorOf;

extern "C" {

qt_status qt_serialize(uint8_t** out, size_t* out_size, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    Required(out_size, "out_size");
    qtensor::io::Buffer buffer = qtensor::io::SerializeTensor(TensorOf(tensor));
    *out_size = buffer.size;
    *out = buffer.data.release();
  });
}

void qt_buffer_free(uint8_t* buffer) { std::free(buffer); }

qt_status qt_deserialize(qt_tensor** out, const uint8_t* data, size_t size) {
  return Guard([&] {
    Required(out, "out");
    if (size > 0) Required(data, "data");
    ReturnTensor(out, qtensor::io::DeserializeTensor(data, size));
  });
}

qt_status qt_save(const qt_tensor* tensor, const char* path) {
  return Guard([&] { qtensor::io::SaveTensor(TensorOf(tensor), Required(path, "path")); });
}

qt_status qt_load(qt_tensor** out, const char* path) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::io::LoadTensor(Required(path, "path")));
  });
}

}  // extern "C"
