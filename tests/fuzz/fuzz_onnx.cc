// libFuzzer target: untrusted bytes into the ONNX model reader (src/io/onnx.h).
// Bad input must throw core::Error of kind kCorruptData with the reader's
// prefix; a model that reads must export (or be refused for a name clash,
// the one thing an import can hold that an export refuses) to a model that
// reads to the same tensors and metadata and exports to the same bytes. Any
// broken promise aborts, so libFuzzer (or the replay driver) reports it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "core/error.h"
#include "core/tensor_ops.h"
#include "io/onnx.h"
#include "io/wire_format.h"

namespace {

namespace io = qtensor::io;
namespace core = qtensor::core;

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
  }
}

std::string StorageBytes(const core::Tensor& t) {
  std::string bytes(core::StorageBytes(t.dtype(), t.numel()), '\0');
  core::StorageRepr(t, bytes.data());
  return bytes;
}

void CheckSame(const io::Bundle& a, const io::Bundle& b) {
  Require(a.metadata == b.metadata, "metadata changed");
  Require(a.entries.size() == b.entries.size(), "tensor count changed");
  for (size_t i = 0; i < a.entries.size(); ++i) {
    // Import makes quantized tensors only.
    const core::Tensor& x = std::get<core::Tensor>(a.entries[i].second);
    const core::Tensor& y = std::get<core::Tensor>(b.entries[i].second);
    Require(a.entries[i].first == b.entries[i].first, "name changed");
    Require(x.shape() == y.shape(), "shape changed");
    Require(x.EffectiveQuantizer() == y.EffectiveQuantizer(), "quantizer changed");
    Require(StorageBytes(x) == StorageBytes(y), "integers changed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  io::Bundle bundle;
  try {
    bundle = io::DecodeOnnxModel(data, size);
  } catch (const core::Error& error) {
    Require(error.kind() == core::ErrorKind::kCorruptData, "error of another kind");
    Require(std::strncmp(error.what(), "ONNX model ", 11) == 0, "message without its prefix");
    return 0;
  }
  io::Buffer written;
  try {
    written = io::EncodeOnnxModel(bundle, io::kMaxSerializedBytes);
  } catch (const core::Error& error) {
    Require(error.kind() == core::ErrorKind::kInvalidArgument &&
                std::strstr(error.what(), "its ONNX name") != nullptr,
            "an imported bundle refused for another reason than a name clash");
    return 0;
  }
  const io::Bundle back = io::DecodeOnnxModel(written.data.get(), written.size);
  CheckSame(bundle, back);
  const io::Buffer again = io::EncodeOnnxModel(back, io::kMaxSerializedBytes);
  Require(again.size == written.size &&
              std::memcmp(again.data.get(), written.data.get(), written.size) == 0,
          "second export differs");
  return 0;
}
