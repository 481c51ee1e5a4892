// The 8-bit matrix product on every Highway target against the scalar
// kernel, and the scalar kernel against the sum written out: shapes around
// the tile and panel sizes and the blocks of rows (64) and depth (256),
// strides wider than the rows, column ranges, and
// the extreme products (255 * -128, 255 * 127) that 16-bit paths saturate,
// and activations of 7 bits (AVX2's full-rate vpmaddubsw path: 127 * -128
// and 127 * 127 pairs just fit int16) beside ones where one byte is 128.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "for_each_target.h"
#include "kernels/gemm_kernels.h"

namespace {

namespace qk = qtensor::kernels;

struct Problem {
  qk::GemmShape shape;
  std::vector<uint8_t> a;  // rows x a_stride, zero past depth
  std::vector<int8_t> w;   // columns x depth
  std::vector<int8_t> packed;
};

// fill 0: random a (below a_limit) and w; 1: a = a_limit - 1, w = 127;
// -1: a = a_limit - 1, w = -128.
Problem MakeProblem(size_t rows, size_t columns, size_t depth, std::mt19937& rng, int fill,
                    unsigned a_limit = 256) {
  Problem pr;
  pr.shape.rows = rows;
  pr.shape.columns = columns;
  pr.shape.depth = depth;
  pr.shape.a_stride = qk::GemmPaddedDepth(depth) + 8;
  pr.shape.c_stride = columns + 3;
  pr.a.assign(rows * pr.shape.a_stride, 0);
  pr.w.resize(columns * depth);
  for (size_t i = 0; i < rows; ++i) {
    for (size_t k = 0; k < depth; ++k) {
      pr.a[i * pr.shape.a_stride + k] =
          static_cast<uint8_t>(fill == 0 ? rng() % a_limit : a_limit - 1);
    }
  }
  for (int8_t& v : pr.w) v = fill == 0 ? static_cast<int8_t>(rng()) : fill > 0 ? 127 : -128;
  pr.packed.resize(qk::GemmPackedBytes(columns, depth));
  qk::PackGemmWeights(pr.w.data(), columns, depth, pr.packed.data());
  return pr;
}

// c for the columns of panels [first, first + count); the other entries -7.
std::vector<int32_t> Run(const Problem& pr, bool simd, size_t first, size_t count) {
  std::vector<int32_t> c(pr.shape.rows * pr.shape.c_stride, -7);
  if (simd) {
    qk::GemmU8S8(pr.a.data(), pr.packed.data(), pr.shape, first, count, c.data());
  } else {
    qk::scalar::GemmU8S8(pr.a.data(), pr.packed.data(), pr.shape, first, count, c.data());
  }
  return c;
}

TEST_CASE("the scalar 8-bit matrix product is the sum of products") {
  std::mt19937 rng(3);
  for (const size_t depth : {1, 3, 4, 5, 17, 64}) {
    const Problem pr = MakeProblem(5, 19, depth, rng, 0);
    const std::vector<int32_t> c = Run(pr, false, 0, qk::GemmPanels(19));
    for (size_t i = 0; i < 5; ++i) {
      for (size_t j = 0; j < 19; ++j) {
        int64_t want = 0;
        for (size_t k = 0; k < depth; ++k) {
          want += int64_t{pr.a[i * pr.shape.a_stride + k]} * pr.w[j * depth + k];
        }
        CHECK(c[i * pr.shape.c_stride + j] == want);
      }
      CHECK(c[i * pr.shape.c_stride + 19] == -7);  // past the columns: untouched
    }
  }
}

TEST_CASE("the 8-bit matrix product matches the scalar kernel on every target") {
  std::mt19937 rng(7);
  ForEachTarget([&] {
    for (const size_t rows : {1, 2, 5, 6, 7, 13, 70}) {
      for (const size_t columns : {1, 15, 16, 17, 63, 64, 65, 100}) {
        for (const size_t depth : {1, 2, 4, 7, 64, 131, 300}) {
          if (rows == 70 && columns < 63) continue;  // the row blocks' edges
          CAPTURE(rows);
          CAPTURE(columns);
          CAPTURE(depth);
          const Problem pr = MakeProblem(rows, columns, depth, rng, 0);
          const size_t panels = qk::GemmPanels(columns);
          CHECK(Run(pr, true, 0, panels) == Run(pr, false, 0, panels));
          if (panels > 2) CHECK(Run(pr, true, 1, panels - 2) == Run(pr, false, 1, panels - 2));
        }
      }
    }
  });
}

TEST_CASE("the 8-bit matrix product does not saturate") {
  std::mt19937 rng(1);
  ForEachTarget([&] {
    for (const int fill : {1, -1}) {
      const size_t depth = 4099;
      const Problem pr = MakeProblem(7, 33, depth, rng, fill);
      const std::vector<int32_t> c = Run(pr, true, 0, qk::GemmPanels(33));
      CHECK(c == Run(pr, false, 0, qk::GemmPanels(33)));
      const int32_t want = static_cast<int32_t>(depth) * 255 * (fill > 0 ? 127 : -128);
      CHECK(c[0] == want);
      CHECK(c[6 * pr.shape.c_stride + 32] == want);
    }
  });
}

TEST_CASE("the 8-bit matrix product of 7-bit activations matches the scalar kernel") {
  std::mt19937 rng(11);
  ForEachTarget([&] {
    for (const int fill : {0, 1, -1}) {
      for (const size_t rows : {1, 5, 70}) {
        CAPTURE(fill);
        CAPTURE(rows);
        const size_t depth = fill == 0 ? 300 : 4099;
        Problem pr = MakeProblem(rows, 33, depth, rng, fill, 128);
        const size_t panels = qk::GemmPanels(33);
        const std::vector<int32_t> c = Run(pr, true, 0, panels);
        CHECK(c == Run(pr, false, 0, panels));
        if (fill != 0) {
          const int32_t want = static_cast<int32_t>(depth) * 127 * (fill > 0 ? 127 : -128);
          CHECK(c[0] == want);
          CHECK(c[(rows - 1) * pr.shape.c_stride + 32] == want);
        }
        // One pair of the last row past 7 bits (255, 255: a vpmaddubsw pair
        // that would saturate with weights of one sign): the general path.
        pr.a[(rows - 1) * pr.shape.a_stride] = pr.a[(rows - 1) * pr.shape.a_stride + 1] = 255;
        CHECK(Run(pr, true, 0, panels) == Run(pr, false, 0, panels));
      }
    }
  });
}

}  // namespace
