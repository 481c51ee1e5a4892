#include "ops/index_put.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/tensor_ops.h"

namespace qtensor::ops {

using core::ErrorKind;
using core::Fail;
using core::Tensor;

void IndexPutInPlace(const Tensor& tensor, int64_t dim, const std::vector<int64_t>& indices,
                     const float* values) {
  const int64_t d = tensor.WrapDim(dim);
  const int64_t size = tensor.shape()[static_cast<size_t>(d)];
  for (const int64_t index : indices) {
    if (index < -size || index >= size) {
      Fail(ErrorKind::kOutOfRange, "index_put_: index " + std::to_string(index) +
                                       " is out of range for dim " + std::to_string(d) +
                                       " of size " + std::to_string(size));
    }
  }
  // values has tensor's shape with dim's size count: slice j is strided.
  const size_t count = indices.size();
  size_t outer = 1;
  for (int64_t i = 0; i < d; ++i) outer *= static_cast<size_t>(tensor.shape()[i]);
  std::vector<float> slice_values;
  for (size_t j = 0; j < count; ++j) {
    const int64_t index = indices[j] < 0 ? indices[j] + size : indices[j];
    const Tensor slice = tensor.Select(d, index);
    const size_t inner = outer == 0 ? 0 : static_cast<size_t>(slice.numel()) / outer;
    slice_values.resize(static_cast<size_t>(slice.numel()));
    for (size_t o = 0; o < outer; ++o) {
      std::copy_n(values + (o * count + j) * inner, inner, slice_values.data() + o * inner);
    }
    core::QuantizeInto(slice, slice_values.data());
  }
}

}  // namespace qtensor::ops
