// Tests of GatherStrided / ScatterStrided against a plain element walk, for
// the row path and the blocked-transpose path: transposes and permutations
// of 2-D to 4-D layouts, sliced with steps and offsets, of every element size,
// with sizes that are and are not multiples of the tile.

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "core/strided_copy.h"

namespace {

using qtensor::core::GatherStrided;
using qtensor::core::ScatterStrided;
using qtensor::core::StridedLayout;

// Byte offsets of the view's elements, row-major.
std::vector<int64_t> ElementOffsets(const StridedLayout& layout) {
  int64_t numel = 1;
  for (int64_t size : layout.shape) numel *= size;
  std::vector<int64_t> offsets;
  std::vector<int64_t> index(layout.shape.size(), 0);
  for (int64_t k = 0; k < numel; ++k) {
    int64_t offset = 0;
    for (size_t d = 0; d < index.size(); ++d) offset += index[d] * layout.strides[d];
    offsets.push_back(offset * static_cast<int64_t>(layout.elem_size));
    for (size_t d = index.size(); d-- > 0;) {
      if (++index[d] < layout.shape[d]) break;
      index[d] = 0;
    }
  }
  return offsets;
}

// A view of `base` (row-major, shape base_shape) permuted by perm, then
// sliced along each of its dims by step and start.
StridedLayout View(size_t elem_size, const std::vector<int64_t>& base_shape,
                   const std::vector<size_t>& perm, int64_t start, int64_t step, int64_t* first) {
  std::vector<int64_t> base_strides(base_shape.size());
  int64_t stride = 1;
  for (size_t d = base_shape.size(); d-- > 0;) {
    base_strides[d] = stride;
    stride *= base_shape[d];
  }
  StridedLayout layout{elem_size, {}, {}};
  *first = 0;
  for (size_t d : perm) {
    const int64_t size = base_shape[d];
    const int64_t begin = size > start ? start : 0;
    layout.shape.push_back((size - begin + step - 1) / step);
    layout.strides.push_back(base_strides[d] * step);
    *first += begin * base_strides[d];
  }
  return layout;
}

// n bytes of `fill` starting at a 64-byte aligned address.
struct AlignedBuffer {
  AlignedBuffer(size_t n, uint8_t fill) : bytes(n + 64, fill), n_(n) {}
  uint8_t* data() {
    const auto address = reinterpret_cast<uintptr_t>(bytes.data());
    return bytes.data() + (64 - address % 64) % 64;
  }
  size_t size() const { return n_; }
  std::vector<uint8_t> bytes;

 private:
  size_t n_;
};

// packed_shift puts the packed buffer that many bytes past an aligned
// address (a caller's int_repr buffer, or int32 data inside a serialized
// message, need not be aligned to the element size).
void CheckRoundTrip(size_t elem_size, const std::vector<int64_t>& base_shape,
                    const std::vector<size_t>& perm, int64_t start, int64_t step,
                    size_t packed_shift = 0) {
  int64_t base_numel = 1;
  for (int64_t size : base_shape) base_numel *= size;
  // Both sides 64-byte aligned, as storages are (large transposes stream
  // whole lines there).
  AlignedBuffer base_buffer(static_cast<size_t>(base_numel) * elem_size, 0);
  uint8_t* base = base_buffer.data();
  for (size_t i = 0; i < base_buffer.size(); ++i) base[i] = static_cast<uint8_t>(i * 131 + i / 251);
  int64_t first = 0;
  const StridedLayout layout = View(elem_size, base_shape, perm, start, step, &first);
  const std::vector<int64_t> offsets = ElementOffsets(layout);
  uint8_t* origin = base + first * static_cast<int64_t>(elem_size);

  AlignedBuffer packed_buffer(offsets.size() * elem_size + packed_shift + 8, 0xEE);
  uint8_t* packed_begin = packed_buffer.data() + packed_shift;
  uint8_t* packed_end = packed_begin + offsets.size() * elem_size;
  GatherStrided(layout, origin, packed_begin);
  std::vector<uint8_t> packed(packed_begin, packed_end);
  // Nothing written outside the packed range.
  CHECK(std::all_of(packed_buffer.data(), packed_begin, [](uint8_t b) { return b == 0xEE; }));
  CHECK(std::all_of(packed_end, packed_buffer.data() + packed_buffer.size(),
                    [](uint8_t b) { return b == 0xEE; }));
  bool gathered = true;
  for (size_t k = 0; k < offsets.size(); ++k) {
    gathered &= std::memcmp(&packed[k * elem_size], origin + offsets[k], elem_size) == 0;
  }
  CHECK(gathered);

  // Scatter new values: every view position changes, nothing else does.
  std::vector<uint8_t> expected(base_buffer.data(), base_buffer.data() + base_buffer.size());
  for (size_t i = 0; i < packed.size(); ++i) packed[i] = static_cast<uint8_t>(~packed[i] + 7);
  for (size_t k = 0; k < offsets.size(); ++k) {
    std::memcpy(expected.data() + first * static_cast<int64_t>(elem_size) + offsets[k],
                &packed[k * elem_size], elem_size);
  }
  std::copy(packed.begin(), packed.end(), packed_begin);
  ScatterStrided(layout, packed_begin, origin);
  CHECK(std::equal(expected.begin(), expected.end(), base_buffer.data()));
}

}  // namespace

TEST_CASE("strided copy kernel: transposes and permutations match an element walk") {
  for (size_t elem_size : {1, 2, 4, 8}) {
    for (int64_t step : {1, 2, 3}) {
      for (int64_t start : {0, 1}) {
        CAPTURE(elem_size);
        CAPTURE(step);
        CAPTURE(start);
        CheckRoundTrip(elem_size, {70, 131}, {1, 0}, start, step);
        CheckRoundTrip(elem_size, {64, 64}, {1, 0}, start, step);
        CheckRoundTrip(elem_size, {9, 8}, {1, 0}, start, step);
        CheckRoundTrip(elem_size, {3, 40, 33}, {2, 1, 0}, start, step);
        CheckRoundTrip(elem_size, {3, 40, 33}, {0, 2, 1}, start, step);
        CheckRoundTrip(elem_size, {40, 3, 33}, {2, 0, 1}, start, step);
        CheckRoundTrip(elem_size, {5, 17, 4, 19}, {3, 1, 0, 2}, start, step);
        CheckRoundTrip(elem_size, {17, 5, 19}, {1, 2, 0}, start, step);
        CheckRoundTrip(elem_size, {100, 7}, {0, 1}, start, step);
      }
    }
  }
}

TEST_CASE("strided copy kernel: empty and one-element views") {
  CheckRoundTrip(1, {0, 5}, {1, 0}, 0, 1);
  CheckRoundTrip(4, {1, 1}, {1, 0}, 0, 1);
  CheckRoundTrip(4, {1}, {0}, 0, 1);
}

TEST_CASE("strided copy kernel: a packed side that is not aligned to the element size") {
  for (size_t elem_size : {2, 4, 8}) {
    for (size_t shift : {1, 3}) {
      CAPTURE(elem_size);
      CAPTURE(shift);
      CheckRoundTrip(elem_size, {70, 131}, {1, 0}, 0, 1, shift);
      CheckRoundTrip(elem_size, {64, 64}, {1, 0}, 1, 2, shift);
      CheckRoundTrip(elem_size, {3, 40, 33}, {2, 1, 0}, 0, 1, shift);
      CheckRoundTrip(elem_size, {100, 7}, {0, 1}, 0, 3, shift);
    }
  }
}

TEST_CASE("strided copy kernel: transposes of 8 MiB and more (streamed lines)") {
  for (size_t elem_size : {1, 4}) {
    CAPTURE(elem_size);
    const int64_t cols = elem_size == 1 ? 4096 : 1536;
    const int64_t rows = static_cast<int64_t>((size_t{8} << 20) / elem_size / cols) + 70;
    CheckRoundTrip(elem_size, {rows, cols}, {1, 0}, 0, 1);
    CheckRoundTrip(elem_size, {rows, cols}, {1, 0}, 0, 1, 16);  // packed side not line-aligned
  }
}

TEST_CASE("strided copy kernel: long rows scattered into 8 MiB and more (streamed rows)") {
  for (size_t elem_size : {1, 4}) {
    CAPTURE(elem_size);
    // Sliced from 3 on in both dims: rows of 4096 or 1028 elements, starting
    // off any 16-byte boundary and ending mid-line.
    const int64_t cols = elem_size == 1 ? 4099 : 1031;
    const int64_t rows = static_cast<int64_t>((size_t{8} << 20) / elem_size / cols) + 70;
    CheckRoundTrip(elem_size, {rows, cols}, {0, 1}, 3, 1);
    CheckRoundTrip(elem_size, {rows, cols}, {0, 1}, 3, 1, 5);  // packed side unaligned
  }
}
