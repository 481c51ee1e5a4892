// torch.index_select on quantized tensors, and Tensor.repeat built on it.
#ifndef QTENSOR_OPS_INDEX_SELECT_H_
#define QTENSOR_OPS_INDEX_SELECT_H_

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace qtensor::ops {

// A new contiguous tensor holding tensor's slices at indices along dim
// (negative dims count from the end), in that order, repeats allowed. Each
// element keeps its integer and its own parameters: along a per-channel
// axis the result's channels are the selected ones. As torch's
// index_select, indices must lie in [0, size) (kOutOfRange otherwise).
// Throws kTypeMismatch for a per-block tensor.
core::Tensor IndexSelect(const core::Tensor& tensor, int64_t dim,
                         const std::vector<int64_t>& indices);

// q.repeat(*sizes): sizes has at least tensor's rank entries (more add
// leading dims); each dim is tiled sizes[d] times, always into a new tensor.
core::Tensor Repeat(const core::Tensor& tensor, const std::vector<int64_t>& sizes);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_INDEX_SELECT_H_
