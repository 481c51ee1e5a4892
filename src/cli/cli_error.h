// An error the command line reports in one line before exiting non-zero.
#ifndef QTENSOR_CLI_CLI_ERROR_H_
#define QTENSOR_CLI_CLI_ERROR_H_

#include <stdexcept>

namespace qtensor::cli {

// Exit statuses: bad arguments (as getopt-style tools do) and bad files.
constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

class CliError : public std::runtime_error {
 public:
  CliError(int exit_status, const std::string& message)
      : std::runtime_error(message), exit_status_(exit_status) {}
  int exit_status() const noexcept { return exit_status_; }

 private:
  int exit_status_;
};

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_CLI_ERROR_H_
