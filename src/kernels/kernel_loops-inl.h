// Loops shared by the SIMD kernels (per Highway target; included from
// quantize_kernels.cc once per target): blocks of whole vectors with the
// tail through stack buffers, per-lane parameter patterns for short channel
// runs, and non-temporal stores for outputs too large for the caches.

// The attributes of the ops the loops below call: the target's, and for GCC
// always inlined. GCC otherwise outlines a large op that a loop calls from
// several places, and then pays a call per block (measured: per-channel
// quantize 1.4x slower). Not for clang: with the sanitizers and coverage of
// the fuzz build, forced inlining took clang 14 fifteen minutes for
// quantize_kernels.cc instead of ninety seconds.
#ifndef QTENSOR_KERNEL_OP
#if defined(__clang__)
#define QTENSOR_KERNEL_OP HWY_ATTR
#else
#define QTENSOR_KERNEL_OP HWY_ATTR __attribute__((always_inline))
#endif
#endif

// Per-target include guard, as Highway's -inl.h headers do.
#if defined(QTENSOR_KERNELS_KERNEL_LOOPS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef QTENSOR_KERNELS_KERNEL_LOOPS_INL_H_
#undef QTENSOR_KERNELS_KERNEL_LOOPS_INL_H_
#else
#define QTENSOR_KERNELS_KERNEL_LOOPS_INL_H_
#endif

#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "kernels/quantize_kernels.h"

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Stores one full vector: streamed (p aligned to the vector size) or not.
template <bool kStream, class D, class V>
HWY_INLINE void StoreVector(V v, D d, hn::TFromD<D>* p) {
  if constexpr (kStream) {
    hn::Stream(v, d, p);
  } else {
    hn::StoreU(v, d, p);
  }
}

// Runs body(std::true_type()) if streamed, else body(std::false_type()) (for
// StoreVector<decltype(arg)::value>), and orders the streamed stores before
// the caller's later writes.
template <class Body>
HWY_INLINE void WithStreamedStores(bool streamed, const Body& body) {
  if (streamed) {
    body(std::true_type());
    hwy::FlushStream();
  } else {
    body(std::false_type());
  }
}

#if HWY_TARGET != HWY_SCALAR

// Per-lane parameter patterns up to this many elements live on the stack
// (and in L1); longer ones are allocated once per call.
constexpr size_t kStackPattern = 1024;

// Whether a kernel writing n elements in all is to stream them.
template <typename TOut>
bool ShouldStream(size_t n) {
  return n * sizeof(TOut) >= kStreamBytes;
}

// Element k of the per-lane pattern of a block laid out as
// [outer][channels][inner] is the parameter of channel (k / inner) %
// channels: a pattern of period channels * inner. It is stored repeated up
// to a multiple of `block` elements (so that j = i mod period can index it
// for any block start i), plus one more block (so that a block may also
// start anywhere in it); or, if the tensor is shorter than that, over the
// whole tensor plus one block, so its size never exceeds the tensor's by
// more.
inline size_t PatternRepeats(size_t period, size_t block) {
  size_t repeats = 1;
  while (period * repeats % block != 0) ++repeats;
  return repeats;
}
inline size_t PatternSize(size_t outer, size_t channels, size_t inner, size_t block) {
  const size_t period = channels * inner;
  const size_t repeats = PatternRepeats(period, block);
  return (outer < repeats ? outer * period : period * repeats) + block;
}

template <typename U>
class LanePattern {
 public:
  template <typename V>
  LanePattern(const V* values, size_t outer, size_t channels, size_t inner, size_t block) {
    const size_t period = channels * inner;
    period_ = period * PatternRepeats(period, block);
    const size_t size = PatternSize(outer, channels, inner, block);
    if (size > kStackPattern) {
      heap_.resize(size);
      data_ = heap_.data();
    }
    // One period, then copies of it (no division per element: the pattern
    // is rebuilt on every call, and small calls would feel it).
    size_t k = 0;
    if (inner == 1) {
      for (; k < channels; ++k) data_[k] = static_cast<U>(values[k]);
    } else {
      for (size_t c = 0; c < channels; ++c) {
        const U value = static_cast<U>(values[c]);
        for (size_t i = 0; i < inner; ++i) data_[k++] = value;
      }
    }
    for (; k < size; ++k) data_[k] = data_[k - period];
  }
  LanePattern(const LanePattern&) = delete;
  LanePattern& operator=(const LanePattern&) = delete;

  const U* data() const { return data_; }
  // The pattern's period in elements, a multiple of the block.
  size_t period() const { return period_; }

 private:
  HWY_ALIGN U stack_[kStackPattern];
  std::vector<U> heap_;
  U* data_ = stack_;
  size_t period_ = 0;
};

// Calls op(stream, j, in + i, out + i) for blocks of kBlock elements
// covering [0, n), where j = i mod period (period a multiple of kBlock, or
// 0 when op ignores j) and stream is std::true_type when op must write its
// block with non-temporal stores: when `stream` is set and out is aligned to
// its element size (then out + i is aligned to the block's output, whole
// vectors). Partial blocks (the tail, and the head that aligns a streamed
// output) go through zero-filled stack buffers, so nothing outside [0, n)
// is read or written.
template <size_t kBlock, typename TIn, typename TOut, class Op>
HWY_INLINE void ForEachBlock(const TIn* in, size_t n, TOut* out, size_t period, bool stream,
                             const Op& op) {
  const auto partial = [&](size_t i, size_t j, size_t count) QTENSOR_KERNEL_OP {
    TIn in_part[kBlock] = {};
    TOut out_part[kBlock];
    std::memcpy(in_part, in + i, count * sizeof(TIn));
    op(std::false_type(), j, in_part, out_part);
    std::memcpy(out + i, out_part, count * sizeof(TOut));
  };
  size_t i = 0, j = 0;
  // Whole blocks from i on: whole periods (an inner loop of fixed trip
  // count, with no wrap-around of j: j starts below kBlock, so j + b stays
  // below the period), then the rest.
  const auto whole_blocks = [&](auto streamed) QTENSOR_KERNEL_OP {
    if (period == 0) {
      for (; i + kBlock <= n; i += kBlock) op(streamed, 0, in + i, out + i);
      return;
    }
    for (; i + period <= n; i += period) {
      for (size_t b = 0; b < period; b += kBlock) op(streamed, j + b, in + i + b, out + i + b);
    }
    for (; i + kBlock <= n; i += kBlock, j += kBlock) op(streamed, j, in + i, out + i);
  };
  if (stream && reinterpret_cast<uintptr_t>(out) % sizeof(TOut) == 0) {
    const size_t vector_bytes = kBlock * sizeof(TOut);
    const size_t misaligned = reinterpret_cast<uintptr_t>(out) % vector_bytes;
    const size_t head =
        std::min(n, misaligned == 0 ? 0 : (vector_bytes - misaligned) / sizeof(TOut));
    if (head > 0) {
      partial(0, 0, head);
      i = j = head;  // head < kBlock <= period
    }
    whole_blocks(std::true_type());
    hwy::FlushStream();
  } else {
    whole_blocks(std::false_type());
  }
  if (i < n) partial(i, j, n - i);
}

// Whole periods of a per-lane pattern in outputs that are not streamed are
// visited this many rows at a time (ForEachPeriodByColumns).
constexpr size_t kPatternRows = 4;

// Calls op(params, j, in + i, out + i, count) for the blocks of the first
// `rows` whole periods, block j (i = r * period + j) of `count` rows r, r +
// 1, ... at a time (the op steps `period` elements from row to row), with
// params = load(j): a column of kPatternRows rows (fewer at the end), block
// j before block j + kBlock. The parameters of a column are then loaded
// once for all its rows, not once per block (per-lane parameters otherwise
// cost two loads a vector).
template <size_t kBlock, typename TIn, typename TOut, class Load, class Op>
HWY_INLINE void ForEachPeriodByColumns(const TIn* in, size_t rows, size_t period, TOut* out,
                                       const Load& load, const Op& op) {
  for (size_t r = 0; r < rows; r += kPatternRows) {
    const size_t count = std::min(kPatternRows, rows - r);
    const TIn* x = in + r * period;
    TOut* y = out + r * period;
    for (size_t j = 0; j < period; j += kBlock) op(load(j), j, x + j, y + j, count);
  }
}

// Channel runs of at most this many elements, in tensors of at most
// kColumnBytes of output, are visited column by column (ForEachChannelRun).
constexpr size_t kColumnRun = 1024;
constexpr size_t kColumnBytes = size_t{256} << 10;

// Channels whose runs are at least this long are always processed run by
// run with scalar parameters (ForEachChannelRun).
constexpr size_t kLongRun = 64;

// Whether a [outer][channels][inner] block is to be visited run by run
// (ForEachChannelRun with blocks of kRunBlock) rather than with per-lane
// parameter patterns: long runs; and runs of at least a block whose pattern
// would be read by few rows or would not fit the stack. Building a pattern
// costs a scalar store per element of its period, several times the work
// of dequantizing that many elements: conv weights ([64][3][3][3] on axis
// 0, one row of 1728 elements) dequantized 7x slower than per tensor that
// way.
template <size_t kRunBlock>
bool ByChannelRuns(size_t outer, size_t channels, size_t inner, size_t pattern_block) {
  constexpr size_t kPatternRowsWorthIt = 4;
  if (inner >= kLongRun) return true;
  return inner >= kRunBlock && (outer < kPatternRowsWorthIt ||
                                PatternSize(outer, channels, inner, pattern_block) > kStackPattern);
}

// Calls op(stream, c, in + i, out + i) for blocks of kBlock elements
// covering the channel runs of a tensor laid out as [outer][channels][inner]
// (inner >= kBlock), c being the run's channel. A run that does not end on a
// block boundary ends with a block overlapping the one before it (its
// elements are written twice, with the same values), or when streamed, as
// ForEachBlock's tail. Small tensors are visited column by column, block v
// of every run before block v + 1: the innermost loop then runs over the
// channels, instead of being one short loop per run whose exit the branch
// predictor misses run after run (64 runs of 64 elements dequantize ~1.4x
// faster).
template <size_t kBlock, typename TIn, typename TOut, class Op>
HWY_INLINE void ForEachChannelRun(const TIn* in, size_t outer, size_t channels, size_t inner,
                                  TOut* out, bool stream, const Op& op) {
  const bool by_column =
      inner <= kColumnRun && outer * channels * inner * sizeof(TOut) <= kColumnBytes;
  const size_t whole = inner / kBlock * kBlock;
  const size_t last = inner - kBlock;  // the overlapping last block's start
  if (by_column) {
    for (size_t o = 0; o < outer; ++o) {
      const size_t base = o * channels * inner;
      for (size_t v = 0; v < whole; v += kBlock) {
        for (size_t c = 0; c < channels; ++c) {
          const size_t i = base + c * inner + v;
          op(std::false_type(), c, in + i, out + i);
        }
      }
      if (whole == inner) continue;
      for (size_t c = 0; c < channels; ++c) {
        const size_t i = base + c * inner + last;
        op(std::false_type(), c, in + i, out + i);
      }
    }
    return;
  }
  for (size_t o = 0, i = 0; o < outer; ++o) {
    for (size_t c = 0; c < channels; ++c, i += inner) {
      if (stream) {
        ForEachBlock<kBlock>(in + i, inner, out + i, 0, true,
                             [&](auto streamed, size_t, const TIn* x, TOut* q)
                                 QTENSOR_KERNEL_OP { op(streamed, c, x, q); });
        continue;
      }
      for (size_t v = 0; v < whole; v += kBlock) op(std::false_type(), c, in + i + v, out + i + v);
      if (whole < inner) op(std::false_type(), c, in + i + last, out + i + last);
    }
  }
}

#endif  // HWY_TARGET != HWY_SCALAR

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#endif  // include guard
