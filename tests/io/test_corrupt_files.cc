// Every file of tests/data/corrupt (written by its generate.py) fails to load
// with the status and message its MANIFEST gives, from a file and from
// bytes, and leaves the output untouched.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "qtensor/qtensor.h"

namespace {

const std::string kDir = QTENSOR_TEST_DATA_DIR "/corrupt";

struct CorruptCase {
  std::string file, kind, status, substring;
};

std::vector<CorruptCase> ReadManifest() {
  std::ifstream in(kDir + "/MANIFEST");
  REQUIRE(in.good());
  std::vector<CorruptCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream parts(line);
    for (std::string field; std::getline(parts, field, '\t');) fields.push_back(field);
    REQUIRE_MESSAGE(fields.size() == 4, line);
    cases.push_back({fields[0], fields[1], fields[2], fields[3]});
  }
  return cases;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void CheckError(qt_status status, const CorruptCase& c) {
  CHECK(std::string(qt_status_name(status)) == c.status);
  const std::string message = qt_last_error_message();
  CHECK_MESSAGE(message.find(c.substring) != std::string::npos, "message: " << message);
}

}  // namespace

TEST_CASE("corrupt files: each fails with its own error") {
  const std::vector<CorruptCase> cases = ReadManifest();
  CHECK(cases.size() > 60);
  std::set<std::string> listed;
  for (const CorruptCase& c : cases) {
    CAPTURE(c.file);
    listed.insert(c.file);
    const std::string path = kDir + "/" + c.file;
    const std::string bytes = ReadBytes(path);
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    if (c.kind == "tensor") {
      qt_tensor* out = nullptr;
      CheckError(qt_load(&out, path.c_str()), c);
      CHECK(std::string(qt_last_error_message()).rfind("'" + path + "': ", 0) == 0);
      CheckError(qt_deserialize(&out, data, bytes.size()), c);
      CHECK(out == nullptr);
    } else {
      REQUIRE(c.kind == "bundle");
      qt_bundle* out = nullptr;
      CheckError(qt_bundle_load(&out, path.c_str()), c);
      CheckError(qt_bundle_deserialize(&out, data, bytes.size()), c);
      CHECK(out == nullptr);
    }
  }
  // Every corrupt file is listed.
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".qt") CHECK_MESSAGE(listed.count(name) == 1, name);
  }
}
