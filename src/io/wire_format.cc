#include "io/wire_format.h"

#include <google/protobuf/io/coded_stream.h>

#include "qtensor.pb.h"

namespace qtensor::io {

const uint32_t kFileTensorTag = WireTag(v1::File::kTensorFieldNumber, kWireLengthDelimited);
const uint32_t kFileBundleTag = WireTag(v1::File::kBundleFieldNumber, kWireLengthDelimited);
const uint32_t kBundleTensorsTag = WireTag(v1::Bundle::kTensorsFieldNumber, kWireLengthDelimited);
const uint32_t kTensorDataTag = WireTag(v1::Tensor::kDataFieldNumber, kWireLengthDelimited);
const uint32_t kTensorNameTag = WireTag(v1::Tensor::kNameFieldNumber, kWireLengthDelimited);
const uint32_t kContainerFormatVersionTag =
    WireTag(v1::ContainerHeader::kFormatVersionFieldNumber, kWireVarint);
const uint32_t kContainerEntriesTag =
    WireTag(v1::ContainerHeader::kEntriesFieldNumber, kWireLengthDelimited);
const uint32_t kContainerMetadataTag =
    WireTag(v1::ContainerHeader::kMetadataFieldNumber, kWireLengthDelimited);

size_t MaxGroupDepth() {
  return static_cast<size_t>(google::protobuf::io::CodedInputStream::GetDefaultRecursionLimit());
}

size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

uint8_t* WriteVarint(uint8_t* out, uint64_t value) {
  while (value >= 0x80) {
    *out++ = static_cast<uint8_t>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<uint8_t>(value);
  return out;
}

void AppendVarint(std::string* out, uint64_t value) {
  uint8_t bytes[kMaxVarintBytes];
  const uint8_t* end = WriteVarint(bytes, value);
  out->append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(end - bytes));
}

bool ReadVarint(const uint8_t** pos, const uint8_t* end, int max_bytes, uint64_t* value) {
  const uint8_t* p = *pos;
  uint64_t result = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (p + i == end) return false;
    const uint8_t byte = p[i];
    result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      *value = result;
      *pos = p + i + 1;
      return true;
    }
  }
  return false;
}

}  // namespace qtensor::io
