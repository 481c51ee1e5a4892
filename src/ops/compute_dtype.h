// The operators compute on qint8, quint8 and qint32 (core/dtype.h); the
// other dtypes are converted with requantize first.
#ifndef QTENSOR_OPS_COMPUTE_DTYPE_H_
#define QTENSOR_OPS_COMPUTE_DTYPE_H_

#include <string>

#include "core/dtype.h"
#include "core/error.h"
#include "core/tensor.h"

namespace qtensor::ops {

// Throws kTypeMismatch, naming op, for a tensor of another dtype.
inline void RequireComputeDType(const core::Tensor& tensor, const char* op) {
  if (core::IsComputeDType(tensor.dtype())) return;
  core::Fail(core::ErrorKind::kTypeMismatch,
             std::string(op) + ": " + core::DTypeName(tensor.dtype()) +
                 " tensors are not computed on (the operators take qint8, quint8 and qint32); "
                 "requantize to one of those first");
}

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_COMPUTE_DTYPE_H_
