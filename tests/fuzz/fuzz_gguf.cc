// libFuzzer target: untrusted bytes into the GGUF reader (src/io/gguf_reader.h)
// and the conversion to a bundle (src/io/gguf_bundle.h). Bad input must throw
// core::Error of kind kCorruptData; what reads must hold each tensor inside
// the input, and write back (gguf_writer.h) to a file that reads to the same
// content and writes to the same bytes; each metadata value's typed text
// must read back to the same value; a file that converts to a bundle must
// convert back to the same tensors and metadata values. Any broken promise
// aborts, so libFuzzer (or the replay driver) reports it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/error.h"
#include "io/gguf_bundle.h"
#include "io/gguf_metadata_text.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"

namespace {

namespace io = qtensor::io;

void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz check failed: %s\n", what);
    std::abort();
  }
}

bool SameArray(const io::GgufArray& a, const io::GgufArray& b) {
  if (a.element_type != b.element_type || a.fixed != b.fixed || a.strings != b.strings ||
      a.arrays.size() != b.arrays.size()) {
    return false;
  }
  for (size_t i = 0; i < a.arrays.size(); ++i) {
    if (!SameArray(a.arrays[i], b.arrays[i])) return false;
  }
  return true;
}

bool SameValue(const io::GgufValue& x, const io::GgufValue& y) {
  return x.type == y.type && x.bits == y.bits && x.string == y.string &&
         SameArray(x.array, y.array);
}

void CheckSameTensors(const io::GgufFile& a, const io::GgufFile& b) {
  Require(a.tensors.size() == b.tensors.size(), "tensor count changed");
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    const io::GgufTensor& x = a.tensors[i];
    const io::GgufTensor& y = b.tensors[i];
    Require(x.name == y.name && x.dims == y.dims && x.type == y.type && x.size == y.size,
            "tensor info changed");
    Require(x.size == 0 || std::memcmp(x.data, y.data, x.size) == 0, "tensor bytes changed");
  }
}

void CheckSameContent(const io::GgufFile& a, const io::GgufFile& b) {
  Require(a.metadata.size() == b.metadata.size(), "metadata count changed");
  for (size_t i = 0; i < a.metadata.size(); ++i) {
    Require(a.metadata[i].key == b.metadata[i].key, "key changed");
    Require(SameValue(a.metadata[i].value, b.metadata[i].value), "value changed");
  }
  CheckSameTensors(a, b);
}

// The file as a bundle and back: the same tensors, and each metadata value
// under its key (a bundle sorts the keys).
void CheckBundleRoundTrip(const io::GgufFile& file, const uint8_t* data, size_t size) {
  for (const io::GgufKeyValue& entry : file.metadata) {
    const std::string text = io::GgufValueText(entry.value);
    Require(SameValue(io::ParseGgufValueText(text), entry.value), "typed text changed a value");
  }
  io::Bundle bundle;
  try {
    bundle = io::BundleFromGguf(data, size);
  } catch (const qtensor::core::Error& error) {
    Require(error.kind() == qtensor::core::ErrorKind::kCorruptData,
            "bundle: error of another kind");
    return;
  }
  const std::string written = io::GgufFromBundle(bundle);
  const io::GgufFile back =
      io::ReadGguf(reinterpret_cast<const uint8_t*>(written.data()), written.size());
  CheckSameTensors(file, back);
  Require(back.metadata.size() == file.metadata.size(), "bundle: metadata count changed");
  for (const io::GgufKeyValue& entry : file.metadata) {
    const io::GgufValue* value = io::FindGgufValue(back.metadata, entry.key);
    Require(value != nullptr && SameValue(*value, entry.value), "bundle: value changed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  io::GgufFile file;
  try {
    file = io::ReadGguf(data, size);
  } catch (const qtensor::core::Error& error) {
    Require(error.kind() == qtensor::core::ErrorKind::kCorruptData, "error of another kind");
    Require(std::strncmp(error.what(), "GGUF ", 5) == 0, "message without its GGUF prefix");
    return 0;
  }
  for (const io::GgufTensor& t : file.tensors) {
    Require(t.size == 0 || (t.data >= data && t.size <= size &&
                            static_cast<size_t>(t.data - data) <= size - t.size),
            "tensor data outside the input");
  }
  const std::string written = io::WriteGguf(file);
  const io::GgufFile back =
      io::ReadGguf(reinterpret_cast<const uint8_t*>(written.data()), written.size());
  CheckSameContent(file, back);
  Require(io::WriteGguf(back) == written, "second write differs");
  CheckBundleRoundTrip(file, data, size);
  return 0;
}
