// UTF-8 validation. Protobuf refuses to parse a string field holding invalid
// UTF-8, so names and metadata are checked before they are stored.
#ifndef QTENSOR_IO_UTF8_H_
#define QTENSOR_IO_UTF8_H_

#include <cstddef>
#include <string>

namespace qtensor::io {

// True for well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF).
bool IsValidUtf8(const std::string& text);

// The length of the well-formed UTF-8 sequence starting at text[i] (1 for
// an ASCII byte), or 0 if none starts there. i < text.size().
size_t Utf8SequenceAt(const std::string& text, size_t i);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_UTF8_H_
