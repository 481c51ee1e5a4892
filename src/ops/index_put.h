// q.index_put_ along one dim (q[indices] = values) on a quantized view.
#ifndef QTENSOR_OPS_INDEX_PUT_H_
#define QTENSOR_OPS_INDEX_PUT_H_

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace qtensor::ops {

// q.index_put_ along dim, q[..., indices, ...] = values: the slice at
// indices[j] (in [-size, size), negative from the end) gets slice j along
// dim of values (row-major, tensor's shape with dim's size indices.size()),
// quantized with its elements' own parameters. A repeated index takes its
// last slice.
void IndexPutInPlace(const core::Tensor& tensor, int64_t dim, const std::vector<int64_t>& indices,
                     const float* values);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_INDEX_PUT_H_
