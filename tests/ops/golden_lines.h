// The line format of the golden text files in tests/data that the ops tests
// read (operator_golden.txt, observer_golden.txt): one field per line, a
// keyword then space-separated tokens; blank lines and '#' comments skipped.
#ifndef QTENSOR_TESTS_OPS_GOLDEN_LINES_H_
#define QTENSOR_TESTS_OPS_GOLDEN_LINES_H_

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/dtype.h"

namespace qtensor::testing {

// Calls on_line(key, tokens, line) for every field line of the file.
template <class OnLine>
void ForEachGoldenLine(const std::string& path, const OnLine& on_line) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string key;
    words >> key;
    std::vector<std::string> tokens;
    for (std::string t; words >> t;) tokens.push_back(t);
    on_line(key, tokens, line);
  }
}

// A dtype as the golden files spell it (PyTorch's name).
inline core::DType GoldenDType(const std::string& name) {
  if (name == "qint8") return core::DType::kQInt8;
  if (name == "quint8") return core::DType::kQUInt8;
  REQUIRE_MESSAGE(name == "qint32", "unknown dtype " << name);
  return core::DType::kQInt32;
}

}  // namespace qtensor::testing

#endif  // QTENSOR_TESTS_OPS_GOLDEN_LINES_H_
