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

#include "corpus_files.h"
#include "qtensor/qtensor.h"

namespace {

using qtensor_test::CheckError;
using qtensor_test::CorpusCase;
using qtensor_test::ReadManifest;

const std::string kDir = QTENSOR_TEST_DATA_DIR "/corrupt";

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("corrupt files: each fails with its own error") {
  const std::vector<CorpusCase> cases = ReadManifest(kDir + "/MANIFEST", false);
  CHECK(cases.size() > 60);
  std::set<std::string> listed;
  for (const CorpusCase& c : cases) {
    CAPTURE(c.file);
    listed.insert(c.file);
    const std::string path = kDir + "/" + c.file;
    const std::string bytes = ReadBytes(path);
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    if (c.stage == "tensor") {
      qt_tensor* out = nullptr;
      CheckError(qt_load(&out, path.c_str()), c);
      CHECK(std::string(qt_last_error_message()).rfind("'" + path + "': ", 0) == 0);
      CheckError(qt_deserialize(&out, data, bytes.size()), c);
      CHECK(out == nullptr);
    } else {
      REQUIRE(c.stage == "bundle");
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
