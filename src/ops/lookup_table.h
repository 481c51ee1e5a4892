// Elementwise maps through a 256-entry table. Where the source and the
// result are 8-bit and per tensor, an elementwise operator's result depends
// only on the source integer: the table holds core::MapInto's own result
// for each of the 256 integers, so applying it gives MapInto's bits for
// every element (docs/numerics.md's formulas unchanged), at memory speed.
#ifndef QTENSOR_OPS_LOOKUP_TABLE_H_
#define QTENSOR_OPS_LOOKUP_TABLE_H_

#include <array>
#include <cstdint>

#include "core/tensor.h"
#include "core/tensor_ops.h"
#include "kernels/int32_map_kernels.h"

namespace qtensor::ops {

// Whether MapElements takes the table for these tensors: both 8-bit with
// per-tensor arithmetic, and enough elements to repay building the table.
bool TakesTable(const core::Tensor& dst, const core::Tensor& src);

// The table of core::MapInto(dst, src, map, inverse_scale) for dst's and
// src's dtypes and (per-tensor) parameters, indexed by src's integer's byte.
std::array<uint8_t, 256> BuildTable(const core::Tensor& dst, const core::Tensor& src,
                                    const core::FloatMap& map, const float* inverse_scale);

// core::MapInto's contract and results; through the table where TakesTable.
void MapElements(const core::Tensor& dst, const core::Tensor& src, const core::FloatMap& map,
                 const float* inverse_scale = nullptr);

// A map kernels::MapInt32 also applies (with its slope for leaky relu).
struct KnownMap {
  kernels::Int32Map kind = kernels::Int32Map::kIdentity;
  float slope = 0.0f;
};

// The same for a known map; where both tensors are contiguous qint32 of
// per-tensor arithmetic, in one pass of kernels::MapInt32 (the same bits).
void MapElements(const core::Tensor& dst, const core::Tensor& src, const KnownMap& map,
                 const float* inverse_scale = nullptr);

// core::RequantizeInto's, likewise.
inline void RequantizeElements(const core::Tensor& dst, const core::Tensor& src) {
  MapElements(dst, src, KnownMap{});
}

}  // namespace qtensor::ops

#endif  // QTENSOR_OPS_LOOKUP_TABLE_H_
