// Index lists, masks and repeats: qt_empty_like, qt_index_select, qt_repeat,
// qt_masked_fill_inplace and qt_index_put_inplace.
#include <string>
#include <vector>

#include "capi/handles.h"
#include "core/error.h"
#include "core/shape.h"
#include "ops/index_put.h"
#include "ops/index_select.h"
#include "ops/masked_fill.h"
#include "ops/selected_like.h"

using qtensor::capi::ArrayArgument;
using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorOf;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;
using qtensor::core::Tensor;

qt_status qt_empty_like(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::EmptyLike(TensorOf(tensor)));
  });
}

qt_status qt_index_select(qt_tensor** out, const qt_tensor* tensor, int64_t dim,
                          const int64_t* indices, size_t count) {
  return Guard([&] {
    Required(out, "out");
    const Tensor& input = TensorOf(tensor);
    ReturnTensor(out,
                 qtensor::ops::IndexSelect(input, dim, ArrayArgument(indices, count, "indices")));
  });
}

qt_status qt_repeat(qt_tensor** out, const qt_tensor* tensor, const int64_t* sizes, size_t count) {
  return Guard([&] {
    Required(out, "out");
    const Tensor& input = TensorOf(tensor);
    if (count > qtensor::core::kMaxDims) {
      Fail(ErrorKind::kInvalidArgument, "repeat: " + std::to_string(count) +
                                            " sizes give a rank above " +
                                            std::to_string(qtensor::core::kMaxDims));
    }
    ReturnTensor(out, qtensor::ops::Repeat(input, ArrayArgument(sizes, count, "sizes")));
  });
}

qt_status qt_masked_fill_inplace(qt_tensor* tensor, const bool* mask, size_t count, float value) {
  return Guard([&] {
    const Tensor& view = TensorOf(tensor);
    if (count != static_cast<size_t>(view.numel())) {
      Fail(ErrorKind::kShapeMismatch, "masked_fill_: a mask of " + std::to_string(count) +
                                          " entries for a tensor of " +
                                          std::to_string(view.numel()) + " elements");
    }
    if (count > 0) Required(mask, "mask");
    qtensor::ops::MaskedFillInPlace(view, mask, value);
  });
}

qt_status qt_index_put_inplace(qt_tensor* tensor, int64_t dim, const int64_t* indices, size_t count,
                               const float* values, size_t value_count) {
  return Guard([&] {
    const Tensor& view = TensorOf(tensor);
    const int64_t d = view.WrapDim(dim);
    size_t slice = 1;
    for (size_t i = 0; i < view.ndim(); ++i) {
      if (static_cast<int64_t>(i) != d) slice *= static_cast<size_t>(view.shape()[i]);
    }
    size_t expected = 0;
    if (__builtin_mul_overflow(slice, count, &expected) || value_count != expected) {
      Fail(ErrorKind::kShapeMismatch, "index_put_: " + std::to_string(value_count) +
                                          " values for " + std::to_string(count) + " slices of " +
                                          std::to_string(slice) + " elements");
    }
    if (value_count > 0) Required(values, "values");
    qtensor::ops::IndexPutInPlace(view, d, ArrayArgument(indices, count, "indices"), values);
  });
}
