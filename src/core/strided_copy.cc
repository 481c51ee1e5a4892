#include "core/strided_copy.h"

#include <cstring>

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

template <typename T, bool kGather>
void CopyRows(const StridedLayout& layout, T* strided, T* packed) {
  const int64_t length = layout.shape.back();
  const int64_t stride = layout.strides.back();
  ForEachRow(layout, [&](int64_t offset) {
    T* row = strided + offset;
    if (stride == 1) {
      if (kGather) {
        std::memcpy(packed, row, length * sizeof(T));
      } else {
        std::memcpy(row, packed, length * sizeof(T));
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
}

template <bool kGather>
void Copy(const StridedLayout& layout, uint8_t* strided, uint8_t* packed) {
  for (int64_t size : layout.shape) {
    if (size == 0) return;
  }
  const StridedLayout merged = Coalesce(layout);
  switch (layout.elem_size) {
    case 1:
      return CopyRows<uint8_t, kGather>(merged, strided, packed);
    case 2:
      return CopyRows<uint16_t, kGather>(merged, reinterpret_cast<uint16_t*>(strided),
                                         reinterpret_cast<uint16_t*>(packed));
    case 4:
      return CopyRows<uint32_t, kGather>(merged, reinterpret_cast<uint32_t*>(strided),
                                         reinterpret_cast<uint32_t*>(packed));
    default:
      return CopyRows<uint64_t, kGather>(merged, reinterpret_cast<uint64_t*>(strided),
                                         reinterpret_cast<uint64_t*>(packed));
  }
}

}  // namespace

void GatherStrided(const StridedLayout& layout, const uint8_t* first, uint8_t* out) {
  Copy<true>(layout, const_cast<uint8_t*>(first), out);
}

void ScatterStrided(const StridedLayout& layout, const uint8_t* in, uint8_t* first) {
  Copy<false>(layout, first, const_cast<uint8_t*>(in));
}

}  // namespace qtensor::core
