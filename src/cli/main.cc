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

using qtensor::cli::Command;
using qtensor::cli::Commands;

bool IsHelp(const std::string& arg) { return arg == "--help" || arg == "-h"; }

// The whole usage: the program's own forms, then each command's usage.
void PrintUsage(std::ostream& out) {
  out << "usage: qtensor                walk through the quantized-tensor notebook\n"
         "       qtensor --version      print the library version\n"
         "       qtensor --help         this text (also: qtensor help, qtensor -h)\n"
         "       qtensor help COMMAND   one command's usage (also: qtensor COMMAND --help)\n"
         "\n"
         "commands:\n";
  for (const Command& command : Commands()) out << "\n" << command.usage;
  out << "\n"
         "Exit status: 0 on success, 1 when a file cannot be read or written, 2 for\n"
         "bad arguments.\n";
}

std::string CommandNames() {
  std::string names;
  for (const Command& command : Commands()) {
    names += (names.empty() ? "" : ", ") + std::string(command.name);
  }
  return names;
}

// qtensor help [COMMAND] (and --help / -h [COMMAND]).
void RunHelp(const std::vector<std::string>& args) {
  if (args.empty()) {
    PrintUsage(std::cout);
    return;
  }
  if (args.size() > 1) {
    throw qtensor::cli::CliError(qtensor::cli::kExitUsage,
                                 "help takes one command, got " + std::to_string(args.size()));
  }
  const Command* command = qtensor::cli::FindCommand(args[0]);
  if (command == nullptr) {
    throw qtensor::cli::CliError(
        qtensor::cli::kExitUsage,
        "no command '" + args[0] + "'; the commands are " + CommandNames());
  }
  std::cout << "usage:\n" << command->usage;
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
  const std::string name = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (name == "--version" && args.empty()) {
    std::cout << "qtensor " << qt_version() << " (SIMD target " << qt_simd_target() << ")\n";
  } else if (name == "help" || IsHelp(name)) {
    RunHelp(args);
  } else if (const Command* command = qtensor::cli::FindCommand(name)) {
    // As in git and pip, asking for help wins over everything else given.
    bool help = false;
    for (const std::string& arg : args) help = help || IsHelp(arg);
    if (help) {
      RunHelp({name});
    } else {
      command->run(args, std::cout);
    }
  } else {
    throw qtensor::cli::CliError(qtensor::cli::kExitUsage,
                                 "unknown command '" + name + "'; the commands are " +
                                     CommandNames() + " (see qtensor --help)");
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
