#include "io/gguf_describe.h"

#include "io/gguf_bundle.h"
#include "io/gguf_metadata_text.h"
#include "io/gguf_reader.h"

namespace qtensor::io {
namespace {

// A name or key as the metadata text writes a string: quoted, escaped.
std::string Text(const std::string& bytes) {
  constexpr size_t kTypePrefix = sizeof("STRING ") - 1;
  return GgufValueText(GgufValue::String(bytes)).substr(kTypePrefix);
}

std::string ShapeText(const std::vector<uint64_t>& dims) {
  std::string text = "(";
  for (size_t d = dims.size(); d-- > 0;) {
    text += std::to_string(dims[d]) + (d ? ", " : dims.size() == 1 ? "," : "");
  }
  return text + ")";
}

std::string Plural(size_t count, const char* noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

}  // namespace

std::string DescribeGguf(const uint8_t* data, size_t size) {
  const GgufFile file = ReadGguf(data, size);
  size_t readable = 0;
  std::string tensors;
  for (const GgufTensor& tensor : file.tensors) {
    const bool reads = GgufTypeIsReadable(tensor.type);
    readable += reads ? 1 : 0;
    tensors += "  " + Text(tensor.name) + ": " + FindGgmlType(tensor.type)->name + ", shape " +
               ShapeText(tensor.dims) + ", " + Plural(tensor.size, "byte") +
               (reads ? "" : " (not read by qtensor)") + "\n";
  }
  std::string text = "GGUF file, version " + std::to_string(file.version) + ", " +
                     Plural(file.tensors.size(), "tensor") + " (qtensor reads " +
                     std::to_string(readable) + " of them: " + kGgufReadableTypes + ")\n" + tensors;
  text += "metadata (" + Plural(file.metadata.size(), "key") + ")" +
          (file.metadata.empty() ? "" : ":") + "\n";
  for (const GgufKeyValue& entry : file.metadata) {
    text += "  " + Text(entry.key) + ": " + GgufValueText(entry.value) + "\n";
  }
  return text;
}

}  // namespace qtensor::io
