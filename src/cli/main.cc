// The qtensor command-line program. With no arguments it walks through the
// steps of docs/notebook.md; subcommands inspect and convert files.
#include <iostream>
#include <string>
#include <vector>

#include "cli_error.h"
#include "commands.h"
#include "qtensor/qtensor.hpp"
#include "walkthrough.h"

namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: qtensor            walk through the quantized-tensor notebook\n"
         "       qtensor --version  print the library version\n"
         "       qtensor --help     this text\n"
         "       qtensor info FILE  print the tensor(s) in a .qt file as PyTorch would\n"
         "       qtensor quantize IN.npy --scale S --zero-point Z --dtype qint8|quint8|qint32\n"
         "                        [--axis A] -o OUT\n"
         "           quantize float32/float64 .npy data; with --axis, S and Z are\n"
         "           comma-separated lists, one entry per channel\n"
         "       qtensor quantize IN.npy --dtype D [--observer minmax|moving-average|histogram]\n"
         "                        [--symmetric] [--reduce-range] [--averaging-constant C]\n"
         "                        [--axis A] -o OUT\n"
         "           without --scale and --zero-point, pick them from the data as\n"
         "           torch.ao.quantization's observers do (per channel with --axis) and\n"
         "           print them; moving-average reads the slices along dim 0 as batches;\n"
         "           histogram (per tensor) is HistogramObserver's defaults\n"
         "       qtensor dequantize IN -o OUT.npy\n"
         "           write the dequantized values as a float32 .npy file\n";
}

// Errors are reported on one line, whatever the message holds.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

int Run(int argc, char** argv) {
  if (argc == 1) {
    qtensor::cli::RunWalkthrough(std::cout);
    return 0;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "--version" && args.empty()) {
    std::cout << "qtensor " << qt_version() << " (SIMD target " << qt_simd_target() << ")\n";
    return 0;
  }
  if (command == "--help" && args.empty()) {
    PrintUsage(std::cout);
    return 0;
  }
  if (command == "info") {
    qtensor::cli::RunInfo(args, std::cout);
  } else if (command == "quantize") {
    qtensor::cli::RunQuantize(args, std::cout);
  } else if (command == "dequantize") {
    qtensor::cli::RunDequantize(args);
  } else {
    throw qtensor::cli::CliError(qtensor::cli::kExitUsage,
                                 "unknown command '" + command + "' (see qtensor --help)");
  }
  std::cout.flush();
  return std::cout ? 0 : qtensor::cli::kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const qtensor::cli::CliError& error) {
    std::cerr << "qtensor: " << OneLine(error.what()) << "\n";
    return error.exit_status();
  } catch (const qtensor::Error& error) {
    std::cerr << "qtensor: " << qt_status_name(error.status()) << ": " << OneLine(error.what())
              << "\n";
    return qtensor::cli::kExitFailure;
  } catch (const std::exception& error) {
    std::cerr << "qtensor: " << OneLine(error.what()) << "\n";
    return qtensor::cli::kExitFailure;
  }
}
