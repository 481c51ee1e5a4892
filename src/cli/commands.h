// The subcommands of the qtensor program. Each takes the arguments after its
// name and throws CliError (or qtensor::Error) on failure; each has its usage
// text beside it, the one place --help, help CMD and CMD --help read it from.
#ifndef QTENSOR_CLI_COMMANDS_H_
#define QTENSOR_CLI_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace qtensor::cli {

struct Command {
  const char* name;
  // Lines starting "qtensor NAME ..." and their explanation, each ending in '\n'.
  const char* usage;
  void (*run)(const std::vector<std::string>& args, std::ostream& out);
};

// Every subcommand, in the order --help lists them.
const std::vector<Command>& Commands();

// The subcommand called name, or nullptr.
const Command* FindCommand(const std::string& name);

// qtensor info FILE: each tensor of a tensor, bundle or GGUF file, as PyTorch
// prints it.
void RunInfo(const std::vector<std::string>& args, std::ostream& out);

// qtensor quantize IN.npy --scale S --zero-point Z --dtype D [--axis A] -o OUT;
// without --scale and --zero-point an observer picks them from the data
// (--observer minmax|moving-average|histogram, --symmetric, --reduce-range,
// --averaging-constant C) and what it chose is printed to out.
void RunQuantize(const std::vector<std::string>& args, std::ostream& out);

// qtensor verify FILE: a container's checksums; other files read whole.
void RunVerify(const std::vector<std::string>& args, std::ostream& out);

// qtensor dequantize IN [--name NAME] [--int-repr] -o OUT.npy|OUT.npz: floats
// (or with --int-repr the integers) as a .npy file, or a bundle's tensors as
// a .npz file.
void RunDequantize(const std::vector<std::string>& args, std::ostream& out);

// qtensor convert IN -o OUT: a GGUF file to a qtensor bundle file, or a
// qtensor file to a GGUF file (OUT ending in .gguf).
void RunConvert(const std::vector<std::string>& args, std::ostream& out);

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_COMMANDS_H_
