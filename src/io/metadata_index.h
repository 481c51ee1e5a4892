// A bundle's string metadata as C strings in one buffer, ordered by key:
// a few bytes per pair beyond its characters, where a tree or hash table
// costs a node each (which for tiny pairs is many times their encoded size).
#ifndef QTENSOR_IO_METADATA_INDEX_H_
#define QTENSOR_IO_METADATA_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qtensor::io {

class MetadataIndex {
 public:
  // Room for `pairs` pairs of at most `chars` characters in all, each
  // counted with two NULs (adding more is fine, it reallocates).
  void Reserve(size_t pairs, size_t chars);
  // Adds a pair; a later pair of the same key replaces it, as in a
  // protobuf map. A key may be anything here: Finish refuses the bad ones.
  void Add(const std::string& key, const std::string& value);
  // After the last Add: orders the pairs by key, keeps the last of each
  // key, and checks ValidateMetadataPair's rules (io/validate.h) on them in
  // key order (kCorruptData, the message starting with owner).
  void Finish(const std::string& owner);

  size_t size() const { return keys_.size(); }
  // The i-th key in key order (i < size()) and its value.
  const char* key(size_t i) const { return &chars_.at(keys_.at(i)); }
  const char* value(size_t i) const { return ValueOf(keys_.at(i)); }
  // The value of key; nullptr if there is none.
  const char* Find(const std::string& key) const;
  // A copy of it all.
  std::map<std::string, std::string> ToMap() const;

 private:
  // A value is stored right after its key's NUL.
  const char* ValueOf(uint32_t key) const;

  std::vector<char> chars_;     // key NUL value NUL, pair after pair
  std::vector<uint32_t> keys_;  // where each key starts in chars_
  // The rules' breaches that C strings cannot show: an empty key (which is
  // not stored), the least key holding a NUL (neither), and where the key
  // of each value holding a NUL starts, with the value's length.
  bool empty_key_ = false;
  std::optional<std::string> nul_key_;
  std::vector<std::pair<uint32_t, uint32_t>> nul_values_;
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_METADATA_INDEX_H_
