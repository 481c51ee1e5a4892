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
  std::vector<float> all_values;  // of the whole tensor, as recorded
  std::string expected;
};

// The recorded values of the elements the printer shows, row-major.
std::vector<float> ShownOf(const std::vector<int64_t>& shape, const std::vector<float>& all) {
  const std::vector<std::vector<int64_t>> indices = ShownIndices(shape);
  std::vector<float> shown;
  std::vector<size_t> at(shape.size(), 0);
  for (bool more = !all.empty(); more;) {
    int64_t offset = 0;
    for (size_t d = 0; d < shape.size(); ++d) offset = offset * shape[d] + indices[d][at[d]];
    shown.push_back(all.at(static_cast<size_t>(offset)));
    more = false;
    for (size_t d = shape.size(); d-- > 0;) {
      if (++at[d] < indices[d].size()) {
        more = true;
        break;
      }
      at[d] = 0;
    }
  }
  return shown;
}

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
      current->all_values.push_back(static_cast<float>(ParseDouble(token)));
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
      current.tensor.shown_values = ShownOf(current.tensor.shape, current.all_values);
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

TEST_CASE("FormatQuantizedTensor rejects values that do not match the shown shape") {
  PrintableTensor t;
  t.shape = {2, 3};
  t.shown_values = {1.0f, 2.0f};
  t.dtype_name = "qint8";
  CHECK_THROWS_AS(FormatQuantizedTensor(t), std::invalid_argument);
  t.shape = {1001};  // summarized: 6 values shown, not all 1001
  t.shown_values.assign(1001, 1.0f);
  CHECK_THROWS_AS(FormatQuantizedTensor(t), std::invalid_argument);
  t.shown_values.assign(6, 1.0f);
  CHECK(FormatQuantizedTensor(t).rfind("tensor([1., 1., 1.,  ..., 1., 1., 1.], size=(1001,)", 0) ==
        0);
}

TEST_CASE("ShownIndices: every index up to 1000 elements, then 3 at each end of dims over 6") {
  using Indices = std::vector<std::vector<int64_t>>;
  CHECK(ShownIndices({}) == Indices{});
  CHECK(ShownIndices({1000})[0].size() == 1000);
  CHECK(ShownIndices({1001}) == Indices{{0, 1, 2, 998, 999, 1000}});
  CHECK(ShownIndices({2, 6, 100}) == Indices{{0, 1}, {0, 1, 2, 3, 4, 5}, {0, 1, 2, 97, 98, 99}});
  // An empty tensor shows nothing, whatever its other sizes.
  CHECK(ShownIndices({7, 0, 1000}) == Indices{{}, {}, {}});
  CHECK(ShownIndices({int64_t{1} << 62, 0}) == Indices{{}, {}});
  // A product that would overflow int64 still summarizes.
  const int64_t huge = int64_t{1} << 40;
  CHECK(ShownIndices({huge, huge}) ==
        Indices{{0, 1, 2, huge - 3, huge - 2, huge - 1}, {0, 1, 2, huge - 3, huge - 2, huge - 1}});
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
