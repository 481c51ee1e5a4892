#include "ops/quantized_matmul.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/parallel.h"
#include "kernels/channel_params.h"
#include "kernels/gemm_kernels.h"
#include "kernels/quantize_kernels.h"
#include "kernels/row_sum_kernels.h"
#include "kernels/sum_requantize_kernels.h"

namespace qtensor::ops {

PackedMatrix::PackedMatrix(const int8_t* weights, size_t columns, size_t depth,
                           std::vector<double> scales, std::vector<int32_t> zero_points,
                           std::vector<float> bias)
    : columns_(columns),
      depth_(depth),
      packed_(core::AllocateBlock(kernels::GemmPackedBytes(columns, depth))),
      scales_(std::move(scales)),
      zero_points_(std::move(zero_points)),
      column_sums_(columns, 0),
      bias_(std::move(bias)) {
  for (size_t j = 0; j < columns; ++j) {
    for (size_t k = 0; k < depth; ++k) column_sums_[j] += weights[j * depth + k];
  }
  kernels::PackGemmWeights(weights, columns, depth, reinterpret_cast<int8_t*>(packed_.get()));
}

UnsignedRows::UnsignedRows(size_t rows, size_t depth, core::DType dtype, int64_t zero_point)
    : rows(rows),
      depth(depth),
      stride(kernels::GemmPaddedDepth(depth)),
      shifted(dtype == core::DType::kQInt8),
      zero_point(static_cast<int32_t>(zero_point) + (shifted ? 128 : 0)),
      bytes(rows * stride, 0),
      sums(rows, 0) {}

void UnsignedRows::ComputeSums() {
  kernels::RowSums(bytes.data(), rows, depth, stride, sums.data());
}

int64_t QuantizedBias(float bias, double input_scale, double weight_scale) {
  return kernels::scalar::QuantizeValue<int32_t>(
      bias, kernels::InverseScale(input_scale * weight_scale), 0);
}

float Multiplier(double input_scale, double weight_scale, double output_scale) {
  return static_cast<float>(weight_scale) * static_cast<float>(input_scale) /
         static_cast<float>(output_scale);
}

namespace {

// The part of sum_k (x - zx)(w_j - zw_j) that depends on neither the row
// nor the products: -zx * sum_k w_j + depth * zx * zw_j (the row's part is
// -zw_j * sum_k x).
int64_t ZeroPointTerm(const UnsignedRows& a, const PackedMatrix& w, size_t j) {
  return -int64_t{a.zero_point} * w.column_sums()[j] +
         static_cast<int64_t>(w.depth()) * a.zero_point * w.zero_points()[j];
}

// The multipliers and the row-independent terms of acc, per column.
struct ColumnTerms {
  std::vector<float> multipliers;
  std::vector<int64_t> terms;
  int64_t largest_bias = 0;
  bool zero_weight_zero_points = true;
};

ColumnTerms MakeColumnTerms(const UnsignedRows& a, const PackedMatrix& w,
                            const MatmulOutput& output) {
  const size_t n = w.columns();
  ColumnTerms c;
  c.multipliers.resize(n);
  c.terms.resize(n);
  for (size_t j = 0; j < n; ++j) {
    const double weight_scale = w.scales()[j];
    c.multipliers[j] = Multiplier(output.input_scale, weight_scale, output.scale);
    const int64_t bias =
        w.bias().empty() ? 0 : QuantizedBias(w.bias()[j], output.input_scale, weight_scale);
    c.largest_bias = std::max(c.largest_bias, bias < 0 ? -bias : bias);
    const int64_t zw = w.zero_points()[j];
    c.zero_weight_zero_points = c.zero_weight_zero_points && zw == 0;
    c.terms[j] = bias + ZeroPointTerm(a, w, j);
  }
  return c;
}

}  // namespace

// The matrix product's int32 sums, rows x columns, split across threads by
// panels of columns. In a block from the library's cache of large blocks:
// every sum is written, and a fresh zeroed vector cost a page fault per
// 4 KiB.
class Sums {
 public:
  explicit Sums(size_t n) : block_(core::AllocateBlock(n * sizeof(int32_t))) {}
  int32_t* data() { return reinterpret_cast<int32_t*>(block_.get()); }
  const int32_t* data() const { return reinterpret_cast<const int32_t*>(block_.get()); }
  int32_t operator[](size_t i) const { return data()[i]; }

 private:
  core::MemoryBlock block_;
};

// The products of a's rows [first_row, first_row + rows) and w's panels
// [first_panel, first_panel + panels), into products (rows of n sums).
void ProductsOf(const UnsignedRows& a, const PackedMatrix& w, size_t first_row, size_t rows,
                size_t first_panel, size_t panels, int32_t* products) {
  const size_t n = w.columns();
  kernels::GemmShape gemm;
  gemm.rows = rows;
  gemm.columns = n;
  gemm.depth = w.depth();
  gemm.a_stride = a.stride;
  gemm.c_stride = n;
  kernels::GemmU8S8(a.bytes.data() + first_row * a.stride, w.packed(), gemm, first_panel, panels,
                    products + first_row * n);
}

// Threads split the columns (panels) of the product: for few rows, where
// each thread then reads only its part of the weights.
Sums Products(const UnsignedRows& a, const PackedMatrix& w, bool threads) {
  const size_t n = w.columns();
  Sums products(a.rows * n);
  const size_t panels = kernels::GemmPanels(n);
  // Work in units of 16 multiply-adds per element of kParallelElements.
  const size_t parts = threads ? core::PartsFor(a.rows * n * w.depth() / 16, panels) : 1;
  core::RunParts(parts, [&](size_t part) {
    const size_t first = panels * part / parts, last = panels * (part + 1) / parts;
    ProductsOf(a, w, 0, a.rows, first, last - first, products.data());
  });
  return products;
}

// From this many rows a thread, threads split the rows instead, each
// requantizing its own: every thread reads all the weights (from the shared
// cache) but only its rows of the activations, and no step is left on one
// thread.
constexpr size_t kRowsPerThread = 128;

template <typename T>
void QuantizedMatmul(const UnsignedRows& a, const PackedMatrix& w, const MatmulOutput& output,
                     T* out, size_t out_stride) {
  const size_t n = w.columns();
  if (a.rows == 0 || n == 0) return;
  const ColumnTerms c = MakeColumnTerms(a, w, output);
  const T floor = output.relu ? static_cast<T>(output.zero_point) : std::numeric_limits<T>::min();
  // |acc| <= depth * 255 * 255 + |bias|: where that fits in int32, the
  // kernels' int32 arithmetic is exact; otherwise int64 here.
  if (static_cast<int64_t>(w.depth()) * 255 * 255 + c.largest_bias <=
      std::numeric_limits<int32_t>::max()) {
    const std::vector<int32_t> terms(c.terms.begin(), c.terms.end());  // each fits: exact
    kernels::SumRequantizeParams p;
    p.weight_zero_points = c.zero_weight_zero_points ? nullptr : w.zero_points().data();
    p.column_terms = terms.data();
    p.multipliers = c.multipliers.data();
    p.zero_point = static_cast<int32_t>(output.zero_point);
    p.floor = floor;
    const auto requantize = [&](const int32_t* products, size_t first, size_t last) {
      kernels::SumRequantizeParams row = p;
      for (size_t i = first; i < last; ++i) {
        row.row_sum = a.sums[i];
        kernels::RequantizeSums(products + i * n, n, row, out + i * out_stride);
      }
    };
    const size_t row_parts =
        output.threads ? core::PartsFor(a.rows * n * w.depth() / 16, a.rows / kRowsPerThread) : 1;
    if (row_parts > 1) {
      Sums products(a.rows * n);
      core::RunParts(row_parts, [&](size_t part) {
        const size_t first = a.rows * part / row_parts, last = a.rows * (part + 1) / row_parts;
        ProductsOf(a, w, first, last - first, 0, kernels::GemmPanels(n), products.data());
        requantize(products.data(), first, last);
      });
      return;
    }
    const Sums products = Products(a, w, output.threads);
    requantize(products.data(), 0, a.rows);
    return;
  }
  const Sums products = Products(a, w, output.threads);
  for (size_t i = 0; i < a.rows; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const int64_t acc =
          int64_t{products[i * n + j]} - int64_t{w.zero_points()[j]} * a.sums[i] + c.terms[j];
      const T q = kernels::scalar::QuantizeValue<T>(static_cast<float>(acc), c.multipliers[j],
                                                    output.zero_point);
      out[i * out_stride + j] = std::max(q, floor);
    }
  }
}

void FloatMatmul(const UnsignedRows& a, const PackedMatrix& w, double input_scale, float* out,
                 size_t out_stride) {
  const size_t n = w.columns();
  if (a.rows == 0 || n == 0) return;
  const Sums products = Products(a, w, true);
  std::vector<float> multipliers(n);
  std::vector<int64_t> terms(n);
  for (size_t j = 0; j < n; ++j) {
    multipliers[j] = static_cast<float>(input_scale) * static_cast<float>(w.scales()[j]);
    terms[j] = ZeroPointTerm(a, w, j);
  }
  for (size_t i = 0; i < a.rows; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const int64_t acc =
          int64_t{products[i * n + j]} - int64_t{w.zero_points()[j]} * a.sums[i] + terms[j];
      const float y = static_cast<float>(acc) * multipliers[j];
      out[i * out_stride + j] = w.bias().empty() ? y : y + w.bias()[j];
    }
  }
}

template void QuantizedMatmul<uint8_t>(const UnsignedRows&, const PackedMatrix&,
                                       const MatmulOutput&, uint8_t*, size_t);
template void QuantizedMatmul<int8_t>(const UnsignedRows&, const PackedMatrix&, const MatmulOutput&,
                                      int8_t*, size_t);

}  // namespace qtensor::ops
