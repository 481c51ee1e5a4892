// What protobuf alone makes of an input, the yardstick of the decoder that
// keeps the tensors' values out of protobuf (src/io/data_fields.h).
#ifndef QTENSOR_TESTS_IO_PROTOBUF_REFERENCE_H_
#define QTENSOR_TESTS_IO_PROTOBUF_REFERENCE_H_

#include <string>

#include "qtensor.pb.h"

namespace reference {

// ParseFromArray on the whole input, quietly.
bool Parse(const std::string& bytes, qtensor::v1::File* file);

// Checks that SplitDataFields plus protobuf's parse of the split message
// accept exactly the inputs protobuf accepts, and that the two parses give
// the same File once each data field is put back. Returns protobuf's verdict.
bool CheckSplitMatchesProtobuf(const std::string& input);

// The outcome of decoding a single tensor the way the library did before the
// values were split off (protobuf parses everything): "ok" with the shape
// and the integers' bytes, or the error message.
std::string OldTensorOutcome(const std::string& input);

// The same outcome from the library's decoder.
std::string TensorOutcome(const std::string& input);

}  // namespace reference

#endif  // QTENSOR_TESTS_IO_PROTOBUF_REFERENCE_H_
