// Moving a strided view's integers to and from a contiguous row-major buffer.
#ifndef QTENSOR_CORE_STRIDED_COPY_H_
#define QTENSOR_CORE_STRIDED_COPY_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace qtensor::core {

// A view's layout: `first` points at its element 0; shape and strides are in
// elements of elem_size bytes (1 or 4).
struct StridedLayout {
  size_t elem_size;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
};

// Copies the view's elements, in row-major order, to out.
void GatherStrided(const StridedLayout& layout, const uint8_t* first, uint8_t* out);
// Writes row-major elements from in into the view's positions.
void ScatterStrided(const StridedLayout& layout, const uint8_t* in, uint8_t* first);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_STRIDED_COPY_H_
