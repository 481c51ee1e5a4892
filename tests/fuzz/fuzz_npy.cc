// libFuzzer target: untrusted bytes into the qtensor program's .npy reader.
// Bad input must throw NpyError; what parses must hold exactly as many
// values as its shape says.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "npy_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const qtensor::cli::FloatArray array =
        qtensor::cli::ParseNpy(std::string(reinterpret_cast<const char*>(data), size));
    size_t numel = 1;
    for (int64_t dim : array.shape) numel *= static_cast<size_t>(dim);
    if (array.shape.size() > qtensor::cli::kMaxNpyRank || numel != array.values.size()) {
      std::fprintf(stderr, "fuzz check failed: shape and values disagree\n");
      std::abort();
    }
  } catch (const qtensor::cli::NpyError&) {
  }
  return 0;
}
