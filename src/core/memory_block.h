// Raw memory for tensor values and serialized bytes. Large blocks are
// backed by transparent huge pages: on the VMs this library is measured on,
// first-touch page faults of 4 KiB pages cost more than the memory traffic
// itself (a fresh 64 MiB block fills at ~1 GB/s, ~5 GB/s on 2 MiB pages).
#ifndef QTENSOR_CORE_MEMORY_BLOCK_H_
#define QTENSOR_CORE_MEMORY_BLOCK_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace qtensor::core {

struct MemoryBlockDeleter {
  void operator()(uint8_t* block) const { std::free(block); }
};

// Owns a block from AllocateBlock; released blocks are freed with std::free.
using MemoryBlock = std::unique_ptr<uint8_t[], MemoryBlockDeleter>;

// At least `bytes` bytes (never a null pointer, also for 0), 64-byte
// aligned, uninitialised. Throws std::bad_alloc.
MemoryBlock AllocateBlock(size_t bytes);

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_MEMORY_BLOCK_H_
