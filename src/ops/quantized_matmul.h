// The integer core shared by linear and conv2d: rows of 8-bit inputs times a
// packed qint8 weight matrix, requantized with docs/numerics.md's "Linear"
// formula. Linear is one product; conv2d is one per group, over the rows
// its im2col lays out.
#ifndef QTENSOR_OPS_QUANTIZED_MATMUL_H_
#define QTENSOR_OPS_QUANTIZED_MATMUL_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/dtype.h"
#include "core/memory_block.h"

namespace qtensor::ops {

// A weight matrix of `columns` rows of `depth` int8 (one per output
// column), packed for kernels::GemmU8S8, with each column's scale, zero
// point, sum of integers and float bias (empty: none).
class PackedMatrix {
 public:
  // weights: columns x depth int8, row-major; scales / zero_points: one per
  // column; bias: one per column or empty. depth in [1, kGemmMaxDepth].
  PackedMatrix(const int8_t* weights, size_t columns, size_t depth, std::vector<double> scales,
               std::vector<int32_t> zero_points, std::vector<float> bias);

  size_t columns() const { return columns_; }
  size_t depth() const { return depth_; }
  const int8_t* packed() const { return reinterpret_cast<const int8_t*>(packed_.get()); }
  const std::vector<double>& scales() const { return scales_; }
  const std::vector<int32_t>& zero_points() const { return zero_points_; }
  const std::vector<int32_t>& column_sums() const { return column_sums_; }
  const std::vector<float>& bias() const { return bias_; }

 private:
  size_t columns_, depth_;
  core::MemoryBlock packed_;
  std::vector<double> scales_;
  std::vector<int32_t> zero_points_, column_sums_;
  std::vector<float> bias_;
};

// Input rows as unsigned bytes (a qint8 value shifted by 128, as its zero
// point is), each padded with zeros to the kernels' depth stride; the
// sums are filled by ComputeSums once the rows are written.
struct UnsignedRows {
  UnsignedRows(size_t rows, size_t depth, core::DType dtype, int64_t zero_point);
  uint8_t* row(size_t i) { return bytes.data() + i * stride; }
  void ComputeSums();

  size_t rows, depth, stride;
  bool shifted;        // qint8: each byte is the value + 128
  int32_t zero_point;  // the input's zero point, shifted alike
  std::vector<uint8_t> bytes;
  std::vector<int32_t> sums;
};

struct MatmulOutput {
  double input_scale;
  double scale;
  int64_t zero_point;
  bool relu;
  bool threads = true;  // may split the product across qt_set_num_threads' threads
};

// The formula's per-column pieces: bias_j quantized to qint32 with scale
// input_scale * weight_scale (as quantize_per_tensor does, saturated), and
// m_j = ((float)weight_scale * (float)input_scale) / (float)output_scale.
int64_t QuantizedBias(float bias, double input_scale, double weight_scale);
float Multiplier(double input_scale, double weight_scale, double output_scale);

// out[i * out_stride + j] for every row i of a and column j of w, in the
// input's 8-bit type (T: int8_t for a shifted qint8 input, else uint8_t).
template <typename T>
void QuantizedMatmul(const UnsignedRows& a, const PackedMatrix& w, const MatmulOutput& output,
                     T* out, size_t out_stride);

// The float results of a dynamically quantized product (PyTorch's
// linear_dynamic): out[i * out_stride + j] = (float)acc * ((float)
// input_scale * (float)scale_j) + bias_j in float32, acc the exact sum.
void FloatMatmul(const UnsignedRows& a, const PackedMatrix& w, double input_scale, float* out,
                 size_t out_stride);

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_QUANTIZED_MATMUL_H_
