#include "io/gguf_file.h"

#include <cstring>
#include <limits>

#include "io/validate.h"

namespace qtensor::io {

uint64_t GgufArray::size() const {
  switch (element_type) {
    case GgufValueType::kString:
      return strings.size();
    case GgufValueType::kArray:
      return arrays.size();
    default: {
      const size_t width = GgufFixedSize(element_type);
      return width == 0 ? 0 : fixed.size() / width;
    }
  }
}

GgufValue GgufValue::Fixed(GgufValueType type, uint64_t bits) {
  GgufValue value;
  value.type = type;
  value.bits = bits;
  return value;
}

GgufValue GgufValue::Float32(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return Fixed(GgufValueType::kFloat32, bits);
}

GgufValue GgufValue::Float64(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof(bits));
  return Fixed(GgufValueType::kFloat64, bits);
}

GgufValue GgufValue::String(std::string v) {
  GgufValue value;
  value.type = GgufValueType::kString;
  value.string = std::move(v);
  return value;
}

GgufValue GgufValue::Array(GgufArray v) {
  GgufValue value;
  value.type = GgufValueType::kArray;
  value.array = std::move(v);
  return value;
}

double GgufValue::AsDouble() const {
  switch (type) {
    case GgufValueType::kUint8:
    case GgufValueType::kUint16:
    case GgufValueType::kUint32:
    case GgufValueType::kUint64:
    case GgufValueType::kBool:
      return static_cast<double>(bits);
    case GgufValueType::kInt8:
      return static_cast<int8_t>(bits);
    case GgufValueType::kInt16:
      return static_cast<int16_t>(bits);
    case GgufValueType::kInt32:
      return static_cast<int32_t>(bits);
    case GgufValueType::kInt64:
      return static_cast<double>(static_cast<int64_t>(bits));
    case GgufValueType::kFloat32: {
      float f;
      const auto low = static_cast<uint32_t>(bits);
      std::memcpy(&f, &low, sizeof(f));
      return f;
    }
    case GgufValueType::kFloat64: {
      double f;
      std::memcpy(&f, &bits, sizeof(f));
      return f;
    }
    default:
      return 0.0;
  }
}

const GgufValue* FindGgufValue(const std::vector<GgufKeyValue>& metadata, const std::string& key) {
  for (const GgufKeyValue& entry : metadata) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

uint32_t GgufAlignment(const std::vector<GgufKeyValue>& metadata, core::ErrorKind kind) {
  const GgufValue* value = FindGgufValue(metadata, kGgufAlignmentKey);
  if (value == nullptr) return kGgufDefaultAlignment;
  const std::string where = std::string("GGUF metadata ") + Quoted(kGgufAlignmentKey) + ": ";
  if (value->type != GgufValueType::kUint32) {
    core::Fail(kind, where + "type is " + GgufValueTypeName(value->type) + ", expected UINT32");
  }
  const uint64_t alignment = value->bits;
  if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > kGgufMaxAlignment) {
    core::Fail(kind, where + std::to_string(alignment) + " is not a power of two up to " +
                         std::to_string(kGgufMaxAlignment));
  }
  return static_cast<uint32_t>(alignment);
}

uint64_t GgufTensorBytes(const std::vector<uint64_t>& dims, uint32_t type, core::ErrorKind kind,
                         const std::string& where) {
  const GgmlTypeTraits* traits = FindGgmlType(type);
  if (traits == nullptr) {
    core::Fail(kind, where + ": ggml type " + std::to_string(type) + " is unknown or unsupported");
  }
  if (dims.size() > kGgufMaxDims) {
    core::Fail(kind, where + ": " + std::to_string(dims.size()) + " dims, more than ggml's " +
                         std::to_string(kGgufMaxDims));
  }
  // ggml reads the dims as int64_t and refuses negative ones.
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      core::Fail(kind, where + ": ne[" + std::to_string(d) + "] = " + std::to_string(dims[d]) +
                           " is negative as int64");
    }
  }
  const uint64_t ne0 = dims.empty() ? 1 : dims[0];
  if (ne0 % traits->block_size != 0) {
    core::Fail(kind, where + ": ne[0] = " + std::to_string(ne0) + " is not a multiple of " +
                         traits->name + "'s block of " + std::to_string(traits->block_size));
  }
  // Bytes of a row, then times each outer dim; everything below 2^63 (ggml
  // counts elements in int64_t and bytes in size_t).
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  const auto too_large = [&] {
    core::Fail(kind, where + ": " + std::to_string(dims.size()) +
                         " dims of that size hold more than 2^63 elements or bytes");
  };
  const uint64_t blocks = ne0 / traits->block_size;
  if (blocks > (kLimit - 1) / traits->block_bytes) too_large();
  uint64_t elements = ne0, bytes = blocks * traits->block_bytes;
  for (size_t d = 1; d < dims.size(); ++d) {
    if (dims[d] == 0) return 0;
  }
  for (size_t d = 1; d < dims.size(); ++d) {
    if ((elements != 0 && dims[d] > (kLimit - 1) / elements) ||
        (bytes != 0 && dims[d] > (kLimit - 1) / bytes)) {
      too_large();
    }
    elements *= dims[d];
    bytes *= dims[d];
  }
  return bytes;
}

}  // namespace qtensor::io
