// The qtensor command-line program. With no arguments it walks through the
// seed notebook.
#include <cstring>
#include <iostream>

#include "qtensor/qtensor.hpp"
#include "walkthrough.h"

namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: qtensor            walk through the quantized-tensor notebook\n"
         "       qtensor --version  print the library version\n"
         "       qtensor --help     this text\n";
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 1) {
      qtensor::cli::RunWalkthrough(std::cout);
      return 0;
    }
    if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
      std::cout << "qtensor " << qt_version() << " (SIMD target " << qt_simd_target() << ")\n";
      return 0;
    }
    if (argc == 2 && std::strcmp(argv[1], "--help") == 0) {
      PrintUsage(std::cout);
      return 0;
    }
    std::cerr << "qtensor: unknown arguments\n";
    PrintUsage(std::cerr);
    return 2;
  } catch (const qtensor::Error& error) {
    std::cerr << "qtensor: " << qt_status_name(error.status()) << ": " << error.what() << "\n";
    return 1;
  }
}
