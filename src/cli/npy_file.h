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

// Reads a version 1.0 or 2.0 .npy file holding little-endian float32 ('<f4')
// or float64 ('<f8', rounded to float32) in C or Fortran order, of any rank
// up to kMaxNpyRank. Throws NpyError for anything else.
FloatArray ReadNpy(const std::string& path);

// Parses the bytes of a .npy file (as ReadNpy).
FloatArray ParseNpy(const std::string& bytes);

// Writes a version 1.0 '<f4' C-order .npy file. Throws NpyError on failure.
void WriteNpy(const std::string& path, const FloatArray& array);

// The largest rank accepted (qtensor's own limit).
constexpr size_t kMaxNpyRank = QTENSOR_MAX_DIMS;

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_NPY_FILE_H_
