// Command-line options of the subcommands: "--name value", "--name=value"
// and "-o value", each at most once, plus positional arguments.
#ifndef QTENSOR_CLI_OPTIONS_H_
#define QTENSOR_CLI_OPTIONS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace qtensor::cli {

struct Arguments {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // by long name, without "--"

  bool Has(const std::string& name) const { return options.count(name) != 0; }
  // The option's value; a usage error if it was not given.
  const std::string& Required(const std::string& name) const;
};

// Splits args into options (only those in known; "-o" means "--output") and
// positional arguments. Throws CliError(kExitUsage) for an unknown or
// repeated option or one without a value.
// Flags (in flags) take no value and are stored as "1".
Arguments ParseArguments(const std::vector<std::string>& args, const std::set<std::string>& known,
                         const std::set<std::string>& flags = {});

// Whole-string numbers; the option's name appears in the error.
double ParseDouble(const std::string& option, const std::string& text);
int64_t ParseInt64(const std::string& option, const std::string& text);
// Comma-separated lists ("0.1,0.2").
std::vector<double> ParseDoubleList(const std::string& option, const std::string& text);
std::vector<int64_t> ParseInt64List(const std::string& option, const std::string& text);

}  // namespace qtensor::cli

#endif  // QTENSOR_CLI_OPTIONS_H_
