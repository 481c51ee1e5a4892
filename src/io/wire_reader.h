// Walking the fields of a protobuf message with the exact limits of
// protobuf 3.21's parser (io/wire_format.h), so that code built on it gives
// up on precisely the encodings that protobuf rejects and finds the same
// field boundaries as protobuf.
#ifndef QTENSOR_IO_WIRE_READER_H_
#define QTENSOR_IO_WIRE_READER_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::io {

// Reads the fields of one message, the bytes [begin, end). Every read fails
// (returns false, the position unspecified) where protobuf's parse of the
// same bytes would fail, and nowhere else.
class WireReader {
 public:
  WireReader(const uint8_t* begin, const uint8_t* end) : pos_(begin), end_(end) {}

  const uint8_t* position() const { return pos_; }
  bool AtEnd() const { return pos_ == end_; }

  // A tag of at most 5 bytes, decoded modulo 2^32 as protobuf does.
  bool ReadTag(uint32_t* tag);
  // A varint value of at most 10 bytes, its low 64 bits (protobuf keeps the
  // low 32 for a 32-bit field).
  bool ReadVarint(uint64_t* value);
  // The length prefix of a length-delimited field: at most 5 bytes, below
  // 2^31 - 16, and no more than the bytes left.
  bool ReadLength(size_t* length);
  // Moves over n bytes, if that many are left.
  bool Skip(size_t n);
  // Moves over the value of a field whose tag was just read, a group up to
  // and including its end tag. Fails for field number 0, an end-group tag
  // and the wire types 6 and 7, which protobuf rejects in a message.
  bool SkipValue(uint32_t tag);

 private:
  bool SkipVarint();
  bool SkipGroup(uint32_t start_tag);

  const uint8_t* pos_;
  const uint8_t* end_;
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_WIRE_READER_H_
