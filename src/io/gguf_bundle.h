// GGUF files as bundles (docs/gguf.md, "GGUF and bundles"): a file's
// Q8_0 and Q4_0 tensors become per-block tensors (core/gguf_blocks.h), its
// F32, F16 and BF16 tensors float entries, and each metadata key-value a
// metadata entry whose value is the typed text of io/gguf_metadata_text.h.
// Writing does the reverse, so GGUF -> bundle -> GGUF gives the same tensor
// bytes and metadata values.
#ifndef QTENSOR_IO_GGUF_BUNDLE_H_
#define QTENSOR_IO_GGUF_BUNDLE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "io/bundle.h"

namespace qtensor::io {

// The ggml types a bundle holds, by id, and their names for messages.
bool GgufTypeIsReadable(uint32_t type);
inline constexpr char kGgufReadableTypes[] = "F32, F16, BF16, Q8_0 and Q4_0";

// The bundle of a GGUF file in memory (io/gguf_reader.h reads it). Throws
// core::Error of kind kCorruptData as the reader does, and for a tensor of
// another ggml type or a block scale a tensor cannot hold, naming the
// tensor; the tensors are copies.
Bundle BundleFromGguf(const uint8_t* data, size_t size);

// The GGUF file of a bundle. Throws kInvalidArgument naming the tensor for
// one GGUF cannot hold (a quantized tensor not in Q8_0's or Q4_0's form,
// more than 4 dims, a name over 63 bytes) and naming the key for a value
// the writer refuses.
std::string GgufFromBundle(const Bundle& bundle);

Bundle LoadGgufBundle(const std::string& path);
void SaveGgufBundle(const Bundle& bundle, const std::string& path);

}  // namespace qtensor::io

#endif  // QTENSOR_IO_GGUF_BUNDLE_H_
