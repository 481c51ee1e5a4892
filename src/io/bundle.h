// A bundle: named tensors in insertion order plus string metadata (a state
// dict). Names and metadata keys are non-empty; names are unique.
#ifndef QTENSOR_IO_BUNDLE_H_
#define QTENSOR_IO_BUNDLE_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"

namespace qtensor::io {

struct Bundle {
  std::vector<std::pair<std::string, core::Tensor>> tensors;
  std::map<std::string, std::string> metadata;  // sorted by key
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_BUNDLE_H_
