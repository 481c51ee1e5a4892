// A container entry's per-channel or per-block parameters as payloads
// (docs/format.md, "The container"): the scales as little-endian values of
// the entry's scale type (8, 4 or 2 bytes each), the zero points in the
// dtype's storage form (as a 1-D tensor of them would store them: packed for
// the sub-byte dtypes, the first in the low bits), or float32 for the
// float-qparams scheme. Kept out of the header, so that the header's size
// grows with the number of entries, not with their parameters.
#ifndef QTENSOR_IO_PARAMETER_PAYLOAD_H_
#define QTENSOR_IO_PARAMETER_PAYLOAD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "io/validate.h"
#include "qtensor.pb.h"

namespace qtensor::io {

// The exact byte lengths of layout's two parameter payloads (its
// parameters count of each).
uint64_t ScalePayloadBytes(const TensorLayout& layout);
uint64_t ZeroPointPayloadBytes(const TensorLayout& layout);

// The two payloads of a quantized tensor message's parameter lists (which
// the message's dtype, scale type and scheme describe, and which are valid:
// each scale a value of the scale type, each zero point in range).
struct ParameterPayloads {
  std::vector<uint8_t> scales;
  std::vector<uint8_t> zero_points;
};
ParameterPayloads EncodeParameters(const v1::Tensor& message);

// The parameter lists the payloads hold, of exactly the lengths above.
// kCorruptData, starting with where, if a packed dtype's last byte has a
// bit set past its last zero point; every value is checked by
// LayoutQuantizer.
QuantizerArrays DecodeParameters(const TensorLayout& layout, const uint8_t* scales,
                                 const uint8_t* zero_points, const std::string& where);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_PARAMETER_PAYLOAD_H_
