// The 8-bit matrix product (gemm_kernels.h) in Google Highway 1.0.3,
// compiled once per target and dispatched at run time. A tile of rows by
// panels keeps its sums in registers across the whole depth; the tiles walk
// the rows for each group of panels, so a group's weights are read from the
// caches once per tile of rows.
//
// AVX3_DL (AVX-512 with VNNI) adds four u8 x s8 products into each int32
// lane with vpdpbusd; Highway 1.0.3 has no portable op for it. The other
// targets widen both sides to int16 and add pairs of products into int32
// (ReorderWidenMulAccumulate, vpmaddwd on x86). Neither saturates: the
// integers are the scalar kernel's on every target.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/gemm_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "kernels/gemm_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
void Gemm(const uint8_t* a, const int8_t* packed, const GemmShape& shape, size_t first_panel,
          size_t panels, int32_t* c) {
  scalar::GemmU8S8(a, packed, shape, first_panel, panels, c);
}
#else

// GCC keeps arrays of vectors in registers only when the loops over them
// are unrolled before its scalar replacement: without this, every sum went
// through the stack on every step (measured: 1024^3 at 232 GOPS before, up to 340 after, on a
// shared machine).
#define QTENSOR_UNROLL _Pragma("GCC unroll 16")

// Where a tile reads and writes: its first row of a and of c (at the
// tile's first column), its first panel, and how many of its columns exist.
struct TileArgs {
  const uint8_t* a;
  size_t a_stride;
  const int8_t* panel;
  size_t panel_bytes;
  size_t groups;
  bool accumulate;  // add to c's sums (a later block of the depth) or write them
  int32_t* c;
  size_t c_stride;
  size_t columns;
};

HWY_INLINE uint32_t LoadGroup(const uint8_t* p) {
  uint32_t bits;
  std::memcpy(&bits, p, sizeof(bits));
  return bits;
}

#if HWY_TARGET == HWY_AVX3_DL
// 24 sums, 4 weight vectors and a broadcast row group: 29 of 32 registers.
struct VnniTiles {
  static constexpr size_t kRows = 4, kPanels = 4;
};

// Highway 1.0.3's AVX3_DL compiles for AVX-VNNI (the VEX form) rather than
// AVX512-VNNI: the tile asks for the latter itself (with the target's own
// features: clang replaces them with a function's target attribute, GCC
// adds to them), and Gemm checks the CPU.
// sum += the four u8 x s8 products of each lane, in int32 (vpdpbusd). In
// inline assembly because GCC 12 wraps each intrinsic call in two register
// copies of the sum (the instruction overwrites its sum operand), which
// halved the tile's rate.
HWY_INLINE void DotAdd(__m512i& sum, __m512i x, __m512i w) {
  asm("vpdpbusd %2, %1, %0" : "+v"(sum) : "v"(x), "v"(w));
}

// The lanes of panel p of the tile that are columns of the matrix.
HWY_INLINE __mmask16 ColumnMask(const TileArgs& t, size_t p) {
  const size_t first = p * kGemmPanel;
  const size_t count = std::min(kGemmPanel, t.columns - std::min(t.columns, first));
  return static_cast<__mmask16>((1u << count) - 1);
}

template <size_t kRows, size_t kPanels>
HWY_NOINLINE __attribute__((target(HWY_TARGET_STR ",avx512vnni"))) void VnniTile(
    const TileArgs& t) {
  __m512i sum[kRows][kPanels];
  QTENSOR_UNROLL for (size_t p = 0; p < kPanels; ++p) {
    QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
      const int32_t* sums = t.c + r * t.c_stride + p * kGemmPanel;
      sum[r][p] =
          t.accumulate ? _mm512_maskz_loadu_epi32(ColumnMask(t, p), sums) : _mm512_setzero_si512();
    }
  }
  for (size_t g = 0; g < t.groups; ++g) {
    __m512i w[kPanels];
    QTENSOR_UNROLL for (size_t p = 0; p < kPanels; ++p) {
      w[p] = _mm512_loadu_si512(t.panel + p * t.panel_bytes + g * kGemmBlockBytes);
    }
    QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
      const __m512i x =
          _mm512_set1_epi32(static_cast<int32_t>(LoadGroup(t.a + r * t.a_stride + g * kGemmGroup)));
      QTENSOR_UNROLL for (size_t p = 0; p < kPanels; ++p) DotAdd(sum[r][p], x, w[p]);
    }
  }
  QTENSOR_UNROLL for (size_t p = 0; p < kPanels; ++p) {
    QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
      _mm512_mask_storeu_epi32(t.c + r * t.c_stride + p * kGemmPanel, ColumnMask(t, p), sum[r][p]);
    }
  }
}
#endif

struct WidenTiles {
  static constexpr size_t kRows = 2, kPanels = 1;
};

// A 64-byte block is kPieces vectors of int16 once widened; int16 lane l of
// piece q is column (q * L + l) / 4 at k offset l % 4, so a row's four bytes
// repeated across the lanes line up with it, and the pair sums of lanes 2j
// and 2j + 1 belong to column (q * L + 2j) / 4.
template <size_t kRows, size_t kPanels>
HWY_NOINLINE void WidenTile(const TileArgs& t) {
  static_assert(kPanels == 1, "one panel per tile on these targets");
  const hn::ScalableTag<int16_t> d16;
  const hn::Repartition<int32_t, decltype(d16)> d32;
  const hn::Repartition<uint64_t, decltype(d16)> d64;
  const hn::Rebind<int8_t, decltype(d16)> d8;
  using V32 = hn::Vec<decltype(d32)>;
  constexpr size_t kLanes16 = hn::MaxLanes(d16);
  constexpr size_t kPieces = kGemmBlockBytes / kLanes16;
  V32 sum0[kRows][kPieces], sum1[kRows][kPieces];
  for (size_t r = 0; r < kRows; ++r) {
    for (size_t q = 0; q < kPieces; ++q) sum0[r][q] = sum1[r][q] = hn::Zero(d32);
  }
  for (size_t g = 0; g < t.groups; ++g) {
    hn::Vec<decltype(d16)> w[kPieces];
    for (size_t q = 0; q < kPieces; ++q) {
      w[q] = hn::PromoteTo(d16, hn::LoadU(d8, t.panel + g * kGemmBlockBytes + q * kLanes16));
    }
    for (size_t r = 0; r < kRows; ++r) {
      const uint8_t* x = t.a + r * t.a_stride + g * kGemmGroup;
      const uint64_t pattern =
          uint64_t{x[0]} | uint64_t{x[1]} << 16 | uint64_t{x[2]} << 32 | uint64_t{x[3]} << 48;
      const auto xs = hn::BitCast(d16, hn::Set(d64, pattern));
      for (size_t q = 0; q < kPieces; ++q) {
        sum0[r][q] = hn::ReorderWidenMulAccumulate(d32, xs, w[q], sum0[r][q], sum1[r][q]);
      }
    }
  }
  for (size_t r = 0; r < kRows; ++r) {
    int32_t pairs[kGemmBlockBytes / 2];
    for (size_t q = 0; q < kPieces; ++q) {
      hn::StoreU(hn::RearrangeToOddPlusEven(sum0[r][q], sum1[r][q]), d32, pairs + q * kLanes16 / 2);
    }
    for (size_t col = 0; col < std::min(kGemmPanel, t.columns); ++col) {
      int32_t* sum = t.c + r * t.c_stride + col;
      const uint32_t before = t.accumulate ? static_cast<uint32_t>(*sum) : 0;
      *sum = static_cast<int32_t>(before + static_cast<uint32_t>(pairs[2 * col]) +
                                  static_cast<uint32_t>(pairs[2 * col + 1]));
    }
  }
}

using TileFunction = void (*)(const TileArgs&);

// The tiles of up to Tiles::kRows rows and Tiles::kPanels panels, by
// [rows - 1][panels - 1].
template <class Tiles>
using TileTable = std::array<std::array<TileFunction, Tiles::kPanels>, Tiles::kRows>;

template <size_t kRows, size_t... kPanels, class Make>
constexpr auto TileRow(std::index_sequence<kPanels...>, Make make) {
  return std::array<TileFunction, sizeof...(kPanels)>{make.template Get<kRows, kPanels + 1>()...};
}
template <class Tiles, class Make, size_t... kRows>
constexpr TileTable<Tiles> MakeTiles(std::index_sequence<kRows...>, Make make) {
  return {TileRow<kRows + 1>(std::make_index_sequence<Tiles::kPanels>(), make)...};
}

struct MakeWiden {
  template <size_t kRows, size_t kPanels>
  constexpr TileFunction Get() const {
    return &WidenTile<kRows, kPanels>;
  }
};
#if HWY_TARGET == HWY_AVX3_DL
struct MakeVnni {
  template <size_t kRows, size_t kPanels>
  constexpr TileFunction Get() const {
    return &VnniTile<kRows, kPanels>;
  }
};
#endif

// 256 of the depth: 16 KiB of weights for four panels; 64 rows: 16 KiB of
// their sums for four panels.
constexpr size_t kBlockGroups = 64;
constexpr size_t kBlockRows = 64;

template <class Tiles>
void GemmWith(const TileTable<Tiles>& tiles, const uint8_t* a, const int8_t* packed,
              const GemmShape& shape, size_t first_panel, size_t panels, int32_t* c) {
  const size_t padded = GemmPaddedDepth(shape.depth);
  TileArgs t{};
  t.a_stride = shape.a_stride;
  t.panel_bytes = padded * kGemmPanel;
  t.c_stride = shape.c_stride;
  const size_t end = first_panel + panels;
  for (size_t p = first_panel; p < end; p += Tiles::kPanels) {
    const size_t tile_panels = std::min(Tiles::kPanels, end - p);
    t.columns =
        std::min(shape.columns - std::min(shape.columns, p * kGemmPanel), tile_panels * kGemmPanel);
    // Blocks of rows whose sums stay in L1 / L2, and within them blocks of
    // the depth whose weights stay in L1 while every row of the block passes.
    for (size_t first_row = 0; first_row < shape.rows; first_row += kBlockRows) {
      const size_t last_row = std::min(shape.rows, first_row + kBlockRows);
      for (size_t g = 0; g < padded / kGemmGroup; g += kBlockGroups) {
        t.groups = std::min(kBlockGroups, padded / kGemmGroup - g);
        t.accumulate = g > 0;
        t.panel = packed + p * t.panel_bytes + g * kGemmBlockBytes;
        for (size_t i = first_row; i < last_row; i += Tiles::kRows) {
          const size_t rows = std::min(Tiles::kRows, last_row - i);
          t.a = a + i * shape.a_stride + g * kGemmGroup;
          t.c = c + i * shape.c_stride + p * kGemmPanel;
          tiles[rows - 1][tile_panels - 1](t);
        }
      }
    }
  }
}

void Gemm(const uint8_t* a, const int8_t* packed, const GemmShape& shape, size_t first_panel,
          size_t panels, int32_t* c) {
#if HWY_TARGET == HWY_AVX3_DL
  static const bool kVnni = __builtin_cpu_supports("avx512vnni");
  static constexpr auto kVnniTiles =
      MakeTiles<VnniTiles>(std::make_index_sequence<VnniTiles::kRows>(), MakeVnni());
  if (kVnni) return GemmWith<VnniTiles>(kVnniTiles, a, packed, shape, first_panel, panels, c);
#endif
  static constexpr auto kWidenTiles =
      MakeTiles<WidenTiles>(std::make_index_sequence<WidenTiles::kRows>(), MakeWiden());
  GemmWith<WidenTiles>(kWidenTiles, a, packed, shape, first_panel, panels, c);
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Gemm);

void GemmU8S8(const uint8_t* a, const int8_t* packed, const GemmShape& shape, size_t first_panel,
              size_t panels, int32_t* c) {
  HWY_DYNAMIC_DISPATCH(Gemm)(a, packed, shape, first_panel, panels, c);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
