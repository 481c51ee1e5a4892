// GGUF: its block types as tensors (qt_quantizer_new_gguf, qt_quantize_gguf)
// and its files as bundles (qt_bundle_*_gguf).
#include <cstring>

#include "capi/handles.h"
#include "core/gguf_blocks.h"
#include "core/memory_block.h"
#include "io/gguf_bundle.h"
#include "io/gguf_describe.h"

using qtensor::capi::ArrayArgument;
using qtensor::capi::FloatDataArgument;
using qtensor::capi::Guard;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::ShapeArgument;
using qtensor::core::GgufBlockType;

namespace {

GgufBlockType GgufTypeArgument(const qt_gguf_type& type) {
  const int32_t value = qtensor::capi::EnumValue(type);
  if (!qtensor::core::IsGgufBlockType(value)) {
    qtensor::core::Fail(qtensor::core::ErrorKind::kInvalidArgument,
                        "unknown GGUF type " + std::to_string(value) +
                            " (expected QT_GGUF_Q4_0 = 2 or QT_GGUF_Q8_0 = 8)");
  }
  return static_cast<GgufBlockType>(value);
}

}  // namespace

extern "C" {

qt_status qt_quantizer_new_gguf(qt_quantizer** out, qt_gguf_type type, const double* scales,
                                size_t count) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_quantizer{qtensor::core::GgufQuantizer(GgufTypeArgument(type),
                                                         ArrayArgument(scales, count, "scales"))};
  });
}

qt_status qt_quantize_gguf(qt_tensor** out, const float* data, const int64_t* shape, size_t ndim,
                           qt_gguf_type type) {
  return Guard([&] {
    Required(out, "out");
    const GgufBlockType block_type = GgufTypeArgument(type);
    const std::vector<int64_t> dims = ShapeArgument(shape, ndim);
    FloatDataArgument(data, dims);
    ReturnTensor(out, qtensor::core::QuantizeGgufBlocks(block_type, data, dims));
  });
}

qt_status qt_bundle_serialize_gguf(uint8_t** out, size_t* out_size, const qt_bundle* bundle) {
  return Guard([&] {
    const qtensor::io::Bundle& contents = Required(bundle, "bundle")->bundle;
    Required(out, "out");
    Required(out_size, "out_size");
    const std::string bytes = qtensor::io::GgufFromBundle(contents);
    // A malloc block, as qt_buffer_free expects.
    qtensor::core::MemoryBlock buffer = qtensor::core::AllocateBlock(bytes.size());
    std::memcpy(buffer.get(), bytes.data(), bytes.size());
    *out_size = bytes.size();
    *out = buffer.release();
  });
}

qt_status qt_bundle_deserialize_gguf(qt_bundle** out, const uint8_t* data, size_t size) {
  return Guard([&] {
    Required(out, "out");
    if (size > 0) Required(data, "data");
    *out = new qt_bundle(qtensor::io::BundleFromGguf(data, size));
  });
}

qt_status qt_bundle_save_gguf(const qt_bundle* bundle, const char* path) {
  return Guard([&] {
    qtensor::io::SaveGgufBundle(Required(bundle, "bundle")->bundle, Required(path, "path"));
  });
}

qt_status qt_describe_gguf(char** out, const uint8_t* data, size_t size) {
  return Guard([&] {
    Required(out, "out");
    if (size > 0) Required(data, "data");
    qtensor::capi::ReturnString(out, qtensor::io::DescribeGguf(data, size));
  });
}

qt_status qt_bundle_load_gguf(qt_bundle** out, const char* path) {
  return Guard([&] {
    Required(out, "out");
    *out = new qt_bundle(qtensor::io::LoadGgufBundle(Required(path, "path")));
  });
}

}  // extern "C"
