// Checks of a decoded tensor message, made before anything is allocated for
// its values. Each failure is a core::Error of kind kCorruptData whose
// message starts with `where` and names the offending field.
#ifndef QTENSOR_IO_VALIDATE_H_
#define QTENSOR_IO_VALIDATE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "core/quantizer.h"
#include "io/float_array.h"
#include "qtensor.pb.h"

namespace qtensor::io {

// What a valid message describes: its shape and quantizer (a per-channel
// axis in [0, rank), with shape[axis] channels), for values of exactly the
// length it was checked with.
struct ValidTensor {
  std::vector<int64_t> shape;
  core::Quantizer quantizer;
};

// Checks, in this order: dtype, qscheme, rank, dims, element count and byte
// size, the scheme's fields (the other scheme's fields unset, axis, lengths,
// scale and zero point values), data length. docs/format.md lists each rule.
// data_bytes is the length of the message's values, which the decoder keeps
// apart from the message (io/data_fields.h).
ValidTensor ValidateTensor(const v1::Tensor& message, uint64_t data_bytes,
                           const std::string& where);

// What a quantized tensor message says apart from its per-channel or
// per-block parameter values, which a container keeps outside the message.
struct TensorLayout {
  core::DType dtype = core::DType::kQInt8;
  v1::QScheme qscheme = v1::PER_TENSOR_AFFINE;
  std::vector<int64_t> shape;
  core::QuantizerForms forms;
  int64_t axis = 0;        // the scheme's axis (0 per tensor)
  int64_t block_size = 0;  // per block only
  // How many scales (and zero points) the scheme has: shape[axis] per
  // channel, ONNX's count per block, 0 per tensor.
  int64_t parameters = 0;
  // The whole quantizer of a per-tensor message (its parameters are fields).
  std::optional<core::Quantizer> per_tensor;
};

// ValidateTensor's checks but those of the parameter arrays (their lengths
// and values), in the same order: what a container checks when it is
// opened.
TensorLayout ValidateTensorLayout(const v1::Tensor& message, uint64_t data_bytes,
                                  const std::string& where);

// A per-channel or per-block tensor's parameters, one per parameter (for
// the float-qparams scheme, float_zero_points instead of zero_points).
struct QuantizerArrays {
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  std::vector<float> float_zero_points;
};

// The quantizer of layout with these parameters, of layout.parameters
// each: each value checked as ValidateTensor checks the message's
// (kCorruptData starting with where).
core::Quantizer LayoutQuantizer(const TensorLayout& layout, QuantizerArrays arrays,
                                const std::string& where);

// Whether the message is a bundle's float entry (dtype DTYPE_FLOAT32 to
// DTYPE_BFLOAT16), which ValidateFloatArray checks; ValidateTensor refuses it.
bool IsFloatEntry(const v1::Tensor& message);

struct ValidFloatArray {
  FloatDType dtype;
  std::vector<int64_t> shape;
};

// Checks, in this order: every quantization field unset, rank, dims, element
// count and byte size, data length (docs/format.md).
ValidFloatArray ValidateFloatArray(const v1::Tensor& message, uint64_t data_bytes,
                                   const std::string& where);

using ValidEntry = std::variant<ValidTensor, ValidFloatArray>;

// The names of a list of named entries (a bundle's tensors, a container's
// entries), checked one by one: each non-empty, without a NUL byte (the C
// ABI hands names out as C strings) and unique. Messages start with
// "OWNER LIST[i]".
class EntryNames {
 public:
  EntryNames(std::string owner, std::string list)
      : owner_(std::move(owner)), list_(std::move(list)) {}
  // Checks the next entry's name; returns the prefix of its messages,
  // "OWNER LIST[i] ("name")".
  std::string Check(const std::string& name);

 private:
  std::string owner_, list_;
  int next_ = 0;
  std::unordered_map<std::string, int> first_index_;
};

// The checks of entry index's name that need no other name: non-empty,
// without a NUL byte. Returns the prefix of its messages,
// "OWNER LIST[index] ("name")".
std::string CheckEntryName(const std::string& owner, const std::string& list, size_t index,
                           const std::string& name);
// Fails for the entry whose messages start with where: its name is also
// that of LIST[first].
[[noreturn]] void FailDuplicateName(const std::string& where, const std::string& list,
                                    size_t first);

// The next entry of a list: its name (EntryNames) and its fields, as a
// float entry (ValidateFloatArray) or a quantized tensor (ValidateTensor).
ValidEntry ValidateEntry(const v1::Tensor& message, uint64_t data_bytes, EntryNames* names);
// The same without the name, for an entry whose messages start with where.
ValidEntry ValidateEntryFields(const v1::Tensor& message, uint64_t data_bytes,
                               const std::string& where);

// A bundle's or container's metadata: no key empty, no NUL byte in a key or
// value. Messages start with owner ("bundle").
void ValidateMetadata(const google::protobuf::Map<std::string, std::string>& metadata,
                      const std::string& owner);
// The same rules for one pair.
void ValidateMetadataPair(const std::string& key, const std::string& value,
                          const std::string& owner);

// Checks a format_version: at least 1 and at most the version this library
// reads (io/file_header.h). `field` names it in the message.
void ValidateFormatVersion(uint32_t version, const std::string& field);

// Untrusted text for a message: quoted, at most 40 characters, bytes
// outside printable ASCII as \xNN.
std::string Quoted(const std::string& text);

// Checks magic and format_version of a parsed file.
void ValidateHeader(const v1::File& file);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_VALIDATE_H_
