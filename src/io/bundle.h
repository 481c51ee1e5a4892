// A bundle: named entries in insertion order plus string metadata (a state
// dict). Each entry is a quantized tensor or an unquantized float array
// (io/float_array.h). Names and metadata keys are non-empty; names are
// unique across both kinds.
#ifndef QTENSOR_IO_BUNDLE_H_
#define QTENSOR_IO_BUNDLE_H_

#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/tensor.h"
#include "io/float_array.h"

namespace qtensor::io {

using BundleEntry = std::variant<core::Tensor, FloatArray>;

struct Bundle {
  std::vector<std::pair<std::string, BundleEntry>> entries;
  std::map<std::string, std::string> metadata;  // sorted by key
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_BUNDLE_H_
