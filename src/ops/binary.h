// Elementwise binary operators on two quantized tensors with NumPy
// broadcasting: add, mul and their relu-fused forms, as
// torch.ops.quantized.add / add_relu / mul / mul_relu, output scale and
// zero point given. PyTorch wants per-tensor inputs of one dtype; these take
// any scheme and dtype (each element read with its own parameters), and the
// result has the first input's dtype. docs/numerics.md has the formulas.
#ifndef QTENSOR_OPS_BINARY_H_
#define QTENSOR_OPS_BINARY_H_

#include <cstdint>
#include <vector>

#include "core/tensor.h"

namespace qtensor::ops {

enum class BinaryOp { kAdd, kMul };

// A new contiguous per-tensor tensor of the broadcast shape of a and b.
// Throws for shapes that do not broadcast and for a bad scale or zero point.
core::Tensor Binary(BinaryOp op, const core::Tensor& a, const core::Tensor& b, double scale,
                    int64_t zero_point, bool relu);
// The broadcast shape of a and b; throws where they do not broadcast.
std::vector<int64_t> BinaryShape(BinaryOp op, const core::Tensor& a, const core::Tensor& b,
                                 bool relu);
// The same into an existing contiguous per-tensor tensor dst of the
// broadcast shape, with the output's parameters and a's dtype (the
// benchmarks' fresh-versus-existing comparison); dst shares no storage
// with a or b.
void BinaryInto(BinaryOp op, const core::Tensor& dst, const core::Tensor& a, const core::Tensor& b,
                bool relu);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_BINARY_H_
