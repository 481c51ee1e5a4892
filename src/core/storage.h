// A storage: one zero-initialised, aligned block of integers laid out
// row-major in its own (base) shape, plus the quantizer that gives them
// meaning. Every view of a storage shares both.
#ifndef QTENSOR_CORE_STORAGE_H_
#define QTENSOR_CORE_STORAGE_H_

#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/memory_block.h"
#include "core/quantizer.h"

namespace qtensor::core {

// The product of a shape; throws for a rank above kMaxDims, negative dims,
// or an element count or size in bytes beyond what can be allocated.
int64_t CheckedNumel(const std::vector<int64_t>& shape, DType dtype);

// Row-major strides, in elements.
std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& shape);

// Whether a new storage's integers are zeroed, or left for a caller that
// writes every one of them (skipping a pass over memory).
enum class StorageInit { kZeroed, kCallerWritesAll };

class Storage {
 public:
  // A per-channel quantizer's axis is resolved against shape here and kept
  // in the base numbering (non-negative).
  Storage(const std::vector<int64_t>& shape, const Quantizer& quantizer,
          StorageInit init = StorageInit::kZeroed);

  DType dtype() const { return quantizer_.dtype(); }
  const std::vector<int64_t>& shape() const { return shape_; }
  const std::vector<int64_t>& strides() const { return strides_; }
  int64_t numel() const { return numel_; }
  const Quantizer& quantizer() const { return quantizer_; }
  // The base dim carrying the channels, or -1 for per-tensor.
  int64_t channel_axis() const { return quantizer_.per_channel() ? quantizer_.axis() : -1; }
  // Replaces the quantizer (same dtype); a per-channel axis is in the base
  // numbering.
  void set_quantizer(const Quantizer& quantizer);

  uint8_t* bytes() { return data_.get(); }
  const uint8_t* bytes() const { return data_.get(); }

 private:
  Quantizer quantizer_;
  std::vector<int64_t> shape_;
  std::vector<int64_t> strides_;
  int64_t numel_;
  MemoryBlock data_;
};

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_STORAGE_H_
