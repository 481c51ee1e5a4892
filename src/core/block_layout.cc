#include "core/block_layout.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/tensor.h"
#include "core/view_walk.h"

namespace qtensor::core {

BlockLayout::BlockLayout(const Storage& storage) {
  const std::vector<int64_t>& shape = storage.shape();
  const int64_t axis = storage.quantizer().axis();
  for (int64_t d = 0; d < axis; ++d) outer_ *= shape[d];
  for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner_ *= shape[d];
  // An empty storage has no element to place; keep the divisors non-zero.
  size_ = std::max<int64_t>(shape[axis], 1);
  inner_ = std::max<int64_t>(inner_, 1);
  block_size_ = storage.quantizer().block_size();
  blocks_ = BlockCount(size_, block_size_);
}

namespace {

// Per-block parameters for view's elements (their table indices `params`,
// row-major) in blocks of block_size along view dim dim, or nothing if two
// elements of one such block have different parameters.
std::optional<Quantizer> BlocksAlong(const Tensor& view, const std::vector<size_t>& params,
                                     size_t dim, int64_t block_size) {
  const Quantizer& q = view.storage()->quantizer();
  const std::vector<int64_t>& shape = view.shape();
  int64_t inner = 1;
  for (size_t d = dim + 1; d < shape.size(); ++d) inner *= shape[d];
  const int64_t size = shape[dim];
  const int64_t blocks = BlockCount(size, block_size);
  const size_t count = params.size() / static_cast<size_t>(size) * static_cast<size_t>(blocks);
  std::vector<double> scales(count);
  std::vector<int64_t> zero_points(count);
  for (size_t k = 0; k < params.size(); ++k) {
    const auto element = static_cast<int64_t>(k);
    const int64_t o = element / (size * inner), a = element / inner % size, i = element % inner;
    const auto j = static_cast<size_t>((o * blocks + a / block_size) * inner + i);
    const double scale = q.scales()[params[k]];
    const int64_t zero_point = q.zero_points()[params[k]];
    if (a % block_size == 0) {  // the block's first element comes first
      scales[j] = scale;
      zero_points[j] = zero_point;
    } else if (scales[j] != scale || zero_points[j] != zero_point) {
      return std::nullopt;
    }
  }
  return Quantizer::PerBlock(q.dtype(), std::move(scales), std::move(zero_points),
                             static_cast<int64_t>(dim), block_size, q.forms());
}

}  // namespace

bool InOwnLayout(const Tensor& view) {
  return view.IsWholeStorage() && view.shape() == view.storage()->shape();
}

Quantizer PerBlockQuantizerOf(const Tensor& view) {
  const Storage& storage = *view.storage();
  const Quantizer& q = storage.quantizer();
  if (InOwnLayout(view)) return q;
  const BlockLayout layout(storage);
  std::vector<size_t> params;
  params.reserve(static_cast<size_t>(view.numel()));
  ForEachPosition(view, [&](int64_t position) { params.push_back(layout.ParamOf(position)); });
  if (view.ndim() == 0) {
    return Quantizer::PerTensor(q.dtype(), q.scales()[params[0]], q.zero_points()[params[0]],
                                q.forms());
  }
  for (size_t d = 0; d < view.ndim(); ++d) {
    if (params.empty()) break;
    if (view.base_dim(static_cast<int64_t>(d)) == q.axis() &&
        view.step(static_cast<int64_t>(d)) == 1) {
      if (auto blocks = BlocksAlong(view, params, d, q.block_size())) return *blocks;
    }
  }
  if (params.empty()) {
    return Quantizer::PerBlock(q.dtype(), {}, {}, 0, q.block_size(), q.forms());
  }
  return *BlocksAlong(view, params, view.ndim() - 1, 1);
}

}  // namespace qtensor::core
