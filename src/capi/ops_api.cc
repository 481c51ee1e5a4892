// The operators (src/ops): qt_requantize, qt_relu, qt_relu_inplace,
// qt_relu6, qt_clamp.
#include "capi/handles.h"
#include "ops/clamp.h"
#include "ops/requantize.h"

using qtensor::capi::Guard;
using qtensor::capi::QuantizerOf;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorOf;

extern "C" {

qt_status qt_requantize(qt_tensor** out, const qt_tensor* tensor, const qt_quantizer* quantizer) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Requantize(TensorOf(tensor), QuantizerOf(quantizer)));
  });
}

qt_status qt_relu(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Relu(TensorOf(tensor)));
  });
}

qt_status qt_relu_inplace(qt_tensor* tensor) {
  return Guard([&] { qtensor::ops::ReluInPlace(TensorOf(tensor)); });
}

qt_status qt_relu6(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Relu6(TensorOf(tensor)));
  });
}

qt_status qt_clamp(qt_tensor** out, const qt_tensor* tensor, float min, float max) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Clamp(TensorOf(tensor), min, max));
  });
}

}  // extern "C"
