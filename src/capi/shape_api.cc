// Shape views: qt_view, qt_reshape, qt_flatten, qt_unsqueeze, qt_squeeze,
// qt_squeeze_dim.
#include "capi/handles.h"
#include "core/reshape.h"

using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::ShapeArgument;
using qtensor::capi::TensorOf;

extern "C" {

qt_status qt_view(qt_tensor** out, const qt_tensor* tensor, const int64_t* shape, size_t ndim) {
  return Guard([&] {
    Required(out, "out");
    const qtensor::core::Tensor& view = TensorOf(tensor);
    ReturnTensor(out, qtensor::core::View(view, ShapeArgument(shape, ndim)));
  });
}

qt_status qt_reshape(qt_tensor** out, const qt_tensor* tensor, const int64_t* shape, size_t ndim) {
  return Guard([&] {
    Required(out, "out");
    const qtensor::core::Tensor& view = TensorOf(tensor);
    ReturnTensor(out, qtensor::core::Reshape(view, ShapeArgument(shape, ndim)));
  });
}

qt_status qt_flatten(qt_tensor** out, const qt_tensor* tensor, int64_t start_dim, int64_t end_dim) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::core::Flatten(TensorOf(tensor), start_dim, end_dim));
  });
}

qt_status qt_unsqueeze(qt_tensor** out, const qt_tensor* tensor, int64_t dim) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, TensorOf(tensor).Unsqueeze(dim));
  });
}

qt_status qt_squeeze(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, TensorOf(tensor).Squeeze());
  });
}

qt_status qt_squeeze_dim(qt_tensor** out, const qt_tensor* tensor, int64_t dim) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, TensorOf(tensor).Squeeze(dim));
  });
}

}  // extern "C"
