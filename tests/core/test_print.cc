// The printer against PyTorch 1.13: every case of tests/data/print_cases.txt
// (written by tests/data/make_print_cases.py, whose header documents the
// format) must print exactly as torch's repr did.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/print.h"

namespace qtensor::core {
namespace {

struct PrintCase {
  std::string name;
  PrintableTensor tensor;
  std::string expected;
};

std::vector<std::string> Tokens(const std::string& text) {
  std::istringstream stream(text);
  std::vector<std::string> tokens;
  std::string token;
  while (stream >> token) tokens.push_back(token);
  return tokens;
}

// Reads float.hex() output, "inf", "-inf" and "nan" alike.
double ParseDouble(const std::string& token) {
  char* end = nullptr;
  const double value = std::strtod(token.c_str(), &end);
  if (end == token.c_str() || *end != '\0') throw std::runtime_error("bad number: " + token);
  return value;
}

int64_t ParseInt(const std::string& token) {
  size_t used = 0;
  const long long value = std::stoll(token, &used);
  if (used != token.size()) throw std::runtime_error("bad integer: " + token);
  return value;
}

// A JSON string literal that uses no escapes but \n, \" and \\.
std::string ParseJsonString(const std::string& literal) {
  if (literal.size() < 2 || literal.front() != '"' || literal.back() != '"') {
    throw std::runtime_error("bad JSON string: " + literal);
  }
  std::string text;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    if (literal[i] != '\\') {
      text += literal[i];
      continue;
    }
    const char escaped = literal[++i];
    if (escaped == 'n') {
      text += '\n';
    } else if (escaped == '"' || escaped == '\\') {
      text += escaped;
    } else {
      throw std::runtime_error("unexpected escape in: " + literal);
    }
  }
  return text;
}

// Applies one "keyword tokens..." line to the case being read.
void ApplyField(const std::string& keyword, const std::string& rest, PrintCase* current) {
  PrintableTensor& t = current->tensor;
  const std::vector<std::string> tokens = Tokens(rest);
  if (keyword == "shape") {
    for (const std::string& token : tokens) t.shape.push_back(ParseInt(token));
  } else if (keyword == "dtype") {
    t.dtype_name = rest;
  } else if (keyword == "scheme") {
    if (rest != "per_tensor_affine" && rest != "per_channel_affine") {
      throw std::runtime_error("unknown scheme: " + rest);
    }
    t.per_channel = rest == "per_channel_affine";
  } else if (keyword == "scale") {
    t.scale = ParseDouble(rest);
  } else if (keyword == "zero_point") {
    t.zero_point = ParseInt(rest);
  } else if (keyword == "scales") {
    for (const std::string& token : tokens) t.scales.push_back(ParseDouble(token));
  } else if (keyword == "zero_points") {
    for (const std::string& token : tokens) t.zero_points.push_back(ParseInt(token));
  } else if (keyword == "axis") {
    t.axis = ParseInt(rest);
  } else if (keyword == "values") {
    // Every value is a float32 printed exactly, so the conversion is exact.
    for (const std::string& token : tokens)
      t.values.push_back(static_cast<float>(ParseDouble(token)));
  } else if (keyword == "repr") {
    current->expected = ParseJsonString(rest);
  } else {
    throw std::runtime_error("unknown field: " + keyword);
  }
}

std::vector<PrintCase> ReadPrintCases(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<PrintCase> cases;
  PrintCase current;
  bool in_case = false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    const std::string keyword = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (keyword == "case") {
      current = PrintCase{};
      current.name = rest;
      in_case = true;
    } else if (!in_case) {
      throw std::runtime_error("field outside a case: " + line.substr(0, 40));
    } else if (keyword == "end") {
      cases.push_back(current);
      in_case = false;
    } else {
      ApplyField(keyword, rest, &current);
    }
  }
  if (in_case) throw std::runtime_error("unterminated case " + current.name);
  return cases;
}

TEST_CASE("FormatQuantizedTensor matches PyTorch 1.13 on every recorded case") {
  const std::vector<PrintCase> cases = ReadPrintCases(QTENSOR_TEST_DATA_DIR "/print_cases.txt");
  REQUIRE(cases.size() >= 150);
  int failures = 0;
  for (const PrintCase& c : cases) {
    const std::string actual = FormatQuantizedTensor(c.tensor);
    if (actual != c.expected) ++failures;
    INFO("case: ", c.name, "\n--- torch:\n", c.expected, "\n--- qtensor:\n", actual);
    CHECK(actual == c.expected);
  }
  MESSAGE(cases.size(), " cases, ", failures, " failing");
}

TEST_CASE("FormatQuantizedTensor rejects values that do not match the shape") {
  PrintableTensor t;
  t.shape = {2, 3};
  t.values = {1.0f, 2.0f};
  t.dtype_name = "qint8";
  CHECK_THROWS_AS(FormatQuantizedTensor(t), std::invalid_argument);
}

TEST_CASE("FormatPythonFloat gives Python's repr") {
  const double inf = std::numeric_limits<double>::infinity();
  struct Known {
    double value;
    const char* repr;
  };
  const Known known[] = {
      {0.1, "0.1"},
      {1e-05, "1e-05"},
      {0.0001, "0.0001"},
      {0.00012345, "0.00012345"},
      {9.999999999999999e-05, "9.999999999999999e-05"},
      {1e16, "1e+16"},
      {9999999999999998.0, "9999999999999998.0"},
      {1e15, "1000000000000000.0"},
      {1.2345e16, "1.2345e+16"},
      {123456789012345680.0, "1.2345678901234568e+17"},
      {123.0, "123.0"},
      {1.0, "1.0"},
      {3.0, "3.0"},
      {1.5, "1.5"},
      {0.30000000000000004, "0.30000000000000004"},
      {1.0 / 3.0, "0.3333333333333333"},
      {12345.678, "12345.678"},
      {1e22, "1e+22"},
      {1e-10, "1e-10"},
      {2.5e-7, "2.5e-07"},
      {1e100, "1e+100"},
      {1.5e-300, "1.5e-300"},
      {5e-324, "5e-324"},
      {2.2250738585072014e-308, "2.2250738585072014e-308"},
      {1.7976931348623157e+308, "1.7976931348623157e+308"},
      {-2.5, "-2.5"},
      {-1e-05, "-1e-05"},
      {-1e16, "-1e+16"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {inf, "inf"},
      {-inf, "-inf"},
      {std::nan(""), "nan"},
      {-std::nan(""), "nan"},
  };
  for (const Known& k : known) {
    INFO("expected ", k.repr);
    CHECK(FormatPythonFloat(k.value) == k.repr);
  }
}

}  // namespace
}  // namespace qtensor::core
