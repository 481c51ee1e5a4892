#include "io/metadata_index.h"

#include <algorithm>
#include <cstring>

#include "io/text_order.h"
#include "io/validate.h"

namespace qtensor::io {

void MetadataIndex::Reserve(size_t pairs, size_t chars) {
  keys_.reserve(pairs);
  chars_.reserve(chars);
}

void MetadataIndex::Add(const std::string& key, const std::string& value) {
  if (key.empty()) {
    empty_key_ = true;
    return;
  }
  if (key.find('\0') != std::string::npos) {
    if (!nul_key_ || key < *nul_key_) nul_key_ = key;
    return;
  }
  // Offsets fit 32 bits: the characters come from a header of at most
  // 256 MiB, and each pair's encoding is longer than its two NULs.
  const auto at = static_cast<uint32_t>(chars_.size());
  chars_.insert(chars_.end(), key.c_str(), key.c_str() + key.size() + 1);
  chars_.insert(chars_.end(), value.c_str(), value.c_str() + value.size() + 1);
  keys_.push_back(at);
  if (value.find('\0') != std::string::npos) {
    nul_values_.emplace_back(at, static_cast<uint32_t>(value.size()));
  }
}

const char* MetadataIndex::ValueOf(uint32_t key) const {
  const char* text = &chars_[key];
  return text + std::strlen(text) + 1;
}

void MetadataIndex::Finish(const std::string& owner) {
  // Ordered by key, and by place for equal keys (keys_ grows with it), so
  // the last of each run is the pair that stays.
  SortByText(&keys_, [&](uint32_t at) { return &chars_[at]; });
  size_t kept = 0;
  for (size_t k = 0; k < keys_.size(); ++k) {
    const bool last =
        k + 1 == keys_.size() || std::strcmp(&chars_[keys_[k]], &chars_[keys_[k + 1]]) != 0;
    if (last) keys_[kept++] = keys_[k];
  }
  keys_.resize(kept);

  // The first pair in key order that breaks a rule (the empty key is the
  // least of all).
  if (empty_key_) ValidateMetadataPair("", "", owner);
  for (const uint32_t key : keys_) {
    const auto nul =
        std::lower_bound(nul_values_.begin(), nul_values_.end(), std::make_pair(key, uint32_t{0}));
    if (nul == nul_values_.end() || nul->first != key) continue;
    const std::string text = &chars_[key];
    if (nul_key_ && *nul_key_ < text) break;  // that key comes first
    ValidateMetadataPair(text, std::string(ValueOf(key), nul->second), owner);
  }
  if (nul_key_) ValidateMetadataPair(*nul_key_, "", owner);
}

const char* MetadataIndex::Find(const std::string& key) const {
  if (key.find('\0') != std::string::npos) return nullptr;  // no stored key has one
  const auto found = std::lower_bound(
      keys_.begin(), keys_.end(), key,
      [&](uint32_t at, const std::string& text) { return text.compare(&chars_[at]) > 0; });
  if (found == keys_.end() || key.compare(&chars_[*found]) != 0) return nullptr;
  return ValueOf(*found);
}

std::map<std::string, std::string> MetadataIndex::ToMap() const {
  std::map<std::string, std::string> map;
  for (size_t i = 0; i < keys_.size(); ++i) map.emplace_hint(map.end(), key(i), value(i));
  return map;
}

}  // namespace qtensor::io
