// UTF-8 validation. Protobuf refuses to parse a string field holding invalid
// UTF-8, so names and metadata are checked before they are stored.
#ifndef QTENSOR_IO_UTF8_H_
#define QTENSOR_IO_UTF8_H_

#include <string>

namespace qtensor::io {

// True for well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF).
bool IsValidUtf8(const std::string& text);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_UTF8_H_
