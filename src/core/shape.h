// The rules of a tensor's shape that every layer shares: the rank limit,
// and how a shape is written in text.
#ifndef QTENSOR_CORE_SHAPE_H_
#define QTENSOR_CORE_SHAPE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qtensor::core {

// The largest rank a tensor may have (the C ABI's QTENSOR_MAX_DIMS).
inline constexpr size_t kMaxDims = 64;

// Throws kInvalidArgument, "rank N exceeds the maximum of 64", for a rank
// above kMaxDims.
void CheckRank(size_t ndim);

enum class ShapeStyle {
  kTuple,  // Python's str(tuple(shape)): "(2, 3)", "(10,)", "()"
  kList,   // "[2, 3]", "[10]", "[]"
};

// The sizes separated by ", ", in the style's brackets.
std::string ShapeText(const std::vector<int64_t>& shape, ShapeStyle style);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_SHAPE_H_
