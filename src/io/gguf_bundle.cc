#include "io/gguf_bundle.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <variant>

#include "core/error.h"
#include "core/gguf_blocks.h"
#include "io/file_io.h"
#include "io/gguf_file.h"
#include "io/gguf_metadata_text.h"
#include "io/gguf_reader.h"
#include "io/gguf_writer.h"
#include "io/utf8.h"
#include "io/validate.h"

namespace qtensor::io {
namespace {

using core::ErrorKind;
using core::Fail;

// A name or key of the file as bundle text: UTF-8, not empty, no NUL.
std::string BundleText(const std::string& bytes, const std::string& what) {
  if (bytes.empty() || !IsValidUtf8(bytes) || bytes.find('\0') != std::string::npos) {
    Fail(ErrorKind::kCorruptData, "GGUF " + what + " " + Quoted(bytes) +
                                      " cannot name a bundle entry: names are non-empty UTF-8 "
                                      "without NUL");
  }
  return bytes;
}

// GGUF's ne (innermost first) as a shape (outermost first), and back.
std::vector<int64_t> ShapeOf(const std::vector<uint64_t>& dims) {
  return std::vector<int64_t>(dims.rbegin(), dims.rend());  // each < 2^63 (the reader checks)
}

std::vector<uint64_t> DimsOf(const std::vector<int64_t>& shape) {
  return std::vector<uint64_t>(shape.rbegin(), shape.rend());
}

// GGUF's F32, F16 and BF16 tensors are float entries of that dtype.
std::optional<FloatDType> FloatDTypeOfGgml(uint32_t type) {
  switch (static_cast<GgmlType>(type)) {
    case GgmlType::kF32:
      return FloatDType::kFloat32;
    case GgmlType::kF16:
      return FloatDType::kFloat16;
    case GgmlType::kBF16:
      return FloatDType::kBFloat16;
    default:
      return std::nullopt;
  }
}

GgmlType GgmlTypeOf(FloatDType dtype) {
  return dtype == FloatDType::kFloat32   ? GgmlType::kF32
         : dtype == FloatDType::kFloat16 ? GgmlType::kF16
                                         : GgmlType::kBF16;
}

void CheckGgufRank(const std::string& where, size_t ndim) {
  if (ndim > kGgufMaxDims) {
    Fail(ErrorKind::kInvalidArgument,
         where + " has " + std::to_string(ndim) + " dims: GGUF tensors have at most 4");
  }
}

core::Tensor TensorOf(const GgufTensor& info, const std::string& where) {
  const auto type = static_cast<GgmlType>(info.type);
  if (type != GgmlType::kQ8_0 && type != GgmlType::kQ4_0) {
    const GgmlTypeTraits* traits = FindGgmlType(info.type);
    Fail(ErrorKind::kCorruptData, where + " is of ggml type " +
                                      (traits != nullptr ? traits->name : "?") +
                                      ": qtensor reads " + kGgufReadableTypes + " tensors");
  }
  const auto block_type = static_cast<core::GgufBlockType>(info.type);
  try {
    return core::TensorFromGgufBlocks(block_type, ShapeOf(info.dims), info.data);
  } catch (const core::Error& error) {
    Fail(ErrorKind::kCorruptData, where + ": " + error.what());
  }
}

GgufTensor GgufTensorOf(const std::string& name, const core::Tensor& tensor,
                        std::vector<std::vector<uint8_t>>& bytes) {
  const std::string where = "tensor '" + name + "'";
  std::string why_not;
  const auto type = core::GgufBlockTypeOf(tensor, &why_not);
  if (!type) Fail(ErrorKind::kInvalidArgument, where + " does not fit GGUF: " + why_not);
  CheckGgufRank(where, tensor.ndim());
  bytes.push_back(core::GgufBlocksOf(tensor, *type));
  GgufTensor info;
  info.name = name;
  info.dims = DimsOf(tensor.shape());
  info.type = static_cast<uint32_t>(*type);
  info.data = bytes.back().data();
  info.size = bytes.back().size();
  return info;
}

// A float entry's bytes are GGUF's as they are (the bundle keeps them alive).
GgufTensor GgufTensorOf(const std::string& name, const FloatArray& array,
                        std::vector<std::vector<uint8_t>>& /*bytes*/) {
  CheckGgufRank("float entry '" + name + "'", array.shape.size());
  GgufTensor info;
  info.name = name;
  info.dims = DimsOf(array.shape);
  info.type = static_cast<uint32_t>(GgmlTypeOf(array.dtype));
  info.data = array.data;
  info.size = array.size;
  return info;
}

BundleEntry EntryOf(const GgufTensor& info, const std::string& where) {
  const std::optional<FloatDType> dtype = FloatDTypeOfGgml(info.type);
  if (!dtype) return TensorOf(info, where);
  try {
    return FloatArray::Copy(*dtype, ShapeOf(info.dims), info.data, info.size);
  } catch (const core::Error& error) {
    Fail(ErrorKind::kCorruptData, where + ": " + error.what());
  }
}

}  // namespace

bool GgufTypeIsReadable(uint32_t type) {
  return FloatDTypeOfGgml(type).has_value() || type == static_cast<uint32_t>(GgmlType::kQ8_0) ||
         type == static_cast<uint32_t>(GgmlType::kQ4_0);
}

Bundle BundleFromGguf(const uint8_t* data, size_t size) {
  const GgufFile file = ReadGguf(data, size);
  Bundle bundle;
  for (const GgufKeyValue& entry : file.metadata) {
    bundle.metadata.emplace(BundleText(entry.key, "metadata key"), GgufValueText(entry.value));
  }
  for (size_t i = 0; i < file.tensors.size(); ++i) {
    const GgufTensor& info = file.tensors[i];
    const std::string where = "GGUF tensors[" + std::to_string(i) + "] (" + Quoted(info.name) + ")";
    bundle.entries.emplace_back(BundleText(info.name, "tensor name"), EntryOf(info, where));
  }
  return bundle;
}

std::string GgufFromBundle(const Bundle& bundle) {
  GgufFile file;
  for (const auto& [key, text] : bundle.metadata) {
    GgufValue value;
    try {
      value = ParseGgufValueText(text);
    } catch (const core::Error&) {
      value = GgufValue::String(text);  // plain bundle metadata: a GGUF string
    }
    file.metadata.push_back({key, std::move(value)});
  }
  std::vector<std::vector<uint8_t>> bytes;  // the tensors' blocks, kept until written
  bytes.reserve(bundle.entries.size());
  for (const auto& [name, entry] : bundle.entries) {
    std::visit([&, &name = name](
                   const auto& value) { file.tensors.push_back(GgufTensorOf(name, value, bytes)); },
               entry);
  }
  return WriteGguf(file);
}

Bundle LoadGgufBundle(const std::string& path) {
  const std::string bytes = ReadFileCapped(path, std::numeric_limits<uint64_t>::max());
  try {
    return BundleFromGguf(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (const core::Error& error) {
    if (error.kind() != ErrorKind::kCorruptData) throw;
    Fail(error.kind(), "'" + path + "': " + error.what());
  }
}

void SaveGgufBundle(const Bundle& bundle, const std::string& path) {
  const std::string bytes = GgufFromBundle(bundle);
  WriteFileAtomically(path, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace qtensor::io
