// What the io tests share for files: a scratch directory, and the rows of a
// corrupt-file corpus's MANIFEST with the check of an error against a row.
#ifndef QTENSOR_TESTS_IO_CORPUS_FILES_H_
#define QTENSOR_TESTS_IO_CORPUS_FILES_H_

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "qtensor/qtensor.h"

namespace qtensor_test {

// A fresh directory for files, removed at the end of the test.
struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& prefix) {
    std::string pattern = "/tmp/" + prefix + "_XXXXXX";
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~ScratchDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  size_t Entries() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(path)) ++n;
    return n;
  }
};

// One MANIFEST row: the file, a column saying how or where it fails, the
// qt_status name and a substring of the message.
struct CorpusCase {
  std::string file, stage, status, substring;
};

// The rows of a tab-separated MANIFEST, skipping blank lines and comments.
// With substring_optional, a row of three fields (a valid file) gets an
// empty substring.
inline std::vector<CorpusCase> ReadManifest(const std::string& path, bool substring_optional) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<CorpusCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream parts(line);
    for (std::string field; std::getline(parts, field, '\t');) fields.push_back(field);
    if (substring_optional && fields.size() == 3) fields.emplace_back();
    REQUIRE_MESSAGE(fields.size() == 4, line);
    cases.push_back({fields[0], fields[1], fields[2], fields[3]});
  }
  return cases;
}

// The library's last error is the row's status, its message holds the
// row's substring; returns the message.
inline std::string CheckError(qt_status status, const CorpusCase& c) {
  CHECK(std::string(qt_status_name(status)) == c.status);
  const std::string message = qt_last_error_message();
  CHECK_MESSAGE(message.find(c.substring) != std::string::npos, "message: " << message);
  return message;
}

}  // namespace qtensor_test

#endif  // QTENSOR_TESTS_IO_CORPUS_FILES_H_
