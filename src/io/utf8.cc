#include "io/utf8.h"

#include <cstdint>

namespace qtensor::io {

size_t Utf8SequenceAt(const std::string& text, size_t i) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  const unsigned char lead = bytes[i];
  if (lead < 0x80) return 1;
  size_t length;
  uint32_t code;
  uint32_t min_code;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code = lead & 0x1F, min_code = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code = lead & 0x0F, min_code = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code = lead & 0x07, min_code = 0x10000;
  } else {
    return 0;
  }
  if (size - i < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    const unsigned char next = bytes[i + k];
    if ((next & 0xC0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3F);
  }
  if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

bool IsValidUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceAt(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

}  // namespace qtensor::io
