#include "io/gguf_writer.h"

#include <cstring>
#include <unordered_set>

#include "core/error.h"
#include "io/validate.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the GGUF writer copies numbers out as they are in memory");

namespace qtensor::io {
namespace {

using core::ErrorKind;

[[noreturn]] void Invalid(const std::string& where, const std::string& what) {
  core::Fail(ErrorKind::kInvalidArgument, "GGUF " + where + ": " + what);
}

void PutU32(std::string* out, uint32_t v) { out->append(reinterpret_cast<const char*>(&v), 4); }
void PutU64(std::string* out, uint64_t v) { out->append(reinterpret_cast<const char*>(&v), 8); }

void PutString(std::string* out, const std::string& text, uint64_t max_bytes,
               const std::string& where) {
  if (text.size() > max_bytes) {
    Invalid(where,
            std::to_string(text.size()) + " bytes, over the limit of " + std::to_string(max_bytes));
  }
  PutU64(out, text.size());
  out->append(text);
}

void CheckType(GgufValueType type, const std::string& where) {
  if (static_cast<uint32_t>(type) >= kGgufValueTypeCount) {
    Invalid(where, "value type " + std::to_string(static_cast<uint32_t>(type)) + " is unknown");
  }
}

void PutArray(std::string* out, const GgufArray& array, uint32_t depth, const std::string& where) {
  if (depth > kGgufMaxArrayDepth) {
    Invalid(where, "arrays nested deeper than " + std::to_string(kGgufMaxArrayDepth));
  }
  CheckType(array.element_type, where);
  PutU32(out, static_cast<uint32_t>(array.element_type));
  PutU64(out, array.size());
  switch (array.element_type) {
    case GgufValueType::kString:
      for (const std::string& s : array.strings) PutString(out, s, kGgufMaxStringBytes, where);
      break;
    case GgufValueType::kArray:
      for (const GgufArray& inner : array.arrays) PutArray(out, inner, depth + 1, where);
      break;
    default:
      if (array.fixed.size() % GgufFixedSize(array.element_type) != 0) {
        Invalid(where, "array of " + std::to_string(array.fixed.size()) + " bytes is not whole " +
                           GgufValueTypeName(array.element_type) + " elements");
      }
      if (array.element_type == GgufValueType::kBool) {
        for (const char byte : array.fixed) {
          if (static_cast<uint8_t>(byte) > 1) Invalid(where, "a BOOL element is not 0 or 1");
        }
      }
      out->append(array.fixed);
  }
}

void PutValue(std::string* out, const GgufValue& value, const std::string& where) {
  CheckType(value.type, where);
  PutU32(out, static_cast<uint32_t>(value.type));
  if (value.type == GgufValueType::kString) {
    PutString(out, value.string, kGgufMaxStringBytes, where);
  } else if (value.type == GgufValueType::kArray) {
    PutArray(out, value.array, 1, where);
  } else {
    if (value.type == GgufValueType::kBool && value.bits > 1) Invalid(where, "BOOL is not 0 or 1");
    out->append(reinterpret_cast<const char*>(&value.bits), GgufFixedSize(value.type));
  }
}

void PadTo(std::string* out, uint64_t alignment) {
  out->append((alignment - out->size() % alignment) % alignment, '\0');
}

}  // namespace

std::string WriteGguf(const GgufFile& file) {
  if (file.metadata.size() > kGgufMaxKeyValues || file.tensors.size() > kGgufMaxTensors) {
    Invalid("header", "more key-values or tensors than the reader accepts");
  }
  const uint32_t alignment = GgufAlignment(file.metadata, ErrorKind::kInvalidArgument);
  std::string out(kGgufMagic, sizeof(kGgufMagic));
  PutU32(&out, kGgufVersionWritten);
  PutU64(&out, file.tensors.size());
  PutU64(&out, file.metadata.size());

  std::unordered_set<std::string> keys;
  for (size_t i = 0; i < file.metadata.size(); ++i) {
    const GgufKeyValue& entry = file.metadata[i];
    const std::string where = "metadata[" + std::to_string(i) + "] (" + Quoted(entry.key) + ")";
    if (!keys.insert(entry.key).second) Invalid(where, "duplicate key");
    PutString(&out, entry.key, kGgufMaxKeyBytes, where);
    PutValue(&out, entry.value, where);
  }

  std::unordered_set<std::string> names;
  uint64_t offset = 0;
  for (size_t i = 0; i < file.tensors.size(); ++i) {
    const GgufTensor& tensor = file.tensors[i];
    const std::string where = "tensors[" + std::to_string(i) + "] (" + Quoted(tensor.name) + ")";
    if (!names.insert(tensor.name).second) Invalid(where, "duplicate tensor name");
    const uint64_t bytes =
        GgufTensorBytes(tensor.dims, tensor.type, ErrorKind::kInvalidArgument, "GGUF " + where);
    if (tensor.size != bytes || (bytes > 0 && tensor.data == nullptr)) {
      Invalid(where, "data of " + std::to_string(tensor.size) +
                         " bytes, but its dims and type need " + std::to_string(bytes));
    }
    PutString(&out, tensor.name, kGgufMaxTensorNameBytes, where);
    PutU32(&out, static_cast<uint32_t>(tensor.dims.size()));
    for (const uint64_t dim : tensor.dims) PutU64(&out, dim);
    PutU32(&out, tensor.type);
    PutU64(&out, offset);
    offset += (bytes + alignment - 1) / alignment * alignment;
  }
  PadTo(&out, alignment);
  out.reserve(out.size() + offset);
  for (const GgufTensor& tensor : file.tensors) {
    if (tensor.size > 0) out.append(reinterpret_cast<const char*>(tensor.data), tensor.size);
    PadTo(&out, alignment);
  }
  return out;
}

}  // namespace qtensor::io
