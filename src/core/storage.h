// A storage: one zero-initialised, aligned block of integers laid out
// row-major in its own (base) shape, plus the quantizer that gives them
// meaning. Every view of a storage shares both. A storage may instead borrow
// read-only bytes that an owner keeps alive (a mapped file's): it is then
// read-only, and every write through any view of it is refused.
#ifndef QTENSOR_CORE_STORAGE_H_
#define QTENSOR_CORE_STORAGE_H_

#include <cstdint>
#include <memory>
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
  // A read-only storage over StorageBytes(dtype, numel) bytes at data (in
  // storage form, 64-byte aligned), which owner keeps alive (a mapped
  // file): every view shares owner, so the bytes live as long as any view.
  Storage(const std::vector<int64_t>& shape, const Quantizer& quantizer, const uint8_t* data,
          std::shared_ptr<const void> owner);

  DType dtype() const { return quantizer_.dtype(); }
  const std::vector<int64_t>& shape() const { return shape_; }
  const std::vector<int64_t>& strides() const { return strides_; }
  int64_t numel() const { return numel_; }
  const Quantizer& quantizer() const { return quantizer_; }
  // The base dim carrying the channels, or -1 for per-tensor.
  int64_t channel_axis() const { return quantizer_.per_channel() ? quantizer_.axis() : -1; }
  // Replaces the quantizer (same dtype); a per-channel axis is in the base
  // numbering. Refused for a read-only storage, as mutable_bytes is.
  void set_quantizer(const Quantizer& quantizer);

  // Whether the storage borrows read-only bytes (it cannot be written).
  bool read_only() const { return owner_ != nullptr; }
  const uint8_t* bytes() const { return bytes_; }
  // For writing; throws kInvalidArgument for a read-only storage.
  uint8_t* mutable_bytes();

 private:
  void CheckWritable() const;

  Quantizer quantizer_;
  std::vector<int64_t> shape_;
  std::vector<int64_t> strides_;
  int64_t numel_;
  MemoryBlock data_;                   // an owning storage's block
  std::shared_ptr<const void> owner_;  // a read-only storage's keeper
  const uint8_t* bytes_;               // data_'s block or the borrowed bytes
};

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_STORAGE_H_
