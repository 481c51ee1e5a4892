// The subcommands of the qtensor program. Each takes the arguments after its
// name, throws CliError (or qtensor::Error) on failure.
#ifndef QTENSOR_CLI_COMMANDS_H_
#define QTENSOR_CLI_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace qtensor::cli {

// qtensor info FILE: each tensor of a tensor or bundle file, as PyTorch prints it.
void RunInfo(const std::vector<std::string>& args, std::ostream& out);

// qtensor quantize IN.npy --scale S --zero-point Z --dtype D [--axis A] -o OUT;
// without --scale and --zero-point an observer picks them from the data
// (--observer minmax|moving-average|histogram, --symmetric, --reduce-range,
// --averaging-constant C) and what it chose is printed to out.
void RunQuantize(const std::vector<std::string>& args, std::ostream& out);

// qtensor dequantize IN -o OUT.npy
void RunDequantize(const std::vector<std::string>& args);

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_COMMANDS_H_
