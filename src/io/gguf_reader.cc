#include "io/gguf_reader.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/error.h"
#include "io/validate.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the GGUF reader copies little-endian numbers as they are");

namespace qtensor::io {
namespace {

using core::ErrorKind;

[[noreturn]] void Corrupt(const std::string& where, const std::string& what) {
  core::Fail(ErrorKind::kCorruptData, "GGUF " + where + ": " + what);
}

// The least bytes one value of `type` takes in a file: what a count of
// them is checked against before anything is reserved.
uint64_t MinimumBytes(GgufValueType type) {
  if (type == GgufValueType::kString) return 8;     // the length
  if (type == GgufValueType::kArray) return 4 + 8;  // element type, count
  return GgufFixedSize(type);
}

// Reads the input front to back; every read checks the bytes left first.
class Cursor {
 public:
  Cursor(const uint8_t* data, size_t size) : begin_(data), pos_(data), end_(data + size) {}

  uint64_t offset() const { return static_cast<uint64_t>(pos_ - begin_); }
  uint64_t left() const { return static_cast<uint64_t>(end_ - pos_); }

  const uint8_t* Take(uint64_t n, const std::string& where, const char* what) {
    if (n > left()) {
      Corrupt(where, std::string("truncated: ") + what + " at byte " + std::to_string(offset()) +
                         " needs " + std::to_string(n) + " bytes, " + std::to_string(left()) +
                         " left");
    }
    const uint8_t* at = pos_;
    pos_ += n;
    return at;
  }

  uint32_t U32(const std::string& where, const char* what) {
    uint32_t v;
    std::memcpy(&v, Take(4, where, what), 4);
    return v;
  }
  uint64_t U64(const std::string& where, const char* what) {
    uint64_t v;
    std::memcpy(&v, Take(8, where, what), 8);
    return v;
  }
  std::string String(uint64_t max_bytes, const std::string& where, const char* what) {
    const uint64_t length = U64(where, what);
    if (length > max_bytes) {
      Corrupt(where, std::string(what) + " of " + std::to_string(length) +
                         " bytes is longer than the limit of " + std::to_string(max_bytes));
    }
    const uint8_t* bytes = Take(length, where, what);
    return std::string(reinterpret_cast<const char*>(bytes), length);
  }

 private:
  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
};

GgufValueType ValueType(uint32_t id, const std::string& where, const char* what) {
  if (id >= kGgufValueTypeCount) {
    Corrupt(where, std::string(what) + " " + std::to_string(id) +
                       " is unknown (expected 0 to 12, UINT8 to FLOAT64)");
  }
  return static_cast<GgufValueType>(id);
}

void CheckBools(const std::string& bytes, const std::string& where) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (static_cast<uint8_t>(bytes[i]) > 1) {
      Corrupt(where, "BOOL " + std::to_string(i) + " is " +
                         std::to_string(static_cast<uint8_t>(bytes[i])) + ", not 0 or 1");
    }
  }
}

GgufArray ReadArray(Cursor& in, uint32_t depth, const std::string& where);

GgufValue ReadValue(Cursor& in, GgufValueType type, const std::string& where) {
  if (type == GgufValueType::kString) {
    return GgufValue::String(in.String(kGgufMaxStringBytes, where, "STRING value"));
  }
  if (type == GgufValueType::kArray) return GgufValue::Array(ReadArray(in, 1, where));
  const size_t width = GgufFixedSize(type);
  GgufValue value;
  value.type = type;
  std::memcpy(&value.bits, in.Take(width, where, "value"), width);
  if (type == GgufValueType::kBool && value.bits > 1) {
    Corrupt(where, "BOOL is " + std::to_string(value.bits) + ", not 0 or 1");
  }
  return value;
}

GgufArray ReadArray(Cursor& in, uint32_t depth, const std::string& where) {
  if (depth > kGgufMaxArrayDepth) {
    Corrupt(where, "arrays nested deeper than " + std::to_string(kGgufMaxArrayDepth));
  }
  GgufArray array;
  array.element_type = ValueType(in.U32(where, "array element type"), where, "array element type");
  const uint64_t count = in.U64(where, "array length");
  // Checked before reserving: no count can make us allocate more than a
  // small multiple of the input.
  const uint64_t least = MinimumBytes(array.element_type);
  if (count > in.left() / least) {
    Corrupt(where, "array of " + std::to_string(count) + " " +
                       GgufValueTypeName(array.element_type) + " needs at least " +
                       std::to_string(least) + " bytes each, " + std::to_string(in.left()) +
                       " left");
  }
  switch (array.element_type) {
    case GgufValueType::kString:
      array.strings.reserve(count);
      for (uint64_t i = 0; i < count; ++i) {
        array.strings.push_back(in.String(kGgufMaxStringBytes, where, "STRING element"));
      }
      break;
    case GgufValueType::kArray:
      array.arrays.reserve(count);
      for (uint64_t i = 0; i < count; ++i) array.arrays.push_back(ReadArray(in, depth + 1, where));
      break;
    default: {
      const uint64_t bytes = count * least;
      array.fixed.assign(reinterpret_cast<const char*>(in.Take(bytes, where, "array")), bytes);
      if (array.element_type == GgufValueType::kBool) CheckBools(array.fixed, where);
    }
  }
  return array;
}

void ReadHeader(Cursor& in, GgufFile* file, uint64_t* tensors, uint64_t* key_values) {
  const std::string where = "header";
  const uint8_t* magic = in.Take(4, where, "magic");
  if (std::memcmp(magic, kGgufMagic, 4) != 0) {
    Corrupt(where, "magic is " + Quoted(std::string(reinterpret_cast<const char*>(magic), 4)) +
                       ", expected \"GGUF\": not a GGUF file");
  }
  file->version = in.U32(where, "version");
  if ((file->version & 0xffff) == 0 && file->version != 0) {
    Corrupt(where, "version " + std::to_string(file->version) +
                       " looks byte-swapped: big-endian GGUF files are not read");
  }
  if (file->version < kGgufOldestVersionRead || file->version > kGgufVersionWritten) {
    Corrupt(where, "version " + std::to_string(file->version) + " is not read (only 2 and 3)");
  }
  *tensors = in.U64(where, "tensor count");
  *key_values = in.U64(where, "metadata count");
  if (*tensors > kGgufMaxTensors) {
    Corrupt(where, "tensor count " + std::to_string(*tensors) + " is over the limit of " +
                       std::to_string(kGgufMaxTensors));
  }
  if (*key_values > kGgufMaxKeyValues) {
    Corrupt(where, "metadata count " + std::to_string(*key_values) + " is over the limit of " +
                       std::to_string(kGgufMaxKeyValues));
  }
  // A key-value takes at least 13 bytes, a tensor info 24: the counts are
  // checked against the input before anything is reserved for them.
  if (*key_values * 13 + *tensors * 24 > in.left()) {
    Corrupt(where, std::to_string(*key_values) + " key-values and " + std::to_string(*tensors) +
                       " tensors cannot fit in the " + std::to_string(in.left()) + " bytes left");
  }
}

void ReadMetadata(Cursor& in, uint64_t count, GgufFile* file) {
  file->metadata.reserve(count);
  std::unordered_set<std::string> keys;
  for (uint64_t i = 0; i < count; ++i) {
    std::string where = "metadata[" + std::to_string(i) + "]";
    std::string key = in.String(kGgufMaxKeyBytes, where, "key");
    where += " (" + Quoted(key) + ")";
    if (!keys.insert(key).second) Corrupt(where, "duplicate key");
    const GgufValueType type = ValueType(in.U32(where, "value type"), where, "value type");
    file->metadata.push_back({std::move(key), ReadValue(in, type, where)});
  }
}

std::string TensorWhere(uint64_t i, const std::string& name) {
  return "tensors[" + std::to_string(i) + "] (" + Quoted(name) + ")";
}

void ReadTensorInfos(Cursor& in, uint64_t count, GgufFile* file) {
  file->tensors.reserve(count);
  std::unordered_set<std::string> names;
  for (uint64_t i = 0; i < count; ++i) {
    GgufTensor tensor;
    std::string where = "tensors[" + std::to_string(i) + "]";
    tensor.name = in.String(kGgufMaxTensorNameBytes, where, "name");
    where = TensorWhere(i, tensor.name);
    if (!names.insert(tensor.name).second) Corrupt(where, "duplicate tensor name");
    const uint32_t n_dims = in.U32(where, "n_dims");
    if (n_dims > kGgufMaxDims) {
      Corrupt(where, "n_dims " + std::to_string(n_dims) + " is more than ggml's " +
                         std::to_string(kGgufMaxDims));
    }
    for (uint32_t d = 0; d < n_dims; ++d) tensor.dims.push_back(in.U64(where, "dim"));
    tensor.type = in.U32(where, "type");
    tensor.offset = in.U64(where, "offset");
    tensor.size =
        GgufTensorBytes(tensor.dims, tensor.type, ErrorKind::kCorruptData, "GGUF " + where);
    file->tensors.push_back(std::move(tensor));
  }
}

// Every tensor aligned, inside the input, and none overlapping another.
void PlaceTensors(const uint8_t* data, size_t size, GgufFile* file) {
  const uint64_t alignment = file->alignment;
  std::vector<size_t> order(file->tensors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  for (size_t i = 0; i < file->tensors.size(); ++i) {
    GgufTensor& tensor = file->tensors[i];
    const std::string where = TensorWhere(i, tensor.name);
    if (tensor.offset % alignment != 0) {
      Corrupt(where, "offset " + std::to_string(tensor.offset) + " is not a multiple of the " +
                         "alignment " + std::to_string(alignment));
    }
    const uint64_t room = size - file->data_offset;  // data_offset <= size, checked
    if (tensor.offset > room || tensor.size > room - tensor.offset) {
      Corrupt(where, "data at offset " + std::to_string(tensor.offset) + " of " +
                         std::to_string(tensor.size) + " bytes runs past the end of the file (" +
                         std::to_string(room) + " bytes of data)");
    }
    tensor.data = data + file->data_offset + tensor.offset;
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const GgufTensor& x = file->tensors[a];
    const GgufTensor& y = file->tensors[b];
    return x.offset != y.offset ? x.offset < y.offset : x.size < y.size;
  });
  uint64_t end = 0;
  size_t last = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const GgufTensor& tensor = file->tensors[order[k]];
    if (k > 0 && tensor.size > 0 && tensor.offset < end) {
      Corrupt(TensorWhere(order[k], tensor.name),
              "data overlaps that of " + TensorWhere(last, file->tensors[last].name));
    }
    if (tensor.offset + tensor.size > end) {
      end = tensor.offset + tensor.size;
      last = order[k];
    }
  }
}

}  // namespace

GgufFile ReadGguf(const uint8_t* data, size_t size) {
  Cursor in(data, size);
  GgufFile file;
  uint64_t tensors = 0, key_values = 0;
  ReadHeader(in, &file, &tensors, &key_values);
  ReadMetadata(in, key_values, &file);
  ReadTensorInfos(in, tensors, &file);
  file.alignment = GgufAlignment(file.metadata, ErrorKind::kCorruptData);
  // The data section starts at the next multiple of the alignment (the
  // padding may be missing at the end of a file without tensor data).
  const uint64_t padded = (in.offset() + file.alignment - 1) / file.alignment * file.alignment;
  file.data_offset = std::min<uint64_t>(padded, size);
  if (padded > size) {
    for (size_t i = 0; i < file.tensors.size(); ++i) {
      if (file.tensors[i].size > 0) {
        Corrupt("data section", "the padding to the alignment of " +
                                    std::to_string(file.alignment) +
                                    " runs past the end of the file");
      }
    }
  }
  PlaceTensors(data, size, &file);
  return file;
}

}  // namespace qtensor::io
