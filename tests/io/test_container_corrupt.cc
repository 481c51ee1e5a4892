// Every file of tests/data/container_corrupt (written by its generate.py)
// fails at the stage its MANIFEST gives (opening, getting its first entry,
// or verifying) with the status and message given there, through the C ABI;
// qt_bundle_load refuses it with the same error unless only Verify finds
// it. The valid files open, give every entry and verify.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_files.h"
#include "qtensor/qtensor.h"

namespace {

using qtensor_test::CorpusCase;
using qtensor_test::ReadManifest;

const std::string kDir = QTENSOR_TEST_DATA_DIR "/container_corrupt";

// As the shared check, and the message starts with the file's path.
void CheckError(qt_status status, const CorpusCase& c, const std::string& path) {
  const std::string message = qtensor_test::CheckError(status, c);
  CHECK_MESSAGE(message.rfind("'" + path + "': ", 0) == 0, "message: " << message);
}

// Gets every entry by name: a quantized one maps, a float one is refused
// by qt_bundle_file_get's type; the first other status is returned.
qt_status GetEach(const qt_bundle_file* file) {
  size_t size = 0;
  REQUIRE(qt_bundle_file_size(&size, file) == QT_OK);
  for (size_t i = 0; i < size; ++i) {
    const char* name = nullptr;
    REQUIRE(qt_bundle_file_name(&name, file, i) == QT_OK);
    qt_tensor* tensor = nullptr;
    const qt_status status = qt_bundle_file_get(&tensor, file, name);
    qt_tensor_free(tensor);
    if (status != QT_OK && status != QT_ERR_TYPE_MISMATCH) return status;
  }
  return QT_OK;
}

}  // namespace

TEST_CASE("container corrupt files: each fails at its stage with its own error") {
  const std::vector<CorpusCase> cases = ReadManifest(kDir + "/MANIFEST", true);
  CHECK(cases.size() > 60);
  std::set<std::string> listed, stages;
  for (const CorpusCase& c : cases) {
    CAPTURE(c.file);
    listed.insert(c.file);
    stages.insert(c.stage);
    const std::string path = kDir + "/" + c.file;
    qt_bundle_file* file = nullptr;
    const qt_status opened = qt_bundle_file_open(&file, path.c_str());
    if (c.stage == "open") {
      CheckError(opened, c, path);
      CHECK(file == nullptr);
    } else {
      REQUIRE(opened == QT_OK);
      const qt_status got = GetEach(file);
      if (c.stage == "get") {
        CheckError(got, c, path);
      } else {
        CHECK(got == QT_OK);
        const qt_status verified = qt_bundle_file_verify(file, nullptr);
        if (c.stage == "verify") {
          CheckError(verified, c, path);
        } else {
          REQUIRE(c.stage == "valid");
          CHECK(verified == QT_OK);
        }
      }
      qt_bundle_file_free(file);
    }
    // Loading the whole bundle meets the same error, except a checksum's
    // (loading does not verify). A file without the magic is read as a File
    // message, with that reader's own message.
    if (c.file == "corrupt_empty.qtb" || c.file == "corrupt_magic.qtb") continue;
    qt_bundle* bundle = nullptr;
    const qt_status loaded = qt_bundle_load(&bundle, path.c_str());
    if (c.stage == "open" || c.stage == "get") {
      CheckError(loaded, c, path);
      CHECK(bundle == nullptr);
    } else {
      CHECK(loaded == QT_OK);
      qt_bundle_free(bundle);
    }
  }
  CHECK(stages == std::set<std::string>{"get", "open", "valid", "verify"});
  // Every file is listed.
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string name = entry.path().filename().string();
    if (name == "MANIFEST" || name == "generate.py") continue;
    CHECK_MESSAGE(listed.count(name) == 1, name << " is not in the MANIFEST");
  }
}
