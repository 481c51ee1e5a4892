// NumPy .npy files of floats: read (untrusted, checked strictly) and write.
#ifndef QTENSOR_CLI_NPY_FILE_H_
#define QTENSOR_CLI_NPY_FILE_H_

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "qtensor/qtensor.h"

namespace qtensor::cli {

// A malformed or unreadable .npy file; the message names the problem.
class NpyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An array as float32 values in row-major (C) order.
struct FloatArray {
  std::vector<int64_t> shape;  // empty for a 0-dim array
  std::vector<float> values;
};

// What a .npy header says, before the data is read.
struct NpyHeader {
  std::string descr;  // NumPy's type string: '<f4', '>f8', '|u1', ...
  bool fortran_order = false;
  std::vector<int64_t> shape;
  size_t data_offset = 0;  // where the data starts in the file
};

// True if bytes start with the .npy magic string.
bool HasNpyMagic(const std::string& bytes);

// Parses the header of a version 1.0 or 2.0 .npy file, whatever its dtype.
// Throws NpyError if it is malformed.
NpyHeader ParseNpyHeader(const std::string& bytes);

// NumPy's name of a type string ("float32" for '<f4'), or the string itself.
std::string NpyTypeName(const std::string& descr);

// A shape as Python writes a tuple: "()", "(3,)", "(2, 3)".
std::string NpyShapeText(const std::vector<int64_t>& shape);

// Reads a version 1.0 or 2.0 .npy file holding float32 ('<f4', '>f4') or
// float64 ('<f8', '>f8', rounded to float32), little- or big-endian, in C or
// Fortran order, of any rank up to kMaxNpyRank. Throws NpyError for anything
// else.
FloatArray ReadNpy(const std::string& path);

// Parses the bytes of a .npy file (as ReadNpy).
FloatArray ParseNpy(const std::string& bytes);

// The bytes of a version 1.0 C-order .npy file of type descr, whose data
// (row-major, already in descr's byte order) is given.
std::string EncodeNpy(const std::string& descr, const std::vector<int64_t>& shape,
                      const std::string& data);

// Writes a version 1.0 '<f4' C-order .npy file. Throws NpyError on failure.
void WriteNpy(const std::string& path, const FloatArray& array);

// Writes bytes to path (replacing it). Throws NpyError on failure.
void WriteBytes(const std::string& path, const std::string& bytes);

// The largest rank accepted (qtensor's own limit).
constexpr size_t kMaxNpyRank = QTENSOR_MAX_DIMS;

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_NPY_FILE_H_
