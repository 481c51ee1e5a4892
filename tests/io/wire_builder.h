// Hand-built protobuf wire bytes for tests: any field, in any order, with any
// wire type, including encodings the library itself never writes. A test
// oracle, deliberately independent of the library's own encoder
// (src/io/wire_format.h): field numbers and wire types are written out here
// as literals, so a mistake there cannot hide in both.
#ifndef QTENSOR_TESTS_IO_WIRE_BUILDER_H_
#define QTENSOR_TESTS_IO_WIRE_BUILDER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace wire {

inline std::string Varint(uint64_t value) {
  std::string out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}

inline std::string Tag(uint32_t number, uint32_t wire_type) {
  return Varint((static_cast<uint64_t>(number) << 3) | wire_type);
}

inline std::string VarintField(uint32_t number, uint64_t value) {
  return Tag(number, 0) + Varint(value);
}

inline std::string BytesField(uint32_t number, const std::string& payload) {
  return Tag(number, 2) + Varint(payload.size()) + payload;
}

inline std::string DoubleField(uint32_t number, double value) {
  char bytes[8];
  std::memcpy(bytes, &value, 8);
  return Tag(number, 1) + std::string(bytes, 8);
}

inline std::string Group(uint32_t number, const std::string& content) {
  return Tag(number, 3) + content + Tag(number, 4);
}

// A qtensor.v1.Tensor: per tensor, scale 0.5, zero point 0.
inline std::string TensorMessage(int dtype, const std::vector<int64_t>& shape) {
  std::string out = VarintField(1, static_cast<uint64_t>(dtype));
  for (int64_t size : shape) out += VarintField(2, static_cast<uint64_t>(size));
  return out + VarintField(3, 1) + DoubleField(4, 0.5);
}

inline std::string Header() { return BytesField(1, "qtensor") + VarintField(2, 1); }

inline std::string TensorFile(const std::string& tensor) {
  return Header() + BytesField(3, tensor);
}

inline std::string BundleFile(const std::string& bundle) {
  return Header() + BytesField(4, bundle);
}

}  // namespace wire

#endif  // QTENSOR_TESTS_IO_WIRE_BUILDER_H_
