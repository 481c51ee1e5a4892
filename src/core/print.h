// Printing a quantized tensor exactly as PyTorch 1.13's repr does, with
// "torch." written "qtensor.".
#ifndef QTENSOR_CORE_PRINT_H_
#define QTENSOR_CORE_PRINT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace qtensor::core {

// What the printer needs to know of a tensor: its dequantized values and the
// parameters of its effective quantizer, all in the view's own numbering.
struct PrintableTensor {
  std::vector<int64_t> shape;  // empty for a 0-dim tensor
  std::vector<float> values;   // dequantized, row-major, numel of them
  std::string dtype_name;      // "qint8", "quint8" or "qint32"
  bool per_channel = false;
  double scale = 1.0;                // per tensor
  int64_t zero_point = 0;            // per tensor
  std::vector<double> scales;        // per channel
  std::vector<int64_t> zero_points;  // per channel
  int64_t axis = 0;                  // per channel
};

// repr(q) of PyTorch 1.13 for the same values and parameters.
std::string FormatQuantizedTensor(const PrintableTensor& tensor);

// repr() of a Python float: the shortest string that round-trips
// ("0.0001", "1e-05", "1.0", "inf", "nan").
std::string FormatPythonFloat(double value);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_PRINT_H_
