#include "npy_file.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>

namespace qtensor::cli {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// NumPy itself refuses headers longer than this when reading.
constexpr size_t kMaxHeaderSize = 65536;

[[noreturn]] void Fail(const std::string& message) { throw NpyError(message); }

// The header is a Python dict literal; this reads just the subset NumPy
// writes: string keys mapping to a string, True/False, or a tuple of ints.
class HeaderParser {
 public:
  explicit HeaderParser(const std::string& text) : text_(text) {}

  struct Value {
    enum Kind { kString, kBool, kTuple } kind;
    std::string text;
    bool flag = false;
    std::vector<int64_t> ints;
  };

  std::map<std::string, Value> ParseDict() {
    std::map<std::string, Value> dict;
    Expect('{');
    while (!Peek('}')) {
      std::string key = ParseString();
      Expect(':');
      if (!dict.emplace(key, ParseValue()).second) Fail("header repeats the key '" + key + "'");
      if (!Peek('}')) Expect(',');
    }
    Expect('}');
    SkipSpace();
    if (pos_ != text_.size()) Fail("header has text after its dictionary");
    return dict;
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n')) ++pos_;
  }
  bool Peek(char c) {
    SkipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  void Expect(char c) {
    if (!Peek(c)) Fail(std::string("header is not a valid dictionary (expected '") + c + "')");
    ++pos_;
  }
  std::string ParseString() {
    SkipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"')) {
      Fail("header is not a valid dictionary (expected a string)");
    }
    const char quote = text_[pos_++];
    const size_t end = text_.find(quote, pos_);
    if (end == std::string::npos) Fail("header has an unterminated string");
    std::string value = text_.substr(pos_, end - pos_);
    if (value.find('\\') != std::string::npos) Fail("header string has an escape");
    pos_ = end + 1;
    return value;
  }
  Value ParseValue() {
    SkipSpace();
    Value value{};
    if (Peek('\'') || Peek('"')) {
      value.kind = Value::kString;
      value.text = ParseString();
    } else if (Peek('(')) {
      value.kind = Value::kTuple;
      value.ints = ParseTuple();
    } else if (text_.compare(pos_, 4, "True") == 0 || text_.compare(pos_, 5, "False") == 0) {
      value.kind = Value::kBool;
      value.flag = text_[pos_] == 'T';
      pos_ += value.flag ? 4 : 5;
    } else {
      Fail("header has a value that is not a string, a bool or a tuple");
    }
    return value;
  }
  std::vector<int64_t> ParseTuple() {
    std::vector<int64_t> ints;
    Expect('(');
    bool comma_after_last = false;
    while (!Peek(')')) {
      if (ints.size() == kMaxNpyRank) {
        Fail("shape has more than " + std::to_string(kMaxNpyRank) + " dimensions");
      }
      ints.push_back(ParseInt());
      comma_after_last = Peek(',');
      if (comma_after_last) {
        ++pos_;
      } else if (!Peek(')')) {
        Fail("shape is not a tuple of integers");
      }
    }
    // Python writes a one-element tuple as "(3,)"; "(3)" is just 3.
    if (ints.size() == 1 && !comma_after_last) Fail("shape is not a tuple of integers");
    Expect(')');
    return ints;
  }
  int64_t ParseInt() {
    SkipSpace();
    const size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const int digit = text_[pos_++] - '0';
      if (value > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        Fail("shape has a dimension too large");
      }
      value = value * 10 + digit;
    }
    if (pos_ == start) Fail("shape is not a tuple of non-negative integers");
    return value;
  }

  const std::string& text_;
  size_t pos_ = 0;
};

uint32_t ReadLittleEndian(const std::string& bytes, size_t pos, size_t width) {
  uint32_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[pos + i])) << (8 * i);
  }
  return value;
}

// How one stored float is laid out: 4 or 8 bytes, in either byte order.
struct Element {
  size_t width;
  bool big_endian;
};

float DecodeValue(const unsigned char* p, Element element) {
  const size_t width = element.width;
  uint64_t bits = 0;
  for (size_t i = 0; i < width; ++i) {
    const size_t shift = 8 * (element.big_endian ? width - 1 - i : i);
    bits |= static_cast<uint64_t>(p[i]) << shift;
  }
  if (width == 4) {
    const uint32_t bits32 = static_cast<uint32_t>(bits);
    float value;
    std::memcpy(&value, &bits32, sizeof value);
    return value;
  }
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return static_cast<float>(value);
}

// Index of each C-order element in Fortran-order storage, walked in C order.
void FortranToC(const std::vector<int64_t>& shape, const unsigned char* data, Element element,
                std::vector<float>& out) {
  const size_t rank = shape.size();
  std::vector<size_t> fortran_stride(rank, 1);
  for (size_t d = 1; d < rank; ++d) {
    fortran_stride[d] = fortran_stride[d - 1] * static_cast<size_t>(shape[d - 1]);
  }
  std::vector<int64_t> index(rank, 0);
  size_t offset = 0;
  for (float& value : out) {
    value = DecodeValue(data + offset * element.width, element);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < shape[d]) {
        offset += fortran_stride[d];
        break;
      }
      offset -= fortran_stride[d] * static_cast<size_t>(shape[d] - 1);
      index[d] = 0;
    }
  }
}

}  // namespace

bool HasNpyMagic(const std::string& bytes) {
  return bytes.compare(0, kMagicSize, kMagic, kMagicSize) == 0;
}

NpyHeader ParseNpyHeader(const std::string& bytes) {
  if (bytes.size() < kMagicSize + 2 || !HasNpyMagic(bytes)) {
    Fail("not a .npy file (no \\x93NUMPY magic)");
  }
  const int major = static_cast<uint8_t>(bytes[6]);
  const int minor = static_cast<uint8_t>(bytes[7]);
  if ((major != 1 && major != 2) || minor != 0) {
    Fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
         " (1.0 and 2.0 are read)");
  }
  const size_t length_width = major == 1 ? 2 : 4;
  const size_t header_start = 8 + length_width;
  if (bytes.size() < header_start) Fail("truncated .npy header");
  const size_t header_size = ReadLittleEndian(bytes, 8, length_width);
  if (header_size > kMaxHeaderSize) Fail("the .npy header is too long");
  if (bytes.size() - header_start < header_size) Fail("truncated .npy header");
  const std::string header = bytes.substr(header_start, header_size);
  if (header.empty() || header.back() != '\n') Fail("the .npy header does not end in a newline");
  for (char c : header) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') Fail("the .npy header is not text");
    if (static_cast<unsigned char>(c) >= 0x7f) Fail("the .npy header is not text");
  }

  auto dict = HeaderParser(header).ParseDict();
  const auto descr = dict.find("descr");
  const auto fortran = dict.find("fortran_order");
  const auto shape = dict.find("shape");
  if (dict.size() != 3 || descr == dict.end() || fortran == dict.end() || shape == dict.end()) {
    Fail("the .npy header must have exactly the keys descr, fortran_order and shape");
  }
  if (descr->second.kind != HeaderParser::Value::kString) Fail("descr is not a string");
  if (fortran->second.kind != HeaderParser::Value::kBool) Fail("fortran_order is not a bool");
  if (shape->second.kind != HeaderParser::Value::kTuple) Fail("shape is not a tuple");
  NpyHeader parsed;
  parsed.descr = descr->second.text;
  parsed.fortran_order = fortran->second.flag;
  parsed.shape = shape->second.ints;
  parsed.data_offset = header_start + header_size;
  return parsed;
}

std::string NpyTypeName(const std::string& descr) {
  static const std::map<std::string, std::string> kNames = {
      {"f2", "float16"},   {"f4", "float32"},    {"f8", "float64"}, {"i1", "int8"},
      {"i2", "int16"},     {"i4", "int32"},      {"i8", "int64"},   {"u1", "uint8"},
      {"u2", "uint16"},    {"u4", "uint32"},     {"u8", "uint64"},  {"b1", "bool"},
      {"c8", "complex64"}, {"c16", "complex128"}};
  if (descr.size() < 2 || std::string("<>|=").find(descr[0]) == std::string::npos) return descr;
  const auto found = kNames.find(descr.substr(1));
  if (found == kNames.end()) return descr;
  return found->second + (descr[0] == '>' ? " (big-endian)" : "");
}

std::string NpyShapeText(const std::vector<int64_t>& shape) {
  std::string text = "(";
  for (size_t d = 0; d < shape.size(); ++d) {
    text += (d ? ", " : "") + std::to_string(shape[d]);
  }
  return text + (shape.size() == 1 ? ",)" : ")");
}

FloatArray ParseNpy(const std::string& bytes) {
  const NpyHeader header = ParseNpyHeader(bytes);
  // NumPy writes the byte order first: '<' little-endian, '>' big-endian.
  size_t width = 0;
  bool big_endian = false;
  if (header.descr == "<f4" || header.descr == ">f4") {
    width = 4;
  } else if (header.descr == "<f8" || header.descr == ">f8") {
    width = 8;
  } else {
    Fail("unsupported dtype '" + header.descr + "' (" + NpyTypeName(header.descr) +
         "): only float32 ('<f4', '>f4') and float64 ('<f8', '>f8') are read");
  }
  big_endian = header.descr[0] == '>';

  FloatArray array;
  array.shape = header.shape;
  // The data must be exactly numel * width bytes, so nothing is allocated
  // beyond the file's size.
  const size_t data_size = bytes.size() - header.data_offset;
  uint64_t numel = 1;
  bool overflow = false;
  for (int64_t dim : array.shape) {
    overflow = overflow || __builtin_mul_overflow(numel, static_cast<uint64_t>(dim), &numel);
  }
  uint64_t needed = 0;
  overflow = overflow || __builtin_mul_overflow(numel, static_cast<uint64_t>(width), &needed);
  bool empty = false;
  for (int64_t dim : array.shape) empty = empty || dim == 0;
  if (overflow && !empty) Fail("the .npy shape's size in bytes overflows 64 bits");
  if (empty) numel = needed = 0;
  if (needed != data_size) {
    Fail("the .npy data is " + std::to_string(data_size) + " bytes but its shape needs " +
         std::to_string(needed));
  }

  array.values.resize(numel);
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()) + header.data_offset;
  const Element element{width, big_endian};
  if (header.fortran_order && numel > 0) {
    FortranToC(array.shape, data, element, array.values);
  } else {
    for (size_t i = 0; i < numel; ++i) array.values[i] = DecodeValue(data + i * width, element);
  }
  return array;
}

FloatArray ReadNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot open " + path + ": " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) Fail("cannot read " + path);
  try {
    return ParseNpy(bytes);
  } catch (const NpyError& error) {
    Fail(path + ": " + error.what());
  }
}

std::string EncodeNpy(const std::string& descr, const std::vector<int64_t>& shape,
                      const std::string& data) {
  std::string header =
      "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + NpyShapeText(shape) + ", }";
  // Pad with spaces so the data starts on a 64-byte boundary, as NumPy does.
  const size_t prefix = kMagicSize + 2 + 2;
  const size_t padded = (prefix + header.size() + 1 + 63) / 64 * 64;
  header.append(padded - prefix - header.size() - 1, ' ');
  header += '\n';

  std::string bytes(kMagic, kMagicSize);
  bytes += '\x01';
  bytes += '\x00';
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes += data;
  return bytes;
}

void WriteNpy(const std::string& path, const FloatArray& array) {
  std::string data;
  data.reserve(array.values.size() * 4);
  for (float value : array.values) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 4; ++i) data += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  WriteBytes(path, EncodeNpy("<f4", array.shape, data));
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) Fail("cannot create " + path + ": " + std::strerror(errno));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) Fail("cannot write " + path);
}

}  // namespace qtensor::cli
