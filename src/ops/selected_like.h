// New zero-filled tensors whose elements take the parameters of another
// tensor's elements: empty_like, and the results of index_select and repeat.
#ifndef QTENSOR_OPS_SELECTED_LIKE_H_
#define QTENSOR_OPS_SELECTED_LIKE_H_

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace qtensor::ops {

// torch.empty_like(q): a new contiguous tensor of like's shape and dtype
// whose every element has like's element's parameters (also for a view that
// selected away a per-channel axis, as Clone); its integers are 0.
core::Tensor EmptyLike(const core::Tensor& like);

// A new contiguous zero-filled tensor of like's shape with dim's size
// replaced by indices.size(), whose element j along dim has the parameters
// of like's element indices[j] (already checked to lie in [0, size)). Throws
// kTypeMismatch for a per-block tensor, whose parameters follow element
// positions; what names the operation in the message.
core::Tensor SelectedLike(const core::Tensor& like, int64_t dim,
                          const std::vector<int64_t>& indices, const char* what);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_SELECTED_LIKE_H_
