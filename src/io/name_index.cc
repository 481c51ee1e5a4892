#include "io/name_index.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "io/text_order.h"

namespace qtensor::io {
namespace {

// Names share blocks of this size; a name of more than a quarter of it gets
// a block of its own, so at most a quarter of a block is left unused when a
// name does not fit in what remains.
constexpr size_t kBlockBytes = size_t{64} << 10;

}  // namespace

char* NameIndex::Allocate(size_t bytes) {
  if (bytes > kBlockBytes / 4) {
    blocks_.push_back(std::make_unique<char[]>(bytes));
    return blocks_.back().get();
  }
  if (bytes > free_bytes_) {
    blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
    free_ = blocks_.back().get();
    free_bytes_ = kBlockBytes;
  }
  char* at = free_;
  free_ += bytes;
  free_bytes_ -= bytes;
  return at;
}

void NameIndex::Add(const std::string& name) {
  char* at = Allocate(name.size() + 1);
  std::memcpy(at, name.c_str(), name.size() + 1);
  names_.push_back(at);
}

std::optional<NameIndex::Duplicate> NameIndex::Finish() {
  // Indices fit 32 bits: a header of at most 256 MiB holds fewer entries.
  by_name_.resize(names_.size());
  std::iota(by_name_.begin(), by_name_.end(), uint32_t{0});
  SortByText(&by_name_, [&](uint32_t index) { return names_[index]; });
  std::optional<Duplicate> lowest;
  size_t first = 0;  // where the run of equal names starts in by_name_
  for (size_t k = 1; k < by_name_.size(); ++k) {
    if (std::strcmp(names_[by_name_[k]], names_[by_name_[first]]) != 0) {
      first = k;
    } else if (!lowest || by_name_[k] < lowest->later) {
      lowest = Duplicate{by_name_[k], by_name_[first]};
    }
  }
  return lowest;
}

size_t NameIndex::Find(const std::string& name) const {
  // A name with a NUL byte is no entry's (and would compare as its prefix).
  if (name.find('\0') != std::string::npos) return kNotFound;
  const auto found = std::lower_bound(
      by_name_.begin(), by_name_.end(), name,
      [&](uint32_t index, const std::string& key) { return key.compare(names_[index]) > 0; });
  if (found == by_name_.end() || name.compare(names_[*found]) != 0) return kNotFound;
  return *found;
}

}  // namespace qtensor::io
