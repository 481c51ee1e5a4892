// The operators compute on per-tensor or per-channel tensors of qint8,
// quint8 and qint32 (core/dtype.h); other dtypes, per-block tensors and
// float-qparams ones (whose only PyTorch operator is embedding_bag) and
// GGUF-rounded ones are converted with requantize first.
#ifndef QTENSOR_OPS_COMPUTABLE_H_
#define QTENSOR_OPS_COMPUTABLE_H_

#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor.h"

namespace qtensor::ops {

// Throws kTypeMismatch, naming op, for a tensor of another dtype, a
// per-block or float-qparams one, or one with GGUF rounding.
inline void RequireComputable(const core::Tensor& tensor, const char* op) {
  if (tensor.storage()->quantizer().float_qparams()) {
    core::Fail(core::ErrorKind::kTypeMismatch,
               std::string(op) +
                   ": per_channel_affine_float_qparams tensors are not computed on (the operators "
                   "take integer zero points); requantize first");
  }
  if (tensor.storage()->quantizer().per_block()) {
    core::Fail(core::ErrorKind::kTypeMismatch,
               std::string(op) +
                   ": per-block tensors are not computed on (the operators take per-tensor and "
                   "per-channel ones); requantize first");
  }
  if (tensor.storage()->quantizer().rounding() == core::Rounding::kGguf) {
    core::Fail(core::ErrorKind::kTypeMismatch,
               std::string(op) +
                   ": tensors with GGUF rounding are not computed on (their scales may be 0 or "
                   "negative); requantize first");
  }
  if (core::IsComputeDType(tensor.dtype())) return;
  core::Fail(core::ErrorKind::kTypeMismatch,
             std::string(op) + ": " + core::DTypeName(tensor.dtype()) +
                 " tensors are not computed on (the operators take qint8, quint8 and qint32); "
                 "requantize to one of those first");
}

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_COMPUTABLE_H_
