// Weight packing and the scalar 8-bit matrix product (gemm_kernels.h): the
// definition the SIMD kernels are held to, read from the same packed layout.
#include <cstring>

#include "kernels/gemm_kernels.h"

namespace qtensor::kernels {

void PackGemmWeights(const int8_t* w, size_t columns, size_t depth, int8_t* packed) {
  const size_t padded = GemmPaddedDepth(depth);
  std::memset(packed, 0, GemmPackedBytes(columns, depth));
  for (size_t j = 0; j < columns; ++j) {
    int8_t* panel = packed + j / kGemmPanel * padded * kGemmPanel;
    const size_t c = j % kGemmPanel;
    for (size_t k = 0; k < depth; ++k) {
      panel[k / kGemmGroup * kGemmBlockBytes + c * kGemmGroup + k % kGemmGroup] = w[j * depth + k];
    }
  }
}

namespace scalar {

void GemmU8S8(const uint8_t* a, const int8_t* packed, const GemmShape& shape, size_t first_panel,
              size_t panels, int32_t* c) {
  const size_t padded = GemmPaddedDepth(shape.depth);
  for (size_t p = first_panel; p < first_panel + panels; ++p) {
    const int8_t* panel = packed + p * padded * kGemmPanel;
    for (size_t i = 0; i < shape.rows; ++i) {
      const uint8_t* row = a + i * shape.a_stride;
      for (size_t col = 0; col < kGemmPanel && p * kGemmPanel + col < shape.columns; ++col) {
        // Wrapping int32 arithmetic, as the vector kernels' (exact below
        // kGemmMaxDepth).
        uint32_t sum = 0;
        for (size_t k = 0; k < padded; ++k) {
          const int8_t weight =
              panel[k / kGemmGroup * kGemmBlockBytes + col * kGemmGroup + k % kGemmGroup];
          sum += static_cast<uint32_t>(int32_t{row[k]} * int32_t{weight});
        }
        c[i * shape.c_stride + p * kGemmPanel + col] = static_cast<int32_t>(sum);
      }
    }
  }
}

}  // namespace scalar
}  // namespace qtensor::kernels
