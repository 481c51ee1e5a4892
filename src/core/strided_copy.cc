#include "core/strided_copy.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace qtensor::core {
namespace {

// Drops size-1 dims and merges neighbours that are contiguous with each
// other, so that the inner loop runs as long as possible.
StridedLayout Coalesce(const StridedLayout& layout) {
  StridedLayout merged{layout.elem_size, {}, {}};
  for (size_t d = 0; d < layout.shape.size(); ++d) {
    const int64_t size = layout.shape[d];
    const int64_t stride = layout.strides[d];
    if (size == 1) continue;
    if (!merged.shape.empty() && merged.strides.back() == stride * size) {
      merged.shape.back() *= size;
      merged.strides.back() = stride;
    } else {
      merged.shape.push_back(size);
      merged.strides.push_back(stride);
    }
  }
  if (merged.shape.empty()) {
    merged.shape.push_back(1);
    merged.strides.push_back(1);
  }
  return merged;
}

// Calls row(element_offset) for each innermost row of the view, in order.
template <typename RowFn>
void ForEachRow(const StridedLayout& layout, RowFn&& row) {
  const size_t outer_dims = layout.shape.size() - 1;
  std::vector<int64_t> index(outer_dims, 0);
  int64_t offset = 0;
  for (;;) {
    row(offset);
    // Advance the odometer over the outer dims; done when it wraps around.
    size_t d = outer_dims;
    while (d > 0) {
      --d;
      offset += layout.strides[d];
      if (++index[d] < layout.shape[d]) break;
      offset -= layout.strides[d] * layout.shape[d];
      index[d] = 0;
      if (d == 0) return;
    }
    if (outer_dims == 0) return;
  }
}

// Outputs from this size on are written with non-temporal stores where
// their rows allow (aligned lines here): they would not stay in the caches,
// and are then not read in before being overwritten, as in a large memcpy.
constexpr size_t kStreamBytes = size_t{8} << 20;
// Rows scattered into such an output are streamed from this length on.
constexpr size_t kStreamRowBytes = 1024;

// memcpy with non-temporal stores for the 16-byte-aligned body; the caller
// ends the run of rows with a store fence.
void StreamRow(void* to, const void* from, size_t bytes) {
#if defined(__SSE2__)
  auto* out = static_cast<uint8_t*>(to);
  const auto* in = static_cast<const uint8_t*>(from);
  const size_t head = std::min(bytes, (16 - reinterpret_cast<uintptr_t>(out) % 16) % 16);
  std::memcpy(out, in, head);
  size_t i = head;
  for (; i + 16 <= bytes; i += 16) {
    _mm_stream_si128(reinterpret_cast<__m128i*>(out + i),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i)));
  }
  std::memcpy(out + i, in + i, bytes - i);
#else
  std::memcpy(to, from, bytes);
#endif
}

template <typename T, bool kGather>
void CopyRows(const StridedLayout& layout, T* strided, T* packed) {
  const int64_t length = layout.shape.back();
  const int64_t stride = layout.strides.back();
  const size_t row_bytes = static_cast<size_t>(length) * sizeof(T);
  // A large scatter of long rows (cat along an inner dim, writes into big
  // views) streams them.
  size_t total_bytes = row_bytes;
  for (size_t d = 0; d + 1 < layout.shape.size(); ++d) {
    total_bytes *= static_cast<size_t>(layout.shape[d]);
  }
  const bool stream =
      !kGather && stride == 1 && row_bytes >= kStreamRowBytes && total_bytes >= kStreamBytes;
  ForEachRow(layout, [&](int64_t offset) {
    T* row = strided + offset;
    if (stride == 1) {
      if (kGather) {
        std::memcpy(packed, row, row_bytes);
      } else if (stream) {
        StreamRow(row, packed, row_bytes);
      } else {
        std::memcpy(row, packed, row_bytes);
      }
    } else {
      for (int64_t i = 0; i < length; ++i) {
        if (kGather) {
          packed[i] = row[i * stride];
        } else {
          row[i * stride] = packed[i];
        }
      }
    }
    packed += length;
  });
#if defined(__SSE2__)
  if (stream) _mm_sfence();  // the streamed lines before anything after
#endif
}

// to[j * to_stride + k] = from[k * from_stride + j] for a kLanes x kLanes
// block of T, with whole 16-byte rows: log2(kLanes) rounds of interleaving
// row i with row i + kLanes / 2 rotate each element's (row, column) index
// bits by one, so after all of them rows and columns have swapped.
#if defined(__SSE2__)
template <typename T>
__m128i InterleaveLow(__m128i a, __m128i b) {
  if constexpr (sizeof(T) == 1) return _mm_unpacklo_epi8(a, b);
  if constexpr (sizeof(T) == 2) return _mm_unpacklo_epi16(a, b);
  if constexpr (sizeof(T) == 4) return _mm_unpacklo_epi32(a, b);
  if constexpr (sizeof(T) == 8) return _mm_unpacklo_epi64(a, b);
}
template <typename T>
__m128i InterleaveHigh(__m128i a, __m128i b) {
  if constexpr (sizeof(T) == 1) return _mm_unpackhi_epi8(a, b);
  if constexpr (sizeof(T) == 2) return _mm_unpackhi_epi16(a, b);
  if constexpr (sizeof(T) == 4) return _mm_unpackhi_epi32(a, b);
  if constexpr (sizeof(T) == 8) return _mm_unpackhi_epi64(a, b);
}

template <typename T>
constexpr int64_t kLanes = 16 / sizeof(T);

template <typename T>
void TransposeBlock(const T* from, int64_t from_stride, T* to, int64_t to_stride) {
  constexpr int64_t kN = kLanes<T>;
  __m128i rows[kN], next[kN];
  for (int64_t k = 0; k < kN; ++k) {
    rows[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + k * from_stride));
  }
  for (int64_t round = 1; round < kN; round *= 2) {
    for (int64_t i = 0; i < kN / 2; ++i) {
      next[2 * i] = InterleaveLow<T>(rows[i], rows[i + kN / 2]);
      next[2 * i + 1] = InterleaveHigh<T>(rows[i], rows[i + kN / 2]);
    }
    for (int64_t i = 0; i < kN; ++i) rows[i] = next[i];
  }
  for (int64_t j = 0; j < kN; ++j) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to + j * to_stride), rows[j]);
  }
}
#endif

// Element by element, over a small region (tile edges, or without SSE2).
template <typename T>
void TransposeScalar(const T* from, int64_t from_stride, T* to, int64_t to_stride, int64_t j0,
                     int64_t j1, int64_t k0, int64_t k1) {
  for (int64_t j = j0; j < j1; ++j) {
    for (int64_t k = k0; k < k1; ++k) to[j * to_stride + k] = from[k * from_stride + j];
  }
}

// Square tiles of a blocked transpose: kTile rows of 64 bytes (one cache
// line) on each side.
template <typename T>
constexpr int64_t kTile = 64 / sizeof(T);

// Transposes one part of a tile in place of the memory it names: whole
// blocks where it can, element by element at the edges.
template <typename T>
void TransposeDirect(const T* from, int64_t from_stride, T* to, int64_t to_stride, int64_t rows,
                     int64_t cols) {
  int64_t j_full = 0, k_full = 0;
#if defined(__SSE2__)
  constexpr int64_t kN = kLanes<T>;
  j_full = cols / kN * kN;
  k_full = rows / kN * kN;
  for (int64_t k = 0; k < k_full; k += kN) {
    for (int64_t j = 0; j < j_full; j += kN) {
      TransposeBlock(from + k * from_stride + j, from_stride, to + j * to_stride + k, to_stride);
    }
  }
#endif
  TransposeScalar(from, from_stride, to, to_stride, j_full, cols, 0, rows);
  TransposeScalar(from, from_stride, to, to_stride, 0, j_full, k_full, rows);
}

// A whole tile goes through two line-sized-row buffers: the rows it reads
// and writes are often a page apart, so they share cache sets and would
// evict each other between the blocks of one tile. Copying each line once,
// whole, into and out of the buffers avoids that.
//
// With kStream, the destination lines (64-byte aligned) are written with
// non-temporal stores: a large transpose's output would not stay in the
// caches, and so it is not read in before being overwritten.
template <typename T, bool kStream>
void TransposeTile(const T* from, int64_t from_stride, T* to, int64_t to_stride) {
  constexpr int64_t kT = kTile<T>;
  alignas(64) T in[kT * kT];
  alignas(64) T out[kT * kT];
  for (int64_t k = 0; k < kT; ++k) std::memcpy(in + k * kT, from + k * from_stride, 64);
  TransposeDirect(in, kT, out, kT, kT, kT);
  for (int64_t j = 0; j < kT; ++j) {
#if defined(__SSE2__)
    if constexpr (kStream) {
      auto* line = reinterpret_cast<__m128i*>(to + j * to_stride);
      const auto* part = reinterpret_cast<const __m128i*>(out + j * kT);
      for (int i = 0; i < 4; ++i) _mm_stream_si128(line + i, _mm_load_si128(part + i));
      continue;
    }
#endif
    std::memcpy(to + j * to_stride, out + j * kT, 64);
  }
}

// to[j * to_stride + k] = from[k * from_stride + j] for j < cols, k < rows:
// the transpose of a rows x cols matrix whose rows are contiguous.
template <typename T>
void Transpose(const T* from, int64_t from_stride, T* to, int64_t to_stride, int64_t rows,
               int64_t cols) {
  constexpr int64_t kT = kTile<T>;
  const bool stream = static_cast<size_t>(rows * cols) * sizeof(T) >= kStreamBytes &&
                      reinterpret_cast<uintptr_t>(to) % 64 == 0 &&
                      to_stride * static_cast<int64_t>(sizeof(T)) % 64 == 0;
  for (int64_t k0 = 0; k0 < rows; k0 += kT) {
    const int64_t k_count = std::min(kT, rows - k0);
    for (int64_t j0 = 0; j0 < cols; j0 += kT) {
      const int64_t j_count = std::min(kT, cols - j0);
      const T* tile_from = from + k0 * from_stride + j0;
      T* tile_to = to + j0 * to_stride + k0;
      if (k_count == kT && j_count == kT && stream) {
        TransposeTile<T, true>(tile_from, from_stride, tile_to, to_stride);
      } else if (k_count == kT && j_count == kT) {
        TransposeTile<T, false>(tile_from, from_stride, tile_to, to_stride);
      } else {
        TransposeDirect(tile_from, from_stride, tile_to, to_stride, k_count, j_count);
      }
    }
  }
#if defined(__SSE2__)
  if (stream) _mm_sfence();  // the streamed lines before anything after
#endif
}

// The view walks memory across its rows: its unit-stride dim is not the
// last. Each 2-D slice over (that dim, the last dim) is copied as a blocked
// transpose instead of element by element down a column.
template <typename T, bool kGather>
void CopyTransposed(const StridedLayout& layout, size_t unit_dim, T* strided, T* packed) {
  const size_t last = layout.shape.size() - 1;
  // Row-major strides of the packed side.
  std::vector<int64_t> packed_strides(layout.shape.size());
  int64_t step = 1;
  for (size_t d = layout.shape.size(); d-- > 0;) {
    packed_strides[d] = step;
    step *= layout.shape[d];
  }
  // The other dims, walked by ForEachRow as a layout of their own.
  StridedLayout outer{layout.elem_size, {}, {}};
  std::vector<int64_t> outer_packed;
  for (size_t d = 0; d < last; ++d) {
    if (d == unit_dim) continue;
    outer.shape.push_back(layout.shape[d]);
    outer.strides.push_back(layout.strides[d]);
    outer_packed.push_back(packed_strides[d]);
  }
  outer.shape.push_back(1);
  outer.strides.push_back(1);
  outer_packed.push_back(0);
  // ForEachRow gives the strided offset; the packed one follows the same
  // odometer, so recompute it from the strided walk's index order.
  std::vector<int64_t> index(outer.shape.size(), 0);
  const int64_t rows = layout.shape[unit_dim], cols = layout.shape[last];
  const int64_t col_stride = layout.strides[last];
  const int64_t packed_row = packed_strides[unit_dim];
  ForEachRow(outer, [&](int64_t offset) {
    int64_t packed_offset = 0;
    for (size_t d = 0; d + 1 < outer.shape.size(); ++d) packed_offset += index[d] * outer_packed[d];
    // Gather: the strided side has unit stride along the view's unit dim
    // (its rows, seen from memory) and col_stride along the last dim.
    if (kGather) {
      Transpose(strided + offset, col_stride, packed + packed_offset, packed_row, cols, rows);
    } else {
      Transpose(packed + packed_offset, packed_row, strided + offset, col_stride, rows, cols);
    }
    // Advance the index in the same order as ForEachRow's odometer.
    for (size_t d = outer.shape.size() - 1; d-- > 0;) {
      if (++index[d] < outer.shape[d]) break;
      index[d] = 0;
    }
  });
}

// The dim (other than the last) with unit stride, if the last dim's stride
// is not 1 and rows are long enough for tiles to pay; else the rank.
size_t UnitStrideDim(const StridedLayout& layout) {
  const size_t last = layout.shape.size() - 1;
  if (last == 0 || layout.strides[last] == 1 || layout.shape[last] < 8) return last + 1;
  for (size_t d = 0; d < last; ++d) {
    if (layout.strides[d] == 1 && layout.shape[d] >= 8) return d;
  }
  return last + 1;
}

template <typename T, bool kGather>
void CopyAny(const StridedLayout& layout, T* strided, T* packed) {
  const size_t unit_dim = UnitStrideDim(layout);
  if (unit_dim < layout.shape.size()) {
    CopyTransposed<T, kGather>(layout, unit_dim, strided, packed);
  } else {
    CopyRows<T, kGather>(layout, strided, packed);
  }
}

template <bool kGather>
void Copy(const StridedLayout& layout, uint8_t* strided, uint8_t* packed) {
  for (int64_t size : layout.shape) {
    if (size == 0) return;
  }
  const StridedLayout merged = Coalesce(layout);
  switch (layout.elem_size) {
    case 1:
      return CopyAny<uint8_t, kGather>(merged, strided, packed);
    case 2:
      return CopyAny<uint16_t, kGather>(merged, reinterpret_cast<uint16_t*>(strided),
                                        reinterpret_cast<uint16_t*>(packed));
    case 4:
      return CopyAny<uint32_t, kGather>(merged, reinterpret_cast<uint32_t*>(strided),
                                        reinterpret_cast<uint32_t*>(packed));
    default:
      return CopyAny<uint64_t, kGather>(merged, reinterpret_cast<uint64_t*>(strided),
                                        reinterpret_cast<uint64_t*>(packed));
  }
}

// The packed side comes from callers (a user's buffer, a spot inside a
// serialized message) and may not be aligned for the element type: then it
// goes through an aligned copy.
size_t PackedBytes(const StridedLayout& layout) {
  size_t count = 1;
  for (int64_t size : layout.shape) count *= static_cast<size_t>(size);
  return count * layout.elem_size;
}

bool Misaligned(const StridedLayout& layout, const uint8_t* packed) {
  return PackedBytes(layout) > 0 && reinterpret_cast<uintptr_t>(packed) % layout.elem_size != 0;
}

}  // namespace

void GatherStrided(const StridedLayout& layout, const uint8_t* first, uint8_t* out) {
  if (Misaligned(layout, out)) {
    std::vector<uint64_t> aligned((PackedBytes(layout) + 7) / 8);
    uint8_t* bytes = reinterpret_cast<uint8_t*>(aligned.data());
    Copy<true>(layout, const_cast<uint8_t*>(first), bytes);
    std::memcpy(out, bytes, PackedBytes(layout));
    return;
  }
  Copy<true>(layout, const_cast<uint8_t*>(first), out);
}

void ScatterStrided(const StridedLayout& layout, const uint8_t* in, uint8_t* first) {
  if (Misaligned(layout, in)) {
    std::vector<uint64_t> aligned((PackedBytes(layout) + 7) / 8);
    uint8_t* bytes = reinterpret_cast<uint8_t*>(aligned.data());
    std::memcpy(bytes, in, PackedBytes(layout));
    Copy<false>(layout, first, bytes);
    return;
  }
  Copy<false>(layout, first, const_cast<uint8_t*>(in));
}

}  // namespace qtensor::core
