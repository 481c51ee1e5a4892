#include "io/gguf_metadata_text.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <optional>
#include <system_error>

#include "core/error.h"
#include "io/gguf_format.h"
#include "io/utf8.h"

namespace qtensor::io {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// ------------------------------------------------------------- to text

void AppendString(const std::string& bytes, std::string& out) {
  out += '"';
  for (size_t i = 0; i < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const char* escape = c == '"'    ? "\\\""
                         : c == '\\' ? "\\\\"
                         : c == '\n' ? "\\n"
                         : c == '\r' ? "\\r"
                         : c == '\t' ? "\\t"
                         : c == '\b' ? "\\b"
                         : c == '\f' ? "\\f"
                                     : nullptr;
    if (escape != nullptr) {
      out += escape;
      ++i;
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    } else if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
    } else if (const size_t length = Utf8SequenceAt(bytes, i); length > 1) {
      out.append(bytes, i, length);
      i += length;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
    }
  }
  out += '"';
}

template <typename Float, typename Bits>
void AppendFloat(uint64_t stored, std::string& out) {
  const auto bits = static_cast<Bits>(stored);
  Float value;
  std::memcpy(&value, &bits, sizeof value);
  if (std::isnan(value)) {
    out += "nan:0x";
    for (int shift = static_cast<int>(sizeof(Bits)) * 8 - 4; shift >= 0; shift -= 4) {
      out += kHex[(bits >> shift) & 15];
    }
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-inf" : "inf";
    return;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

template <typename Int, typename Bits>
void AppendInteger(uint64_t stored, std::string& out) {
  const auto bits = static_cast<Bits>(stored);
  Int value;
  std::memcpy(&value, &bits, sizeof value);
  out += std::to_string(value);
}

// A fixed-size value held in its low bytes, as GgufValue and GgufArray
// keep them.
void AppendFixed(GgufValueType type, uint64_t bits, std::string& out) {
  switch (type) {
    case GgufValueType::kUint8:
      return AppendInteger<uint8_t, uint8_t>(bits, out);
    case GgufValueType::kInt8:
      return AppendInteger<int8_t, uint8_t>(bits, out);
    case GgufValueType::kUint16:
      return AppendInteger<uint16_t, uint16_t>(bits, out);
    case GgufValueType::kInt16:
      return AppendInteger<int16_t, uint16_t>(bits, out);
    case GgufValueType::kUint32:
      return AppendInteger<uint32_t, uint32_t>(bits, out);
    case GgufValueType::kInt32:
      return AppendInteger<int32_t, uint32_t>(bits, out);
    case GgufValueType::kUint64:
      return AppendInteger<uint64_t, uint64_t>(bits, out);
    case GgufValueType::kInt64:
      return AppendInteger<int64_t, uint64_t>(bits, out);
    case GgufValueType::kFloat32:
      return AppendFloat<float, uint32_t>(bits, out);
    case GgufValueType::kFloat64:
      return AppendFloat<double, uint64_t>(bits, out);
    default:  // kBool
      out += bits != 0 ? "true" : "false";
  }
}

uint64_t FixedElement(const GgufArray& array, size_t i) {
  const size_t size = GgufFixedSize(array.element_type);
  uint64_t bits = 0;
  std::memcpy(&bits, array.fixed.data() + i * size, size);  // little-endian host
  return bits;
}

void AppendArray(const GgufArray& array, std::string& out) {
  out += "ARRAY<";
  out += GgufValueTypeName(array.element_type);
  out += "> [";
  const uint64_t size = array.size();
  for (size_t i = 0; i < size; ++i) {
    if (i > 0) out += ", ";
    if (array.element_type == GgufValueType::kString) {
      AppendString(array.strings[i], out);
    } else if (array.element_type == GgufValueType::kArray) {
      AppendArray(array.arrays[i], out);
    } else {
      AppendFixed(array.element_type, FixedElement(array, i), out);
    }
  }
  out += ']';
}

// ------------------------------------------------------------ from text

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  GgufValue Value() {
    const GgufValueType type = TypeName();
    GgufValue value;
    if (type == GgufValueType::kArray) {
      value = GgufValue::Array(ArrayAfterKeyword(1));
    } else {
      Expect(' ');
      value = Scalar(type);
    }
    if (at_ != text_.size()) Error("text after the value");
    return value;
  }

 private:
  [[noreturn]] void Error(const std::string& what) const {
    core::Fail(core::ErrorKind::kInvalidArgument, "GGUF metadata text at byte " +
                                                      std::to_string(at_) + ": " + what +
                                                      " (expected e.g. UINT32 32, STRING \"x\", "
                                                      "ARRAY<INT32> [1, 2]; docs/gguf.md)");
  }

  bool Next(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }

  void Expect(char c) {
    if (!Next(c)) Error(std::string("expected '") + c + "'");
  }

  GgufValueType TypeName() {
    size_t end = at_;
    while (end < text_.size() && text_[end] >= 'A' && text_[end] <= 'Z') ++end;
    while (end < text_.size() && text_[end] >= '0' && text_[end] <= '9') ++end;
    const std::string name = text_.substr(at_, end - at_);
    for (uint32_t t = 0; t < kGgufValueTypeCount; ++t) {
      if (name == GgufValueTypeName(static_cast<GgufValueType>(t))) {
        at_ = end;
        return static_cast<GgufValueType>(t);
      }
    }
    Error("unknown type name \"" + name + "\"");
  }

  // "ARRAY" was read: "<TYPE> [...]".
  GgufArray ArrayAfterKeyword(uint32_t depth) {
    if (depth > kGgufMaxArrayDepth) {
      Error("arrays nested deeper than " + std::to_string(kGgufMaxArrayDepth));
    }
    Expect('<');
    GgufArray array;
    array.element_type = TypeName();
    Expect('>');
    Expect(' ');
    Expect('[');
    if (Next(']')) return array;
    do {
      if (array.element_type == GgufValueType::kArray) {
        if (TypeName() != GgufValueType::kArray) Error("expected ARRAY");
        array.arrays.push_back(ArrayAfterKeyword(depth + 1));
      } else if (array.element_type == GgufValueType::kString) {
        array.strings.push_back(String());
      } else {
        const uint64_t bits = Fixed(array.element_type);
        array.fixed.append(reinterpret_cast<const char*>(&bits), GgufFixedSize(array.element_type));
      }
    } while (Next(',') && (Expect(' '), true));
    Expect(']');
    return array;
  }

  GgufValue Scalar(GgufValueType type) {
    if (type == GgufValueType::kString) return GgufValue::String(String());
    GgufValue value;
    value.type = type;
    value.bits = Fixed(type);
    return value;
  }

  // The characters of a number or word: up to a separator.
  std::string Token() {
    size_t end = at_;
    while (end < text_.size() && text_[end] != ',' && text_[end] != ']' && text_[end] != ' ') {
      ++end;
    }
    std::string token = text_.substr(at_, end - at_);
    at_ = end;
    return token;
  }

  uint64_t Fixed(GgufValueType type) {
    const size_t start = at_;
    const std::string token = Token();
    switch (type) {
      case GgufValueType::kBool:
        if (token == "true") return 1;
        if (token == "false") return 0;
        break;
      case GgufValueType::kFloat32:
        if (const auto bits = FloatBits<float, uint32_t>(token)) return *bits;
        break;
      case GgufValueType::kFloat64:
        if (const auto bits = FloatBits<double, uint64_t>(token)) return *bits;
        break;
      case GgufValueType::kUint8:
        return Integer<uint8_t>(token, start);
      case GgufValueType::kInt8:
        return static_cast<uint8_t>(Integer<int8_t>(token, start));
      case GgufValueType::kUint16:
        return Integer<uint16_t>(token, start);
      case GgufValueType::kInt16:
        return static_cast<uint16_t>(Integer<int16_t>(token, start));
      case GgufValueType::kUint32:
        return Integer<uint32_t>(token, start);
      case GgufValueType::kInt32:
        return static_cast<uint32_t>(Integer<int32_t>(token, start));
      case GgufValueType::kUint64:
        return Integer<uint64_t>(token, start);
      default:  // kInt64
        return static_cast<uint64_t>(Integer<int64_t>(token, start));
    }
    at_ = start;
    Error(std::string("\"") + token + "\" is not a " + GgufValueTypeName(type) + " value");
  }

  template <typename Int>
  Int Integer(const std::string& token, size_t start) {
    Int value{};
    const auto result = std::from_chars(token.data(), token.data() + token.size(), value);
    if (token.empty() || result.ec != std::errc() || result.ptr != token.data() + token.size()) {
      at_ = start;
      Error("\"" + token + "\" is not an integer in the type's range");
    }
    return value;
  }

  template <typename Float, typename Bits>
  static std::optional<uint64_t> FloatBits(const std::string& token) {
    Float value{};
    if (token == "inf" || token == "-inf") {
      value = token[0] == '-' ? -INFINITY : INFINITY;
    } else if (token.rfind("nan:0x", 0) == 0) {
      const char* first = token.data() + 6;
      const char* last = token.data() + token.size();
      Bits bits{};
      const auto result = std::from_chars(first, last, bits, 16);
      if (first == last || result.ec != std::errc() || result.ptr != last) return std::nullopt;
      std::memcpy(&value, &bits, sizeof value);
      if (!std::isnan(value)) return std::nullopt;
      return bits;
    } else {
      const char* last = token.data() + token.size();
      const auto result = std::from_chars(token.data(), last, value);
      // from_chars reads "nan" and "inf" too: only finite decimals here.
      if (token.empty() || result.ec != std::errc() || result.ptr != last ||
          !std::isfinite(value)) {
        return std::nullopt;
      }
    }
    Bits bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
  }

  int HexDigit() {
    if (at_ >= text_.size()) Error("a string ends inside an escape");
    const char c = text_[at_++];
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    --at_;
    Error("expected a hex digit");
  }

  std::string String() {
    Expect('"');
    std::string out;
    while (true) {
      if (at_ >= text_.size()) Error("a string has no closing '\"'");
      const char c = text_[at_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) Error("a string ends inside an escape");
      const char e = text_[at_++];
      switch (e) {
        case '"':
        case '\\':
          out += e;
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'x': {
          const int high = HexDigit();
          out += static_cast<char>(high * 16 + HexDigit());
          break;
        }
        case 'u': {
          if (HexDigit() != 0 || HexDigit() != 0) Error("\\u escapes only bytes below 0x100");
          const int high = HexDigit();
          out += static_cast<char>(high * 16 + HexDigit());
          break;
        }
        default:
          --at_;
          Error(std::string("unknown escape \\") + e);
      }
    }
  }

  const std::string& text_;
  size_t at_ = 0;
};

}  // namespace

std::string GgufValueText(const GgufValue& value) {
  std::string out;
  if (value.type == GgufValueType::kArray) {
    AppendArray(value.array, out);
    return out;
  }
  out += GgufValueTypeName(value.type);
  out += ' ';
  if (value.type == GgufValueType::kString) {
    AppendString(value.string, out);
  } else {
    AppendFixed(value.type, value.bits, out);
  }
  return out;
}

GgufValue ParseGgufValueText(const std::string& text) { return Parser(text).Value(); }

}  // namespace qtensor::io
