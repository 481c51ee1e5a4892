// Where each element of a per-block storage finds its parameters: from its
// position in the storage (row-major in the base shape), whatever view
// reaches it.
#ifndef QTENSOR_CORE_BLOCK_LAYOUT_H_
#define QTENSOR_CORE_BLOCK_LAYOUT_H_

#include <cstddef>
#include <cstdint>

#include "core/quantizer.h"
#include "core/storage.h"

namespace qtensor::core {

class Tensor;

class BlockLayout {
 public:
  // storage's quantizer is per block (its axis resolved).
  explicit BlockLayout(const Storage& storage);

  // The storage seen as [outer][size][inner] around the axis, with the
  // parameters laid out [outer][blocks][inner].
  int64_t outer() const { return outer_; }
  int64_t size() const { return size_; }
  int64_t inner() const { return inner_; }
  int64_t blocks() const { return blocks_; }
  int64_t block_size() const { return block_size_; }

  // The index into the quantizer's tables of the element at a storage
  // position.
  size_t ParamOf(int64_t position) const {
    const int64_t o = position / (size_ * inner_);
    const int64_t a = position / inner_ % size_;
    const int64_t i = position % inner_;
    return static_cast<size_t>((o * blocks_ + a / block_size_) * inner_ + i);
  }

 private:
  int64_t outer_ = 1, size_ = 1, inner_ = 1, blocks_ = 1, block_size_ = 1;
};

// Whether the view is the whole storage in the storage's own shape: its
// row-major elements are then the storage's positions in order.
bool InOwnLayout(const Tensor& view);

// The effective quantizer of a view of a per-block storage, in the view's
// own dims: the storage's for the storage itself; for a view walking the
// block axis one by one from a block boundary, blocks of the same size
// along that dim; else blocks of one element along the last dim (each
// element its own parameters); per tensor for a 0-dim view. O(numel).
Quantizer PerBlockQuantizerOf(const Tensor& view);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_BLOCK_LAYOUT_H_
