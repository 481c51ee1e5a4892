#include "core/dtype_conversion.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "kernels/nibble_kernels.h"

namespace qtensor::core {
namespace {

// The position of element i of a packed storage: its byte and bit shift.
struct Slot {
  size_t byte;
  unsigned shift;
};

Slot SlotOf(int bits, int64_t element) {
  const auto bit = static_cast<uint64_t>(element) * static_cast<uint64_t>(bits);
  return {static_cast<size_t>(bit / 8), static_cast<unsigned>(bit % 8)};
}

int64_t ReprValue(DType dtype, uint8_t byte) {
  return QMin(dtype) < 0 ? int64_t{static_cast<int8_t>(byte)} : int64_t{byte};
}

template <typename From, typename To>
void Convert(const void* in, size_t count, void* out, int64_t lo, int64_t hi) {
  const auto* from = static_cast<const From*>(in);
  auto* to = static_cast<To*>(out);
  for (size_t i = 0; i < count; ++i) {
    to[i] = static_cast<To>(std::clamp(static_cast<int64_t>(from[i]), lo, hi));
  }
}

// Elements one at a time: any width and start.
void UnpackEach(DType dtype, const uint8_t* storage, int64_t first, size_t count, uint8_t* out) {
  const int bits = ElementBits(dtype);
  const unsigned mask = (1u << bits) - 1;
  const bool is_signed = QMin(dtype) < 0;
  const unsigned sign = 1u << (bits - 1);
  for (size_t i = 0; i < count; ++i) {
    const Slot slot = SlotOf(bits, first + static_cast<int64_t>(i));
    unsigned value = (storage[slot.byte] >> slot.shift) & mask;
    if (is_signed) value = (value ^ sign) - sign;  // sign-extends; wraps to the int8 pattern
    out[i] = static_cast<uint8_t>(value);
  }
}

void PackEach(DType dtype, const uint8_t* in, size_t count, uint8_t* storage, int64_t first) {
  const int bits = ElementBits(dtype);
  const unsigned mask = (1u << bits) - 1;
  for (size_t i = 0; i < count; ++i) {
    const Slot slot = SlotOf(bits, first + static_cast<int64_t>(i));
    const unsigned value = in[i] & mask;
    uint8_t& byte = storage[slot.byte];
    byte = static_cast<uint8_t>((byte & ~(mask << slot.shift)) | (value << slot.shift));
  }
}

}  // namespace

// 4-bit runs take the nibble kernels from a byte boundary on; the rest goes
// one element at a time.
void UnpackElements(DType dtype, const uint8_t* storage, int64_t first, size_t count,
                    uint8_t* out) {
  if (ElementBits(dtype) != 4 || count < 2) return UnpackEach(dtype, storage, first, count, out);
  const size_t head = static_cast<size_t>(first % 2);
  UnpackEach(dtype, storage, first, head, out);
  const size_t pairs = (count - head) / 2;
  kernels::UnpackNibbles(storage + (first + 1) / 2, pairs, QMin(dtype) < 0, out + head);
  const size_t done = head + 2 * pairs;
  UnpackEach(dtype, storage, first + static_cast<int64_t>(done), count - done, out + done);
}

void PackElements(DType dtype, const uint8_t* in, size_t count, uint8_t* storage, int64_t first) {
  if (ElementBits(dtype) != 4 || count < 2) return PackEach(dtype, in, count, storage, first);
  const size_t head = static_cast<size_t>(first % 2);
  PackEach(dtype, in, head, storage, first);
  const size_t pairs = (count - head) / 2;
  kernels::PackNibbles(in + head, pairs, storage + (first + 1) / 2);
  const size_t done = head + 2 * pairs;
  PackEach(dtype, in + done, count - done, storage, first + static_cast<int64_t>(done));
}

void WidenToCompute(DType dtype, const void* int_repr, size_t count, void* compute) {
  const int64_t lo = QMin(dtype), hi = QMax(dtype);
  switch (dtype) {
    case DType::kQInt16:
      Convert<int16_t, int32_t>(int_repr, count, compute, lo, hi);
      return;
    case DType::kQUInt16:
      Convert<uint16_t, int32_t>(int_repr, count, compute, lo, hi);
      return;
    default:
      if (compute != int_repr) std::memmove(compute, int_repr, count * ElementSize(dtype));
  }
}

void NarrowFromCompute(DType dtype, const void* compute, size_t count, void* int_repr) {
  const int64_t lo = QMin(dtype), hi = QMax(dtype);
  switch (dtype) {
    case DType::kQInt16:
      Convert<int32_t, int16_t>(compute, count, int_repr, lo, hi);
      return;
    case DType::kQUInt16:
      Convert<int32_t, uint16_t>(compute, count, int_repr, lo, hi);
      return;
    case DType::kQInt4:
      Convert<int8_t, int8_t>(compute, count, int_repr, lo, hi);
      return;
    case DType::kQUInt4x2:
    case DType::kQUInt2x4:
    case DType::kQUInt4:
      Convert<uint8_t, uint8_t>(compute, count, int_repr, lo, hi);
      return;
    default:
      if (compute != int_repr) std::memmove(int_repr, compute, count * ElementSize(dtype));
  }
}

void CheckIntReprRange(DType dtype, const void* int_repr, size_t count) {
  if (!IsPacked(dtype)) return;
  const auto* bytes = static_cast<const uint8_t*>(int_repr);
  for (size_t i = 0; i < count; ++i) {
    const int64_t value = ReprValue(dtype, bytes[i]);
    if (value < QMin(dtype) || value > QMax(dtype)) {
      Fail(ErrorKind::kInvalidArgument, "integer " + std::to_string(value) + " at element " +
                                            std::to_string(i) + " is outside " + DTypeName(dtype) +
                                            "'s range [" + std::to_string(QMin(dtype)) + ", " +
                                            std::to_string(QMax(dtype)) + "]");
    }
  }
}

int64_t StoredInteger(DType dtype, const uint8_t* storage, size_t i) {
  const int bits = ElementBits(dtype);
  uint64_t raw = 0;
  if (bits < 8) {
    const Slot slot = SlotOf(bits, static_cast<int64_t>(i));
    raw = (storage[slot.byte] >> slot.shift) & ((1u << bits) - 1);
  } else {
    std::memcpy(&raw, storage + i * static_cast<size_t>(bits / 8), static_cast<size_t>(bits / 8));
  }
  const uint64_t sign = uint64_t{1} << (bits - 1);
  return QMin(dtype) < 0 ? static_cast<int64_t>((raw ^ sign) - sign) : static_cast<int64_t>(raw);
}

std::vector<uint8_t> IntegersToStorage(DType dtype, const int64_t* values, size_t count) {
  const int bits = ElementBits(dtype);
  std::vector<uint8_t> out(StorageBytes(dtype, static_cast<int64_t>(count)));
  for (size_t i = 0; i < count; ++i) {
    const auto raw = static_cast<uint64_t>(values[i]);  // two's complement, little-endian
    if (bits < 8) {
      const Slot slot = SlotOf(bits, static_cast<int64_t>(i));
      out[slot.byte] |= static_cast<uint8_t>((raw & ((1u << bits) - 1)) << slot.shift);
    } else {
      std::memcpy(out.data() + i * static_cast<size_t>(bits / 8), &raw,
                  static_cast<size_t>(bits / 8));
    }
  }
  return out;
}

}  // namespace qtensor::core
