// The 8-bit matrix product (gemm_kernels.h) in Google Highway 1.0.3,
// compiled once per target and dispatched at run time. A tile of rows by
// panels keeps its sums in registers across the whole depth; the tiles walk
// the rows for each group of panels, so a group's weights are read from the
// caches once per tile of rows.
//
// AVX3_DL (AVX-512 with VNNI) adds four u8 x s8 products into each int32
// lane with vpdpbusd; Highway 1.0.3 has no portable op for it. The other
// targets widen both sides to int16 (the activations once per call) and add
// pairs of products into int32 (ReorderWidenMulAccumulate, vpmaddwd on
// x86). On AVX2, activations of 7 bits (every byte below 128, checked per
// call) take vpmaddubsw, twice the products per instruction, which cannot
// saturate then. None saturates: the integers are the scalar kernel's on
// every target.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/gemm_kernels.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <vector>

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
  const int16_t* a16;  // a widened to int16 (WidenTile), with its own stride
  size_t a16_stride;
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
  static constexpr size_t kRows = 6, kPanels = 4;
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

// A widen tile passes over its panel's block kPassPieces widened pieces at a
// time: kRows x kPassPieces sums, kRows broadcast groups, a piece and a
// product stay in registers (14 of AVX2's 16, 26 of AVX3's 32). Each piece
// is widened once for all the tile's rows.
constexpr size_t kPassPieces = 2;
constexpr size_t WidenTileRows() {
  return HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL ? 8 : 4;
}
struct WidenTiles {
  static constexpr size_t kRows = WidenTileRows();
  static constexpr size_t kPanels = 1;
};

// count column sums written to c, or added to it (wrapping, as the int32
// sums do).
HWY_INLINE void StoreSums(const int32_t* sums, size_t count, bool accumulate, int32_t* c) {
  for (size_t col = 0; col < count; ++col) {
    const uint32_t before = accumulate ? static_cast<uint32_t>(c[col]) : 0;
    c[col] = static_cast<int32_t>(before + static_cast<uint32_t>(sums[col]));
  }
}

#if HWY_TARGET == HWY_AVX2
// WidenTile's pass over the depth for four rows on AVX2, in assembly: GCC 12
// moved every sum through a second register (and one through the stack) on
// each step. The eight sums stay in their registers; ymm8-11 hold the rows'
// broadcast groups, ymm12 a widened piece and ymm13 a product.
HWY_INLINE void PassAvx2(const TileArgs& t, const int8_t* pieces,
                         hn::Vec<hn::Full256<int32_t> > (&sum)[4][kPassPieces]) {
  const int16_t* x0 = t.a16;
  const int16_t* x1 = x0 + t.a16_stride;
  const int16_t* x2 = x1 + t.a16_stride;
  const int16_t* x3 = x2 + t.a16_stride;
  for (size_t g = 0; g < t.groups; ++g) {
    const size_t k = g * kGemmGroup;
    asm("vpbroadcastq %[x0], %%ymm8\n\t"
        "vpbroadcastq %[x1], %%ymm9\n\t"
        "vpbroadcastq %[x2], %%ymm10\n\t"
        "vpbroadcastq %[x3], %%ymm11\n\t"
        "vpmovsxbw %[w0], %%ymm12\n\t"
        "vpmaddwd %%ymm12, %%ymm8, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s00], %[s00]\n\t"
        "vpmaddwd %%ymm12, %%ymm9, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s10], %[s10]\n\t"
        "vpmaddwd %%ymm12, %%ymm10, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s20], %[s20]\n\t"
        "vpmaddwd %%ymm12, %%ymm11, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s30], %[s30]\n\t"
        "vpmovsxbw %[w1], %%ymm12\n\t"
        "vpmaddwd %%ymm12, %%ymm8, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s01], %[s01]\n\t"
        "vpmaddwd %%ymm12, %%ymm9, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s11], %[s11]\n\t"
        "vpmaddwd %%ymm12, %%ymm10, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s21], %[s21]\n\t"
        "vpmaddwd %%ymm12, %%ymm11, %%ymm13\n\t"
        "vpaddd %%ymm13, %[s31], %[s31]"
        : [s00] "+x"(sum[0][0].raw), [s01] "+x"(sum[0][1].raw), [s10] "+x"(sum[1][0].raw),
          [s11] "+x"(sum[1][1].raw), [s20] "+x"(sum[2][0].raw), [s21] "+x"(sum[2][1].raw),
          [s30] "+x"(sum[3][0].raw), [s31] "+x"(sum[3][1].raw)
        : [x0] "m"(*reinterpret_cast<const uint64_t*>(x0 + k)),
          [x1] "m"(*reinterpret_cast<const uint64_t*>(x1 + k)),
          [x2] "m"(*reinterpret_cast<const uint64_t*>(x2 + k)),
          [x3] "m"(*reinterpret_cast<const uint64_t*>(x3 + k)),
          [w0] "m"(*reinterpret_cast<const __m128i*>(pieces + g * kGemmBlockBytes)),
          [w1] "m"(*reinterpret_cast<const __m128i*>(pieces + g * kGemmBlockBytes + 16))
        : "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13");
  }
}
#endif

// A 64-byte block is kPieces vectors of int16 once widened; int16 lane l of
// piece q is column (q * L + l) / 4 at k offset l % 4, so a row's four k
// (widened beforehand, WidenRows) repeated across the lanes line up with it,
// and the pair sums of lanes 2j and 2j + 1 belong to column (q * L + 2j) / 4.
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
  static_assert(kPieces % kPassPieces == 0, "whole passes");
  constexpr size_t kPassColumns = kGemmPanel * kPassPieces / kPieces;
  V32 unused = hn::Zero(d32);  // ReorderWidenMulAccumulate's second sum: x86 has none
  for (size_t pass = 0; pass * kPassColumns < t.columns; ++pass) {
    V32 sum[kRows][kPassPieces];
    QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
      QTENSOR_UNROLL for (size_t q = 0; q < kPassPieces; ++q) sum[r][q] = hn::Zero(d32);
    }
    const int8_t* pieces = t.panel + pass * kPassPieces * kLanes16;
#if HWY_TARGET == HWY_AVX2
    if constexpr (kRows == 4) {
      PassAvx2(t, pieces, sum);
    } else  // NOLINT(readability/braces)
#endif
      for (size_t g = 0; g < t.groups; ++g) {
        hn::Vec<decltype(d16)> x[kRows];
        QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
          uint64_t group;
          std::memcpy(&group, t.a16 + r * t.a16_stride + g * kGemmGroup, sizeof(group));
          x[r] = hn::BitCast(d16, hn::Set(d64, group));
        }
        QTENSOR_UNROLL for (size_t q = 0; q < kPassPieces; ++q) {
          const auto w =
              hn::PromoteTo(d16, hn::LoadU(d8, pieces + g * kGemmBlockBytes + q * kLanes16));
          QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
            sum[r][q] = hn::ReorderWidenMulAccumulate(d32, x[r], w, sum[r][q], unused);
          }
        }
      }
    const size_t first = pass * kPassColumns;
    const size_t count = std::min(kPassColumns, t.columns - first);
    QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
      int32_t* c = t.c + r * t.c_stride + first;
#if HWY_TARGET == HWY_AVX2
      // Column j's two partial sums are lanes 2j and 2j + 1 of the two
      // pieces: added pairwise, then 64-bit pairs put back in order.
      const __m256i pairs = _mm256_hadd_epi32(sum[r][0].raw, sum[r][1].raw);
      const __m256i sums = _mm256_permute4x64_epi64(pairs, 0xD8);
      if (count == kPassColumns) {
        __m256i* to = reinterpret_cast<__m256i*>(c);
        _mm256_storeu_si256(to,
                            t.accumulate ? _mm256_add_epi32(sums, _mm256_loadu_si256(to)) : sums);
        continue;
      }
      alignas(32) int32_t column_sums[kPassColumns];
      _mm256_store_si256(reinterpret_cast<__m256i*>(column_sums), sums);
#else
      int32_t pairs[2 * kPassColumns], column_sums[kPassColumns];
      QTENSOR_UNROLL for (size_t q = 0; q < kPassPieces; ++q) {
        hn::StoreU(hn::RearrangeToOddPlusEven(sum[r][q], unused), d32, pairs + q * kLanes16 / 2);
      }
      for (size_t j = 0; j < kPassColumns; ++j) {
        column_sums[j] = static_cast<int32_t>(static_cast<uint32_t>(pairs[2 * j]) +
                                              static_cast<uint32_t>(pairs[2 * j + 1]));
      }
#endif
      StoreSums(column_sums, count, t.accumulate, c);
    }
  }
}

// a's rows [0, rows) widened to int16 (WidenTile reads them so: one
// broadcast per row and group), padded depth each, `stride` apart.
void WidenRows(const uint8_t* a, size_t a_stride, size_t rows, size_t padded, int16_t* a16,
               size_t stride) {
  const hn::ScalableTag<int16_t> d16;
  const hn::Rebind<uint8_t, decltype(d16)> d8;
  const size_t lanes = hn::Lanes(d16);
  for (size_t i = 0; i < rows; ++i) {
    const uint8_t* from = a + i * a_stride;
    int16_t* to = a16 + i * stride;
    size_t k = 0;
    for (; k + lanes <= padded; k += lanes) {
      hn::StoreU(hn::BitCast(d16, hn::PromoteTo(hn::RebindToUnsigned<decltype(d16)>(),
                                                hn::LoadU(d8, from + k))),
                 d16, to + k);
    }
    for (; k < padded; ++k) to[k] = from[k];
  }
}

#if HWY_TARGET == HWY_AVX2
// Activations below 128 (7 bits, as PyTorch's reduce_range gives): then
// vpmaddubsw's pairs of u8 x s8 products, at most 2 * 127 * 128 = 32 512 in
// magnitude, cannot saturate int16, and the full-rate path is exact. Each
// ymm of a block is 8 columns by 4 k: vpmaddubsw, then vpmaddwd by ones,
// gives each column's sum of its four products in an int32 lane.
struct SevenBitTiles {
  static constexpr size_t kRows = 4, kPanels = 1;
};

template <size_t kRows, size_t kPanels>
HWY_NOINLINE void SevenBitTile(const TileArgs& t) {
  static_assert(kPanels == 1, "one panel per tile");
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i sum[kRows][2];
  QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
    sum[r][0] = sum[r][1] = _mm256_setzero_si256();
  }
  for (size_t g = 0; g < t.groups; ++g) {
    const int8_t* block = t.panel + g * kGemmBlockBytes;
    const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block));
    const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 32));
    QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
      const __m256i x =
          _mm256_set1_epi32(static_cast<int32_t>(LoadGroup(t.a + r * t.a_stride + g * kGemmGroup)));
      sum[r][0] = _mm256_add_epi32(sum[r][0], _mm256_madd_epi16(_mm256_maddubs_epi16(x, w0), ones));
      sum[r][1] = _mm256_add_epi32(sum[r][1], _mm256_madd_epi16(_mm256_maddubs_epi16(x, w1), ones));
    }
  }
  QTENSOR_UNROLL for (size_t r = 0; r < kRows; ++r) {
    alignas(32) int32_t sums[kGemmPanel];
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums), sum[r][0]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(sums + 8), sum[r][1]);
    StoreSums(sums, std::min(kGemmPanel, t.columns), t.accumulate, t.c + r * t.c_stride);
  }
}

// Whether every byte of a's rows is below 128: one pass of ORs.
bool SevenBit(const uint8_t* a, size_t a_stride, size_t rows, size_t padded) {
  __m256i any = _mm256_setzero_si256();
  uint8_t tail = 0;
  for (size_t i = 0; i < rows; ++i) {
    const uint8_t* row = a + i * a_stride;
    size_t k = 0;
    for (; k + 32 <= padded; k += 32) {
      any = _mm256_or_si256(any, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + k)));
    }
    for (; k < padded; ++k) tail |= row[k];
  }
  return _mm256_movemask_epi8(any) == 0 && tail < 128;
}
#endif

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

// Maker: a type whose Get<kRows, kPanels>() is &Tile<kRows, kPanels>, for
// MakeTiles (a function template cannot be passed as a template argument).
#define QTENSOR_TILE_MAKER(Maker, Tile)                                      \
  struct Maker {                                                             \
    template <size_t kRows, size_t kPanels>                                  \
    constexpr TileFunction Get() const {                                     \
      return &Tile<kRows, kPanels>; /* NOLINT(bugprone-macro-parentheses) */ \
    }                                                                        \
  }

QTENSOR_TILE_MAKER(MakeWiden, WidenTile);
#if HWY_TARGET == HWY_AVX2
QTENSOR_TILE_MAKER(MakeSevenBit, SevenBitTile);
#endif
#if HWY_TARGET == HWY_AVX3_DL
QTENSOR_TILE_MAKER(MakeVnni, VnniTile);
#endif

// Blocks of the depth with 16 KiB of weights for a tile's panels (256 of
// the depth for four panels, 1024 for one: fewer passes over the sums);
// 64 rows: at most 16 KiB of their sums.
constexpr size_t kBlockWeightBytes = 16384;
constexpr size_t kBlockRows = 64;

// c for the rows of a [0, shape.rows) and the panels [first_panel, end).
// a16: those rows widened (WidenRows), a16_stride apart, for the widen
// tiles; else null.
template <class Tiles>
void GemmRows(const TileTable<Tiles>& tiles, const uint8_t* a, const int16_t* a16,
              size_t a16_stride, const int8_t* packed, const GemmShape& shape, size_t first_panel,
              size_t end, int32_t* c) {
  const size_t padded = GemmPaddedDepth(shape.depth);
  TileArgs t{};
  t.a_stride = shape.a_stride;
  t.a16_stride = a16_stride;
  t.panel_bytes = padded * kGemmPanel;
  t.c_stride = shape.c_stride;
  constexpr size_t kBlockGroups = kBlockWeightBytes / (Tiles::kPanels * kGemmBlockBytes);
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
          if (a16 != nullptr) t.a16 = a16 + i * a16_stride + g * kGemmGroup;
          t.c = c + i * shape.c_stride + p * kGemmPanel;
          tiles[rows - 1][tile_panels - 1](t);
        }
      }
    }
  }
}

// With widen, kBlockRows rows at a time are widened (into a buffer that
// stays in L2 while every panel passes over them), then multiplied.
template <class Tiles>
void GemmWith(const TileTable<Tiles>& tiles, bool widen, const uint8_t* a, const int8_t* packed,
              const GemmShape& shape, size_t first_panel, size_t panels, int32_t* c) {
  if (!widen) {
    return GemmRows<Tiles>(tiles, a, nullptr, 0, packed, shape, first_panel, first_panel + panels,
                           c);
  }
  const size_t padded = GemmPaddedDepth(shape.depth);
  std::vector<int16_t> a16(kBlockRows * padded);
  for (size_t first_row = 0; first_row < shape.rows; first_row += kBlockRows) {
    GemmShape block = shape;
    block.rows = std::min(kBlockRows, shape.rows - first_row);
    const uint8_t* rows = a + first_row * shape.a_stride;
    WidenRows(rows, shape.a_stride, block.rows, padded, a16.data(), padded);
    GemmRows<Tiles>(tiles, rows, a16.data(), padded, packed, block, first_panel,
                    first_panel + panels, c + first_row * shape.c_stride);
  }
}

void Gemm(const uint8_t* a, const int8_t* packed, const GemmShape& shape, size_t first_panel,
          size_t panels, int32_t* c) {
#if HWY_TARGET == HWY_AVX3_DL
  static const bool kVnni = __builtin_cpu_supports("avx512vnni");
  static constexpr auto kVnniTiles =
      MakeTiles<VnniTiles>(std::make_index_sequence<VnniTiles::kRows>(), MakeVnni());
  if (kVnni) {
    return GemmWith<VnniTiles>(kVnniTiles, false, a, packed, shape, first_panel, panels, c);
  }
#endif
#if HWY_TARGET == HWY_AVX2
  static constexpr auto kSevenBitTiles =
      MakeTiles<SevenBitTiles>(std::make_index_sequence<SevenBitTiles::kRows>(), MakeSevenBit());
  if (SevenBit(a, shape.a_stride, shape.rows, GemmPaddedDepth(shape.depth))) {
    return GemmWith<SevenBitTiles>(kSevenBitTiles, false, a, packed, shape, first_panel, panels, c);
  }
#endif
  static constexpr auto kWidenTiles =
      MakeTiles<WidenTiles>(std::make_index_sequence<WidenTiles::kRows>(), MakeWiden());
  GemmWith<WidenTiles>(kWidenTiles, true, a, packed, shape, first_panel, panels, c);
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
