// The rules of a tensor's shape that every layer shares: the rank limit.
#ifndef QTENSOR_CORE_SHAPE_H_
#define QTENSOR_CORE_SHAPE_H_

#include <cstddef>

namespace qtensor::core {

// The largest rank a tensor may have (the C ABI's QTENSOR_MAX_DIMS).
inline constexpr size_t kMaxDims = 64;

// Throws kInvalidArgument, "rank N exceeds the maximum of 64", for a rank
// above kMaxDims.
void CheckRank(size_t ndim);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_SHAPE_H_
