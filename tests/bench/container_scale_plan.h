// What bench_container_scale writes: the entries of a large bundle (names,
// dtypes, shapes, quantizers) and their integers, made from a hash of the
// entry and the byte's position, so a reader can check any byte, or any
// dequantized value, without keeping what was written.
#ifndef QTENSOR_TESTS_BENCH_CONTAINER_SCALE_PLAN_H_
#define QTENSOR_TESTS_BENCH_CONTAINER_SCALE_PLAN_H_

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

namespace qtensor::bench {

constexpr uint64_t kMiB = uint64_t{1} << 20;

// Elements per row, and per block of a 4-bit entry (GPTQ's and AWQ's group
// size), for entries of at least a MiB; smaller ones (the ctest smoke run)
// take short rows.
constexpr int64_t kWideRow = 4096;
constexpr int64_t kNarrowRow = 256;
constexpr int64_t kInt4Block = 128;

struct PlannedEntry {
  std::string name;
  bool int4 = false;  // 4-bit per block along the rows; else qint8 per channel (axis 0)
  int64_t rows = 0;
  int64_t cols = 0;
  uint64_t seed = 0;

  int64_t numel() const { return rows * cols; }
  uint64_t bytes() const { return static_cast<uint64_t>(int4 ? numel() / 2 : numel()); }
  int64_t blocks_per_row() const { return (cols + kInt4Block - 1) / kInt4Block; }
};

struct Plan {
  std::vector<PlannedEntry> entries;
  size_t big = 0;  // the index of the largest entry, in the middle of the file
  uint64_t payload_bytes = 0;
};

// count entries of about total_bytes together: one of 64 MiB (a quarter of
// the total if that is less), the others equal; every int4_every-th entry
// (from index 1; 0 for none) 4-bit per block, the rest qint8 per channel.
inline Plan MakePlan(uint64_t total_bytes, size_t count, size_t int4_every) {
  Plan plan;
  plan.big = count / 2;
  const uint64_t big_bytes = std::min<uint64_t>(64 * kMiB, total_bytes / 4);
  const uint64_t other_bytes = count > 1 ? (total_bytes - big_bytes) / (count - 1) : 0;
  for (size_t i = 0; i < count; ++i) {
    PlannedEntry entry;
    char name[40];
    std::snprintf(name, sizeof name, "layers.%04zu.weight", i);
    entry.name = name;
    entry.int4 = i != plan.big && int4_every != 0 && i % int4_every == 1;
    const uint64_t bytes = i == plan.big ? big_bytes : other_bytes;
    entry.cols = bytes >= kMiB ? kWideRow : kNarrowRow;
    const uint64_t row_bytes = static_cast<uint64_t>(entry.int4 ? entry.cols / 2 : entry.cols);
    entry.rows = static_cast<int64_t>(std::max<uint64_t>(1, bytes / row_bytes));
    entry.seed = 0x9E3779B97F4A7C15ull * (i + 1);
    plan.payload_bytes += entry.bytes();
    plan.entries.push_back(entry);
  }
  return plan;
}

// splitmix64's finalizer: every 8 bytes of an entry are one hash.
inline uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
inline uint64_t Word(const PlannedEntry& entry, uint64_t word) { return Mix(entry.seed + word); }

// The byte at position of an entry's payload (little-endian words).
inline uint8_t ExpectedByte(const PlannedEntry& entry, uint64_t position) {
  return static_cast<uint8_t>(Word(entry, position / 8) >> (8 * (position % 8)));
}

// Writes an entry's payload (bytes() bytes) to out.
inline void FillPayload(const PlannedEntry& entry, uint8_t* out) {
  const uint64_t size = entry.bytes();
  uint64_t word = 0;
  for (; (word + 1) * 8 <= size; ++word) {
    const uint64_t value = Word(entry, word);
    std::memcpy(out + word * 8, &value, 8);
  }
  for (uint64_t p = word * 8; p < size; ++p) out[p] = ExpectedByte(entry, p);
}

// Exact in float32 and double: small multiples of powers of two.
inline double ChannelScale(const PlannedEntry& entry, int64_t channel) {
  return 0.0009765625 * static_cast<double>(1 + (entry.seed + channel) % 13);
}
inline double BlockScale(const PlannedEntry& entry, int64_t block) {
  return 0.0078125 * static_cast<double>(1 + (entry.seed + block) % 11);
}

// Symmetric, as weights are: zero points 0.
inline Quantizer MakeQuantizer(const PlannedEntry& entry) {
  if (entry.int4) {
    const size_t count = static_cast<size_t>(entry.rows * entry.blocks_per_row());
    std::vector<double> scales(count);
    for (size_t b = 0; b < count; ++b) scales[b] = BlockScale(entry, static_cast<int64_t>(b));
    return Quantizer::PerBlock(QT_QINT4, scales, std::vector<int64_t>(count, 0), 1, kInt4Block);
  }
  std::vector<double> scales(static_cast<size_t>(entry.rows));
  for (int64_t c = 0; c < entry.rows; ++c) scales[static_cast<size_t>(c)] = ChannelScale(entry, c);
  return Quantizer::PerChannel(QT_QINT8, scales, std::vector<int64_t>(scales.size(), 0), 0);
}

// The entry as a fresh tensor: its integers written in place, no copy.
inline Tensor MakeTensor(const PlannedEntry& entry) {
  Tensor tensor = Tensor::EmptyQuantized({entry.rows, entry.cols}, MakeQuantizer(entry));
  FillPayload(entry, static_cast<uint8_t*>(tensor.data_ptr()));
  return tensor;
}

// The dequantized value of element (numerics: per channel in double, per
// block as per tensor in float; 4-bit values two per byte, low nibble first).
inline float ExpectedValue(const PlannedEntry& entry, int64_t element) {
  const int64_t row = element / entry.cols;
  if (!entry.int4) {
    const auto q = static_cast<int8_t>(ExpectedByte(entry, static_cast<uint64_t>(element)));
    return static_cast<float>(static_cast<double>(q) * ChannelScale(entry, row));
  }
  const uint8_t byte = ExpectedByte(entry, static_cast<uint64_t>(element / 2));
  const int nibble = element % 2 == 0 ? byte & 0xF : byte >> 4;
  const int q = nibble >= 8 ? nibble - 16 : nibble;
  const int64_t block = row * entry.blocks_per_row() + (element % entry.cols) / kInt4Block;
  return static_cast<float>(q) * static_cast<float>(BlockScale(entry, block));
}

// Positions to check in each entry: the first, the last and some between.
inline std::vector<uint64_t> SamplePositions(uint64_t size, uint64_t seed) {
  std::vector<uint64_t> out;
  if (size == 0) return out;
  out.push_back(0);
  out.push_back(size - 1);
  for (uint64_t k = 0; k < 62; ++k) out.push_back(Mix(seed ^ (k * 0x632BE59BD9B4E019ull)) % size);
  return out;
}

}  // namespace qtensor::bench

#endif  // QTENSOR_TESTS_BENCH_CONTAINER_SCALE_PLAN_H_
