// The names of a list of entries (a container's) as C strings in a few
// large blocks, with an order by name for lookup: a few bytes per name
// beyond its characters, where a tree or hash table costs a node each.
#ifndef QTENSOR_IO_NAME_INDEX_H_
#define QTENSOR_IO_NAME_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace qtensor::io {

class NameIndex {
 public:
  static constexpr size_t kNotFound = static_cast<size_t>(-1);

  NameIndex() = default;
  // Moving keeps every name where it is; a copy could not.
  NameIndex(NameIndex&&) = default;
  NameIndex& operator=(NameIndex&&) = default;
  NameIndex(const NameIndex&) = delete;
  NameIndex& operator=(const NameIndex&) = delete;

  // Appends the next entry's name, which holds no NUL byte.
  void Add(const std::string& name);

  // Two entries of the same name: the later one and the first.
  struct Duplicate {
    size_t later;
    size_t first;
  };
  // After the last Add: orders the names for Find, and returns the
  // duplicate of the lowest later index, if any.
  std::optional<Duplicate> Finish();

  size_t size() const { return names_.size(); }
  // Name i (i < size()), valid as long as this object, moved or not.
  const char* name(size_t i) const { return names_.at(i); }
  // The index of the first entry called name (after Finish), or kNotFound.
  size_t Find(const std::string& name) const;

 private:
  // Room for a string of `bytes` bytes (with its NUL).
  char* Allocate(size_t bytes);

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;  // the unused end of the last shared block
  size_t free_bytes_ = 0;
  // A deque grows without copying what it holds, so adding never needs
  // twice the memory.
  std::deque<const char*> names_;
  std::vector<uint32_t> by_name_;  // indices, ordered by name, then index
};

}  // namespace qtensor::io

#endif  // QTENSOR_IO_NAME_INDEX_H_
