// Shape views as torch has them: view, reshape, flatten (squeeze and
// unsqueeze are Tensor members). docs/numerics.md says how a per-channel
// view's channel dim goes through them.
#ifndef QTENSOR_CORE_RESHAPE_H_
#define QTENSOR_CORE_RESHAPE_H_

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace qtensor::core {

// torch's infer_size: shape with its one -1 replaced so that it holds numel
// elements. Throws kInvalidArgument for two -1s or a size below -1, and
// kShapeMismatch, "shape '[2, -1]' is invalid for input of size 7", where
// no size fits (or an ambiguous -1 among zero sizes).
std::vector<int64_t> InferShape(const std::vector<int64_t>& shape, int64_t numel);

// tensor.view(shape), shape may hold one -1.
Tensor View(const Tensor& tensor, const std::vector<int64_t>& shape);
// tensor.reshape(shape): a view where one exists, else a view of a
// contiguous copy.
Tensor Reshape(const Tensor& tensor, const std::vector<int64_t>& shape);
// tensor.flatten(start_dim, end_dim): dims start..end merged into one, by
// Reshape; the tensor itself where start == end; (1,) for a 0-dim tensor.
Tensor Flatten(const Tensor& tensor, int64_t start_dim, int64_t end_dim);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_RESHAPE_H_
