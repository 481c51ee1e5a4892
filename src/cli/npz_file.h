// NumPy .npz files: a ZIP archive holding one NAME.npy member per array,
// written here without compression (as numpy.savez does), header-only.
#ifndef QTENSOR_CLI_NPZ_FILE_H_
#define QTENSOR_CLI_NPZ_FILE_H_

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "npy_file.h"

namespace qtensor::cli {

// The CRC-32 of ZIP (reflected polynomial 0xEDB88320), continued from crc.
inline uint32_t Crc32(const std::string& bytes, uint32_t crc = 0) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t value = i;
      for (int bit = 0; bit < 8; ++bit)
        value = (value & 1) ? 0xEDB88320u ^ (value >> 1) : value >> 1;
      table[i] = value;
    }
    return table;
  }();
  crc = ~crc;
  for (char c : bytes) crc = kTable[(crc ^ static_cast<uint8_t>(c)) & 0xff] ^ (crc >> 8);
  return ~crc;
}

// True if text is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
inline bool IsUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<uint8_t>(text[i]);
    size_t length = 0;
    uint32_t min = 0;
    uint32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xe0) == 0xc0) {
      length = 2, min = 0x80, code = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      length = 3, min = 0x800, code = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      length = 4, min = 0x10000, code = lead & 0x07;
    } else {
      return false;
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

// The member name of an array: NAME.npy, with the bytes that cannot be part
// of one file name inside a ZIP ('/', '\', control characters, and any byte
// of a name that is not UTF-8) written %XX, and '%' itself written %25, so
// different names stay different. numpy.load's key is the name without
// ".npy".
inline std::string NpzMemberName(const std::string& name) {
  const bool utf8 = IsUtf8(name);
  std::string member;
  for (char c : name) {
    const auto byte = static_cast<uint8_t>(c);
    if (byte < 0x20 || byte == 0x7f || c == '/' || c == '\\' || c == '%' ||
        (byte >= 0x80 && !utf8)) {
      static const char kHex[] = "0123456789ABCDEF";
      member += '%';
      member += kHex[byte >> 4];
      member += kHex[byte & 15];
    } else {
      member += c;
    }
  }
  return member + ".npy";
}

// Writes an .npz file member by member. Plain ZIP only: a file past 4 GiB or
// 65535 members would need ZIP64, which is refused with NpyError. If Finish
// is not reached, the partial file is removed.
class NpzWriter {
 public:
  explicit NpzWriter(const std::string& path)
      : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
    if (!out_) throw NpyError("cannot create " + path + ": " + std::strerror(errno));
  }
  NpzWriter(const NpzWriter&) = delete;
  NpzWriter& operator=(const NpzWriter&) = delete;
  ~NpzWriter() {
    if (!finished_) {
      out_.close();
      std::remove(path_.c_str());
    }
  }

  // Adds the array named name, whose .npy file bytes are npy.
  void Add(const std::string& name, const std::string& npy) {
    Member member{NpzMemberName(name), Crc32(npy), npy.size(), offset_};
    if (member.name.size() > 0xffff) {
      throw NpyError(path_ + ": the array name '" + name.substr(0, 40) +
                     "...' is too long for "
                     "a ZIP member");
    }
    if (members_.size() == kMaxMembers ||
        kLocalHeaderSize + member.name.size() + npy.size() > kMaxOffset - offset_) {
      throw NpyError(path_ +
                     ": the .npz would hold more than 4 GiB or 65535 arrays, which "
                     "needs ZIP64 (not written by qtensor): write the tensors one at a time "
                     "with --name");
    }
    std::string header;
    Put(header, 0x04034b50, 4);
    PutCommon(header, member);
    Put(header, 0, 2);  // extra field length
    header += member.name;
    Write(header);
    Write(npy);
    offset_ += header.size() + npy.size();
    members_.push_back(std::move(member));
  }

  // Writes the central directory and closes the file.
  void Finish() {
    std::string directory;
    for (const Member& member : members_) {
      Put(directory, 0x02014b50, 4);
      Put(directory, kVersion, 2);  // made by
      PutCommon(directory, member);
      Put(directory, 0, 2);  // extra field length
      Put(directory, 0, 2);  // comment length
      Put(directory, 0, 2);  // disk number
      Put(directory, 0, 2);  // internal attributes
      Put(directory, 0, 4);  // external attributes
      Put(directory, member.offset, 4);
      directory += member.name;
    }
    if (directory.size() > kMaxOffset - offset_) {
      throw NpyError(path_ +
                     ": the .npz would be over 4 GiB, which needs ZIP64 (not written "
                     "by qtensor): write the tensors one at a time with --name");
    }
    std::string end;
    Put(end, 0x06054b50, 4);
    Put(end, 0, 2);  // this disk
    Put(end, 0, 2);  // disk of the central directory
    Put(end, members_.size(), 2);
    Put(end, members_.size(), 2);
    Put(end, directory.size(), 4);
    Put(end, offset_, 4);
    Put(end, 0, 2);  // comment length
    Write(directory);
    Write(end);
    out_.close();
    if (!out_) throw NpyError("cannot write " + path_);
    finished_ = true;
  }

 private:
  struct Member {
    std::string name;
    uint32_t crc;
    uint64_t size;
    uint64_t offset;
  };
  static constexpr uint64_t kVersion = 20;  // ZIP 2.0: stored members, no ZIP64
  static constexpr uint64_t kLocalHeaderSize = 30;
  // Offsets and sizes are 32-bit fields; 0xFFFFFFFF means "see ZIP64".
  static constexpr uint64_t kMaxOffset = 0xfffffffe;
  static constexpr size_t kMaxMembers = 0xffff;

  static void Put(std::string& bytes, uint64_t value, int width) {
    for (int i = 0; i < width; ++i) bytes += static_cast<char>((value >> (8 * i)) & 0xff);
  }
  // The fields local headers and central directory entries share, from
  // "version needed" to the name's length.
  static void PutCommon(std::string& bytes, const Member& member) {
    Put(bytes, kVersion, 2);                 // version needed to extract
    Put(bytes, 0x0800, 2);                   // flags: the name is UTF-8
    Put(bytes, 0, 2);                        // method: stored
    Put(bytes, 0, 2);                        // time 00:00:00
    Put(bytes, (0 << 9) | (1 << 5) | 1, 2);  // date 1980-01-01, for reproducible files
    Put(bytes, member.crc, 4);
    Put(bytes, member.size, 4);  // compressed size
    Put(bytes, member.size, 4);  // uncompressed size
    Put(bytes, member.name.size(), 2);
  }
  void Write(const std::string& bytes) {
    out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out_) throw NpyError("cannot write " + path_);
  }

  std::string path_;
  std::ofstream out_;
  std::vector<Member> members_;
  uint64_t offset_ = 0;
  bool finished_ = false;
};

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_NPZ_FILE_H_
