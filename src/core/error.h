// Exceptions thrown by the core. The C ABI turns each kind into its status
// code; nothing else in the core knows about status codes.
#ifndef QTENSOR_CORE_ERROR_H_
#define QTENSOR_CORE_ERROR_H_

#include <stdexcept>
#include <string>

namespace qtensor::core {

enum class ErrorKind {
  kInvalidArgument,
  kOutOfRange,
  kShapeMismatch,
  kTypeMismatch,
  kOutOfMemory,
  kIo,
  kCorruptData,
  kNotFound,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void Fail(ErrorKind kind, const std::string& message) {
  throw Error(kind, message);
}

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_ERROR_H_
