// Sorting ids by the C strings they stand for (a container's names, its
// metadata keys) without chasing a pointer per comparison: each id is
// sorted with its string's first four bytes beside it, and the strings are
// read only to break ties.
#ifndef QTENSOR_IO_TEXT_ORDER_H_
#define QTENSOR_IO_TEXT_ORDER_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace qtensor::io {

// The first four bytes of text, big-endian, zero past its end: their order
// as numbers is theirs as strings.
inline uint32_t TextPrefix(const char* text) {
  uint32_t prefix = 0;
  for (int i = 0; i < 4; ++i) {
    const auto byte = static_cast<uint8_t>(text[i]);
    prefix |= uint32_t{byte} << (24 - 8 * i);
    if (byte == 0) break;
  }
  return prefix;
}

// Orders ids by text_of(id) (a C string, compared as strcmp does), equal
// strings by id. Takes 8 bytes per id while it sorts.
template <typename TextOf>
void SortByText(std::vector<uint32_t>* ids, TextOf text_of) {
  std::vector<uint64_t> keys(ids->size());
  for (size_t i = 0; i < ids->size(); ++i) {
    keys[i] = uint64_t{TextPrefix(text_of((*ids)[i]))} << 32 | (*ids)[i];
  }
  std::sort(keys.begin(), keys.end(), [&](uint64_t a, uint64_t b) {
    const auto prefix = static_cast<uint32_t>(a >> 32);
    if (prefix != b >> 32) return a < b;
    // The same first four bytes: if they hold the end, the same string.
    if ((prefix & 0xff) != 0) {
      const int order =
          std::strcmp(text_of(static_cast<uint32_t>(a)) + 4, text_of(static_cast<uint32_t>(b)) + 4);
      if (order != 0) return order < 0;
    }
    return a < b;
  });
  for (size_t i = 0; i < ids->size(); ++i) (*ids)[i] = static_cast<uint32_t>(keys[i]);
}

}  // namespace qtensor::io

#endif  // QTENSOR_IO_TEXT_ORDER_H_
