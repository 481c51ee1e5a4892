// Quantization parameters chosen from data, as PyTorch 1.13 chooses them:
// ChooseQuantizationParams (aten/src/ATen/native/quantized/cpu/QuantUtils.h)
// and its two callers torch._choose_qparams_per_tensor and
// torch.quantize_per_tensor_dynamic. This header is the formulas' home;
// docs/numerics.md states them in prose.
#ifndef QTENSOR_OPS_QPARAMS_H_
#define QTENSOR_OPS_QPARAMS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dtype.h"

namespace qtensor::ops {

// A per-tensor scale (a double, as PyTorch's) and zero point.
struct QParams {
  double scale;
  int64_t zero_point;
};

// PyTorch's ChooseQuantizationParams(min, max, qmin, qmax,
// preserve_sparsity, force_scale_power_of_two = false, reduce_range):
//  1. reduce_range halves qmin and qmax (C++ division, towards zero);
//  2. preserve_sparsity with min < 0 < max makes the range symmetric around
//     the integer range's middle (float32 arithmetic, as PyTorch's);
//  3. the range is widened to include 0 (float32);
//  4. scale = ((double)max - min) / (qmax - qmin) in double; 0.1 if
//     (float)scale is 0 or 1.0f / (float)scale is infinite;
//  5. a scale below 6.1e-5f is raised to it and min, max rescaled (float32);
//  6. the zero point is qmin - min / scale or qmax - max / scale (double),
//     whichever adds smaller terms (the middle (qmin + qmax) / 2 for
//     preserve_sparsity with min < 0 < max), then clamped to [qmin, qmax]
//     and rounded half to even.
// Throws kInvalidArgument for min or max not finite, min > max, qmin or qmax
// outside int32, or qmin >= qmax (after reduce_range).
QParams ChooseQuantizationParams(float min, float max, int64_t qmin, int64_t qmax,
                                 bool preserve_sparsity, bool reduce_range);

// The minimum and maximum of count floats (count > 0). Throws
// kInvalidArgument naming the first NaN or infinity found, and for count 0
// (PyTorch's min() of an empty tensor fails too).
struct MinMax {
  float min;
  float max;
};
MinMax FiniteMinMax(const float* data, size_t count, const char* what);

// torch._choose_qparams_per_tensor(x, reduce_range): ChooseQuantizationParams
// on x's min and max with qmin 0, qmax 255, no sparsity. (PyTorch ignores
// reduce_range when its engine is qnnpack; qtensor follows the default
// engine, onednn and fbgemm, where it applies.)
QParams ChooseQParamsPerTensor(const float* data, size_t count, bool reduce_range);

// The parameters torch.quantize_per_tensor_dynamic(x, dtype, reduce_range)
// quantizes x with: qmin, qmax -128, 127 for qint8 and 0, 255 for quint8.
// Throws kInvalidArgument for qint32, which PyTorch rejects too.
QParams ChooseQParamsDynamic(const float* data, size_t count, core::DType dtype, bool reduce_range);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_QPARAMS_H_
