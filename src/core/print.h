// Printing a quantized tensor exactly as PyTorch 1.13's repr does, with
// "torch." written "qtensor.".
#ifndef QTENSOR_CORE_PRINT_H_
#define QTENSOR_CORE_PRINT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace qtensor::core {

// The indices PyTorch's repr shows along each dimension of a tensor of this
// shape: all of them, or, for a tensor of more than 1000 elements, the first
// and last 3 of each dimension longer than 6.
std::vector<std::vector<int64_t>> ShownIndices(const std::vector<int64_t>& shape);

// What the printer needs to know of a tensor: the dequantized values of the
// elements it shows, so that printing costs what is printed, and the
// parameters of its effective quantizer, all in the view's own numbering.
struct PrintableTensor {
  std::vector<int64_t> shape;  // empty for a 0-dim tensor
  // Dequantized, row-major over the sub-tensor ShownIndices(shape) selects.
  std::vector<float> shown_values;
  std::string dtype_name;  // "qint8", "quint8" or "qint32"
  bool per_channel = false;
  double scale = 1.0;                // per tensor
  int64_t zero_point = 0;            // per tensor
  std::vector<double> scales;        // per channel
  std::vector<int64_t> zero_points;  // per channel
  int64_t axis = 0;                  // per channel
  int64_t block_size = 0;            // per block (which also sets per_channel)
  // Float qparams (which also sets per_channel): float32 scales, these zero
  // points instead of zero_points, and no axis for a view that selected
  // the channel axis away (axis < 0).
  std::vector<float> float_zero_points;
};

// repr(q) of PyTorch 1.13 for the same values and parameters.
std::string FormatQuantizedTensor(const PrintableTensor& tensor);

// repr() of a Python float: the shortest string that round-trips
// ("0.0001", "1e-05", "1.0", "inf", "nan").
std::string FormatPythonFloat(double value);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_PRINT_H_
