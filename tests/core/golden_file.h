// Reader of tests/data/golden.txt, the PyTorch 1.13 golden cases written by
// tests/data/make_golden.py (whose docstring documents the format).
//
//   for (const auto& c : qtensor::testing::ReadGoldenFile(QTENSOR_TEST_DATA_DIR "/golden.txt")) ...
//
// Header-only. Malformed input throws std::runtime_error naming the line.
#ifndef QTENSOR_TESTS_CORE_GOLDEN_FILE_H_
#define QTENSOR_TESTS_CORE_GOLDEN_FILE_H_

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <istream>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace qtensor::testing {

// One view operation: select DIM INDEX, slice DIM START STOP STEP, narrow DIM
// START LENGTH, transpose DIM0 DIM1, permute D0 D1 ..., contiguous. An empty
// argument is "none" in the file (an open end of a slice).
struct GoldenOp {
  std::string name;
  std::vector<std::optional<int64_t>> args;
};

struct GoldenCase {
  std::string name;
  int line = 0;  // where "case" stands in the file
  // quantize_per_tensor, quantize_per_channel, make_per_tensor, view, copy.
  std::string kind;
  std::string base;  // view only: quantize_per_tensor or make_per_tensor
  std::string dtype;
  std::vector<int64_t> shape;  // empty for 0-dim
  std::vector<float> input_float;
  std::vector<int64_t> input_int;
  bool has_scale = false;
  double scale = 0.0;
  int64_t zero_point = 0;
  bool has_per_channel = false;
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  int64_t axis = 0;
  std::vector<GoldenOp> ops;
  // copy only: the source, made with make_per_tensor.
  std::vector<int64_t> src_input_int;
  double src_scale = 0.0;
  int64_t src_zero_point = 0;
  // PyTorch's results.
  std::vector<int64_t> expect_shape;
  std::string expect_dtype;
  std::string expect_qscheme;  // per_tensor_affine or per_channel_affine
  double expect_scale = 0.0;
  int64_t expect_zero_point = 0;
  std::vector<double> expect_scales;
  std::vector<int64_t> expect_zero_points;
  int64_t expect_axis = 0;
  std::vector<int64_t> expect_int_repr;
  std::vector<float> expect_dequantize;
  std::string expect_repr;
};

namespace golden_detail {

[[noreturn]] inline void Fail(const std::string& source, int line, const std::string& what) {
  throw std::runtime_error(source + ":" + std::to_string(line) + ": " + what);
}

inline std::vector<std::string> SplitSpaces(const std::string& text) {
  std::vector<std::string> tokens;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    if (j > i) tokens.push_back(text.substr(i, j - i));
    i = j;
  }
  return tokens;
}

inline int64_t ParseInt(const std::string& token, const std::string& source, int line) {
  if (token.empty()) Fail(source, line, "empty integer");
  errno = 0;
  char* end = nullptr;
  long long value = std::strtoll(token.c_str(), &end, 10);
  if (errno != 0 || end != token.c_str() + token.size()) {
    Fail(source, line, "bad integer '" + token + "'");
  }
  return static_cast<int64_t>(value);
}

// Python's float.hex() ("0x1.8p+1", "-0x0.0p+0", "inf", "nan"): exact.
inline double ParseHexDouble(const std::string& token, const std::string& source, int line) {
  if (token.empty()) Fail(source, line, "empty float");
  char* end = nullptr;
  double value = std::strtod(token.c_str(), &end);
  if (end != token.c_str() + token.size()) Fail(source, line, "bad float '" + token + "'");
  return value;
}

inline float ParseHexFloat(const std::string& token, const std::string& source, int line) {
  double value = ParseHexDouble(token, source, line);
  float narrowed = static_cast<float>(value);
  // A float32 value widened to double comes back exactly (NaN aside).
  if (value == value && static_cast<double>(narrowed) != value) {
    Fail(source, line, "'" + token + "' is not a float32 value");
  }
  return narrowed;
}

inline void AppendUtf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace golden_detail

// Decodes one JSON string literal (with its quotes) as json.dumps writes it.
inline std::string DecodeJsonString(const std::string& text, const std::string& source = "json",
                                    int line = 0) {
  using golden_detail::Fail;
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
    Fail(source, line, "not a JSON string: " + text);
  }
  std::string out;
  auto hex4 = [&](size_t at) -> uint32_t {
    if (at + 4 > text.size() - 1) Fail(source, line, "short \\u escape");
    uint32_t code = 0;
    for (size_t k = at; k < at + 4; ++k) {
      char c = text[k];
      code <<= 4;
      if (c >= '0' && c <= '9') {
        code |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        code |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        code |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        Fail(source, line, "bad \\u escape");
      }
    }
    return code;
  };
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c == '"') Fail(source, line, "unescaped quote in JSON string");
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i + 2 >= text.size()) Fail(source, line, "dangling backslash in JSON string");
    char e = text[++i];
    switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
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
      case 'u': {
        uint32_t code = hex4(i + 1);
        i += 4;
        if (code >= 0xD800 && code < 0xDC00 && i + 6 < text.size() && text[i + 1] == '\\' &&
            text[i + 2] == 'u') {
          uint32_t low = hex4(i + 3);
          if (low >= 0xDC00 && low < 0xE000) {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        golden_detail::AppendUtf8(out, code);
        break;
      }
      default:
        Fail(source, line, std::string("bad escape \\") + e);
    }
  }
  return out;
}

// Parses the golden format from a stream; `source` names it in errors.
inline std::vector<GoldenCase> ReadGolden(std::istream& in, const std::string& source) {
  using namespace golden_detail;
  std::vector<GoldenCase> cases;
  std::set<std::string> names;
  std::optional<GoldenCase> current;
  std::set<std::string> seen;  // fields of the current case
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (raw.empty() || raw[0] == '#') continue;
    const size_t space = raw.find(' ');
    const std::string key = raw.substr(0, space);
    const std::string rest = space == std::string::npos ? std::string() : raw.substr(space + 1);

    if (key == "case") {
      if (current) Fail(source, line, "case '" + current->name + "' has no end");
      const auto tokens = SplitSpaces(rest);
      if (tokens.size() != 1) Fail(source, line, "case needs one name");
      if (!names.insert(tokens[0]).second) Fail(source, line, "duplicate case " + tokens[0]);
      current.emplace();
      current->name = tokens[0];
      current->line = line;
      seen.clear();
      continue;
    }
    if (!current) Fail(source, line, "'" + key + "' outside a case");
    GoldenCase& c = *current;
    if (key == "end") {
      if (!rest.empty()) Fail(source, line, "junk after end");
      for (const char* required :
           {"kind", "dtype", "shape", "expect_shape", "expect_dtype", "expect_qscheme",
            "expect_int_repr", "expect_dequantize", "expect_repr"}) {
        if (!seen.count(required)) {
          Fail(source, line, "case " + c.name + " lacks '" + required + "'");
        }
      }
      cases.push_back(std::move(c));
      current.reset();
      continue;
    }
    if (key != "op" && !seen.insert(key).second) {
      Fail(source, line, "repeated field '" + key + "'");
    }
    if (key == "expect_repr") {
      c.expect_repr = DecodeJsonString(rest, source, line);
      continue;
    }
    const auto tokens = SplitSpaces(rest);
    auto one = [&]() -> const std::string& {
      if (tokens.size() != 1) Fail(source, line, "'" + key + "' needs one value");
      return tokens[0];
    };
    auto ints = [&]() {
      std::vector<int64_t> values;
      values.reserve(tokens.size());
      for (const auto& t : tokens) values.push_back(ParseInt(t, source, line));
      return values;
    };
    auto doubles = [&]() {
      std::vector<double> values;
      values.reserve(tokens.size());
      for (const auto& t : tokens) values.push_back(ParseHexDouble(t, source, line));
      return values;
    };
    auto floats = [&]() {
      std::vector<float> values;
      values.reserve(tokens.size());
      for (const auto& t : tokens) values.push_back(ParseHexFloat(t, source, line));
      return values;
    };
    if (key == "kind") {
      c.kind = one();
    } else if (key == "base") {
      c.base = one();
    } else if (key == "dtype") {
      c.dtype = one();
    } else if (key == "shape") {
      c.shape = ints();
    } else if (key == "input_float") {
      c.input_float = floats();
    } else if (key == "input_int") {
      c.input_int = ints();
    } else if (key == "scale") {
      c.has_scale = true;
      c.scale = ParseHexDouble(one(), source, line);
    } else if (key == "zero_point") {
      c.zero_point = ParseInt(one(), source, line);
    } else if (key == "scales") {
      c.has_per_channel = true;
      c.scales = doubles();
    } else if (key == "zero_points") {
      c.zero_points = ints();
    } else if (key == "axis") {
      c.axis = ParseInt(one(), source, line);
    } else if (key == "src_input_int") {
      c.src_input_int = ints();
    } else if (key == "src_scale") {
      c.src_scale = ParseHexDouble(one(), source, line);
    } else if (key == "src_zero_point") {
      c.src_zero_point = ParseInt(one(), source, line);
    } else if (key == "op") {
      if (tokens.empty()) Fail(source, line, "op needs a name");
      GoldenOp op;
      op.name = tokens[0];
      for (size_t i = 1; i < tokens.size(); ++i) {
        if (tokens[i] == "none") {
          op.args.emplace_back(std::nullopt);
        } else {
          op.args.emplace_back(ParseInt(tokens[i], source, line));
        }
      }
      c.ops.push_back(std::move(op));
    } else if (key == "expect_shape") {
      c.expect_shape = ints();
    } else if (key == "expect_dtype") {
      c.expect_dtype = one();
    } else if (key == "expect_qscheme") {
      c.expect_qscheme = one();
    } else if (key == "expect_scale") {
      c.expect_scale = ParseHexDouble(one(), source, line);
    } else if (key == "expect_zero_point") {
      c.expect_zero_point = ParseInt(one(), source, line);
    } else if (key == "expect_scales") {
      c.expect_scales = doubles();
    } else if (key == "expect_zero_points") {
      c.expect_zero_points = ints();
    } else if (key == "expect_axis") {
      c.expect_axis = ParseInt(one(), source, line);
    } else if (key == "expect_int_repr") {
      c.expect_int_repr = ints();
    } else if (key == "expect_dequantize") {
      c.expect_dequantize = floats();
    } else {
      Fail(source, line, "unknown field '" + key + "'");
    }
  }
  if (current) Fail(source, line, "case '" + current->name + "' has no end");
  return cases;
}

// Reads a golden file; throws std::runtime_error if it cannot be opened.
inline std::vector<GoldenCase> ReadGoldenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open golden file " + path);
  return ReadGolden(in, path);
}

// The number of elements of a shape (1 for 0-dim).
inline int64_t GoldenNumel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

}  // namespace qtensor::testing

#endif  // QTENSOR_TESTS_CORE_GOLDEN_FILE_H_
