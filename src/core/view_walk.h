// Walking a view's elements in row-major order by their storage positions.
#ifndef QTENSOR_CORE_VIEW_WALK_H_
#define QTENSOR_CORE_VIEW_WALK_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace qtensor::core {

// Calls run(position, count, step) for each row of the view's last dim, in
// row-major order: count elements at storage positions position + k * step.
template <class Run>
void ForEachRow(const Tensor& tensor, const Run& run) {
  if (tensor.numel() == 0) return;
  const size_t ndim = tensor.ndim();
  if (ndim == 0) {
    run(tensor.offset(), size_t{1}, int64_t{1});
    return;
  }
  const std::vector<int64_t>& shape = tensor.shape();
  const std::vector<int64_t> strides = tensor.strides();
  const auto count = static_cast<size_t>(shape[ndim - 1]);
  const int64_t rows = tensor.numel() / shape[ndim - 1];
  std::vector<int64_t> index(ndim - 1, 0);
  int64_t position = tensor.offset();
  for (int64_t r = 0; r < rows; ++r) {
    run(position, count, strides[ndim - 1]);
    for (size_t d = ndim - 1; d-- > 0;) {
      if (++index[d] < shape[d]) {
        position += strides[d];
        break;
      }
      position -= strides[d] * (shape[d] - 1);
      index[d] = 0;
    }
  }
}

// Calls visit(position) for each element, in row-major order.
template <class Visit>
void ForEachPosition(const Tensor& tensor, const Visit& visit) {
  ForEachRow(tensor, [&](int64_t position, size_t count, int64_t step) {
    for (size_t k = 0; k < count; ++k) visit(position + static_cast<int64_t>(k) * step);
  });
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_VIEW_WALK_H_
