// Operations on tensors that read or write their integers: creation from
// data, read-out, element access, fill, copy and materialising views.
#ifndef QTENSOR_CORE_TENSOR_OPS_H_
#define QTENSOR_CORE_TENSOR_OPS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/quantizer.h"
#include "core/tensor.h"

namespace qtensor::core {

// A new contiguous tensor holding row-major data quantized with quantizer.
Tensor Quantize(const float* data, const std::vector<int64_t>& shape, const Quantizer& quantizer);
// A new contiguous tensor holding a copy of row-major integers of the
// quantizer's dtype; bytes must be exactly numel * element size.
Tensor FromIntRepr(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                   const Quantizer& quantizer);

// The same from integers in storage form (core/dtype.h): packed for the
// packed dtypes, whose unused high bits of the last byte must be 0 (else
// kCorruptData). What files hold.
Tensor FromStorageRepr(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                       const Quantizer& quantizer);
// A read-only tensor over bytes in storage form that owner keeps alive (a
// mapped file), without a copy; the same checks as FromStorageRepr. Writing
// into it throws (Storage::mutable_bytes); Clone gives a writable copy.
Tensor BorrowStorageRepr(const uint8_t* data, size_t bytes, const std::vector<int64_t>& shape,
                         const Quantizer& quantizer, std::shared_ptr<const void> owner);
// Writes the view's integers row-major in storage form: StorageBytes(dtype,
// numel) bytes, the unused high bits of a packed last byte 0.
void StorageRepr(const Tensor& tensor, void* out);

// Writes the view's numel dequantized values, row-major.
void Dequantize(const Tensor& tensor, float* out);
// The address of the view's first element in its storage (a contiguous
// view's integers start there), for reading; MutableFirstElement for
// writing throws for a read-only storage (Storage::mutable_bytes).
const uint8_t* FirstElement(const Tensor& tensor);
uint8_t* MutableFirstElement(const Tensor& tensor);
// Writes the view's numel integers, row-major.
void IntRepr(const Tensor& tensor, void* out);
// Writes numel row-major integers of the view's dtype into the view (the
// inverse of IntRepr).
void WriteIntRepr(const Tensor& dst, const void* data);

// Quantizes numel row-major floats into the view, each with its own
// element's parameters.
void QuantizeInto(const Tensor& dst, const float* data);
void Fill(const Tensor& dst, float value);
// dst.copy_(src), with docs/design.md's semantics for whole and partial views.
void Copy(const Tensor& dst, const Tensor& src);
// Quantizes src's dequantized values into dst (same shape) with each of
// dst's elements' own parameters, a cache-sized chunk at a time; src may
// share dst's storage (it is then read whole first).
void RequantizeInto(const Tensor& dst, const Tensor& src);
// The same with map applied to each chunk of dequantized values (row-major)
// before they are quantized: the float function of an elementwise operator.
// With inverse_scale, a contiguous per-tensor dst is quantized with that
// inverse scale instead of its quantizer's 1 / (float)scale (some PyTorch
// operators compute it as (float)(1 / scale) in double).
using FloatMap = std::function<void(float* values, size_t count)>;
void MapInto(const Tensor& dst, const Tensor& src, const FloatMap& map,
             const float* inverse_scale = nullptr);

// The view itself if contiguous, else Clone.
Tensor Contiguous(const Tensor& tensor);
// A contiguous copy in a new storage whose elements dequantize exactly as
// the view's do.
Tensor Clone(const Tensor& tensor);

// A full index with negative entries wrapped; throws if out of range.
std::vector<int64_t> CheckedIndex(const Tensor& tensor, const std::vector<int64_t>& index);
float GetElement(const Tensor& tensor, const std::vector<int64_t>& index);
void SetElement(const Tensor& tensor, const std::vector<int64_t>& index, float value);
// The value of a one-element tensor.
float Item(const Tensor& tensor);

// repr() as PyTorch 1.13 prints it, "torch." written "qtensor.".
std::string ToString(const Tensor& tensor);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_TENSOR_OPS_H_
