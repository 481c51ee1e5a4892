#include "core/storage.h"

#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/shape.h"

namespace qtensor::core {
namespace {

// Far beyond any machine's memory, and small enough that byte offsets never
// overflow int64 anywhere in the library.
constexpr int64_t kMaxStorageBytes = int64_t{1} << 48;
constexpr size_t kAlignment = 64;

Quantizer ResolvedQuantizer(const Quantizer& quantizer, const std::vector<int64_t>& shape) {
  return quantizer.Resolved(shape);
}

}  // namespace

int64_t CheckedNumel(const std::vector<int64_t>& shape, DType dtype) {
  CheckRank(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0) {
      Fail(ErrorKind::kInvalidArgument,
           "negative size " + std::to_string(shape[d]) + " in dim " + std::to_string(d));
    }
  }
  // As NumPy does, the product of the non-zero sizes must fit even when a
  // zero makes the tensor empty: strides are computed from it.
  const int64_t max_elements = kMaxStorageBytes / ElementBits(dtype) * 8;
  int64_t product = 1;
  bool empty = false;
  for (int64_t size : shape) {
    if (size == 0) {
      empty = true;
    } else if (product > max_elements / size) {
      Fail(ErrorKind::kOutOfMemory, "tensor too large: the sizes multiply to more than " +
                                        std::to_string(max_elements) + " elements");
    } else {
      product *= size;
    }
  }
  return empty ? 0 : product;
}

std::vector<int64_t> RowMajorStrides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> strides(shape.size());
  int64_t stride = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    strides[d] = stride;
    stride *= shape[d] > 0 ? shape[d] : 1;
  }
  return strides;
}

Storage::Storage(const std::vector<int64_t>& shape, const Quantizer& quantizer, StorageInit init)
    : quantizer_(ResolvedQuantizer(quantizer, shape)),
      shape_(shape),
      strides_(RowMajorStrides(shape)),
      numel_(CheckedNumel(shape, quantizer.dtype())) {
  const size_t bytes = StorageBytes(dtype(), numel_);
  const size_t padded = (bytes + kAlignment) / kAlignment * kAlignment;
  data_ = AllocateBlock(padded);
  if (init == StorageInit::kZeroed) {
    std::memset(data_.get(), 0, padded);
  } else {
    // The padding only, and a packed dtype's last byte, whose unused bits
    // no element write touches.
    const size_t from = IsPacked(dtype()) && bytes > 0 ? bytes - 1 : bytes;
    std::memset(data_.get() + from, 0, padded - from);
  }
  bytes_ = data_.get();
}

Storage::Storage(const std::vector<int64_t>& shape, const Quantizer& quantizer, const uint8_t* data,
                 std::shared_ptr<const void> owner)
    : quantizer_(ResolvedQuantizer(quantizer, shape)),
      shape_(shape),
      strides_(RowMajorStrides(shape)),
      numel_(CheckedNumel(shape, quantizer.dtype())),
      owner_(std::move(owner)),
      bytes_(data) {
  if (owner_ == nullptr || (data == nullptr && numel_ > 0)) {
    throw std::logic_error("a borrowing storage needs its bytes and their owner");
  }
}

void Storage::CheckWritable() const {
  if (read_only()) {
    Fail(ErrorKind::kInvalidArgument,
         "tensor is read-only: it borrows a mapped file; clone() it to write");
  }
}

uint8_t* Storage::mutable_bytes() {
  CheckWritable();
  return data_.get();
}

void Storage::set_quantizer(const Quantizer& quantizer) {
  CheckWritable();
  quantizer_ = ResolvedQuantizer(quantizer, shape_);
}

}  // namespace qtensor::core
