// Views (qt_select, qt_slice, qt_narrow, qt_transpose, qt_permute,
// qt_contiguous, qt_clone), element access (qt_tensor_item / get / set),
// qt_fill and qt_copy.
#include "capi/handles.h"
#include "core/shape.h"
#include "core/tensor_ops.h"

using qtensor::capi::ArrayArgument;
using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorOf;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;
using qtensor::core::kMaxDims;
using qtensor::core::Tensor;

namespace {

std::vector<int64_t> IndexArgument(const int64_t* index, size_t ndim) {
  if (ndim > kMaxDims) Fail(ErrorKind::kOutOfRange, "too many indices");
  return ArrayArgument(index, ndim, "index");
}

}  // namespace

extern "C" {

qt_status qt_select(qt_tensor** out, const qt_tensor* tensor, int64_t dim, int64_t index) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, TensorOf(tensor).Select(dim, index));
  });
}

qt_status qt_slice(qt_tensor** out, const qt_tensor* tensor, int64_t dim, int64_t start,
                   int64_t stop, int64_t step) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, TensorOf(tensor).Slice(dim, start, stop, step));
  });
}

qt_status qt_narrow(qt_tensor** out, const qt_tensor* tensor, int64_t dim, int64_t start,
                    int64_t length) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, TensorOf(tensor).Narrow(dim, start, length));
  });
}

qt_status qt_transpose(qt_tensor** out, const qt_tensor* tensor, int64_t dim0, int64_t dim1) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, TensorOf(tensor).Transpose(dim0, dim1));
  });
}

qt_status qt_permute(qt_tensor** out, const qt_tensor* tensor, const int64_t* dims, size_t ndims) {
  return Guard([&] {
    Required(out, "out");
    const Tensor& view = TensorOf(tensor);
    if (ndims > kMaxDims) Fail(ErrorKind::kInvalidArgument, "permute: too many dims");
    ReturnTensor(out, view.Permute(ArrayArgument(dims, ndims, "dims")));
  });
}

qt_status qt_contiguous(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::core::Contiguous(TensorOf(tensor)));
  });
}

qt_status qt_clone(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::core::Clone(TensorOf(tensor)));
  });
}

qt_status qt_tensor_item(float* out, const qt_tensor* tensor) {
  return Guard([&] {
    const float value = qtensor::core::Item(TensorOf(tensor));
    *Required(out, "out") = value;
  });
}

qt_status qt_tensor_get(float* out, const qt_tensor* tensor, const int64_t* index, size_t ndim) {
  return Guard([&] {
    const float value = qtensor::core::GetElement(TensorOf(tensor), IndexArgument(index, ndim));
    *Required(out, "out") = value;
  });
}

qt_status qt_tensor_set(qt_tensor* tensor, const int64_t* index, size_t ndim, float value) {
  return Guard(
      [&] { qtensor::core::SetElement(TensorOf(tensor), IndexArgument(index, ndim), value); });
}

qt_status qt_fill(qt_tensor* tensor, float value) {
  return Guard([&] { qtensor::core::Fill(TensorOf(tensor), value); });
}

qt_status qt_copy(qt_tensor* dst, const qt_tensor* src) {
  return Guard([&] {
    Required(dst, "dst");
    Required(src, "src");
    qtensor::core::Copy(dst->tensor, src->tensor);
  });
}

qt_status qt_copy_from_float(qt_tensor* dst, const float* data, size_t count) {
  return Guard([&] {
    const Tensor& view = TensorOf(dst);
    if (count != static_cast<size_t>(view.numel())) {
      Fail(ErrorKind::kShapeMismatch, "copy_: " + std::to_string(count) +
                                          " floats for a tensor of " +
                                          std::to_string(view.numel()) + " elements");
    }
    if (count > 0) Required(data, "data");
    qtensor::core::QuantizeInto(view, data);
  });
}

}  // extern "C"
