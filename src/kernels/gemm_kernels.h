// Exact 8-bit matrix products, the integer core of linear and conv:
//
//   c[i][j] = sum over k < depth of a[i][k] * w[j][k]      (int32)
//
// a holds unsigned 8-bit rows, w signed 8-bit rows (one per output column)
// packed by PackGemmWeights. Every product is exact and summed in int32 on
// every target: no 16-bit intermediate saturates (AVX-512 VNNI's vpdpbusd
// adds four products into 32 bits; the other targets widen to 16 bits and
// add pairs into 32). |c| <= depth * 255 * 128, so the sums are exact up to
// a depth of 65 793; callers keep below kGemmMaxDepth.
#ifndef QTENSOR_KERNELS_GEMM_KERNELS_H_
#define QTENSOR_KERNELS_GEMM_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

// Packed weights are panels of kGemmPanel columns; within a panel, blocks of
// kGemmGroup consecutive k: block b of panel p holds w[16p + c][4b + g] at
// byte 4c + g (zero past the matrix). One block is 64 bytes: one AVX-512
// vector, 16 columns by 4 k.
constexpr size_t kGemmPanel = 16;
constexpr size_t kGemmGroup = 4;
constexpr size_t kGemmBlockBytes = kGemmPanel * kGemmGroup;
constexpr size_t kGemmMaxDepth = 65536;

inline size_t GemmPanels(size_t columns) { return (columns + kGemmPanel - 1) / kGemmPanel; }
// depth rounded up to whole groups: the length of each a row as the kernels
// read it (the padding must hold zeros).
inline size_t GemmPaddedDepth(size_t depth) {
  return (depth + kGemmGroup - 1) / kGemmGroup * kGemmGroup;
}
inline size_t GemmPackedBytes(size_t columns, size_t depth) {
  return GemmPanels(columns) * GemmPaddedDepth(depth) * kGemmPanel;
}

// w: `columns` rows of `depth` int8, row-major and contiguous. packed:
// GemmPackedBytes(columns, depth) bytes, 64-byte aligned.
void PackGemmWeights(const int8_t* w, size_t columns, size_t depth, int8_t* packed);

// c[i][j] for rows i < rows and the columns of panels [first_panel,
// first_panel + panels) that exist (< columns). Row i of a starts at
// a + i * a_stride and holds GemmPaddedDepth(depth) bytes; row i of c starts
// at c + i * c_stride. Column ranges of separate calls can run on separate
// threads.
struct GemmShape {
  size_t rows = 0, columns = 0, depth = 0;
  size_t a_stride = 0, c_stride = 0;
};
void GemmU8S8(const uint8_t* a, const int8_t* packed, const GemmShape& shape, size_t first_panel,
              size_t panels, int32_t* c);

namespace scalar {
void GemmU8S8(const uint8_t* a, const int8_t* packed, const GemmShape& shape, size_t first_panel,
              size_t panels, int32_t* c);
}  // namespace scalar

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_GEMM_KERNELS_H_
