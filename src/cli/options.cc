#include "options.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "cli_error.h"

namespace qtensor::cli {
namespace {

[[noreturn]] void UsageError(const std::string& message) { throw CliError(kExitUsage, message); }

std::vector<std::string> SplitCommas(const std::string& option, const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma - start));
    if (items.back().empty()) UsageError("--" + option + " has an empty list entry");
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

}  // namespace

const std::string& Arguments::Required(const std::string& name) const {
  const auto found = options.find(name);
  if (found == options.end()) UsageError("missing option --" + name);
  return found->second;
}

Arguments ParseArguments(const std::vector<std::string>& args, const std::set<std::string>& known,
                         const std::set<std::string>& flags) {
  Arguments parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') {
      parsed.positional.push_back(arg);
      continue;
    }
    std::string name;
    std::string value;
    bool has_value = false;
    if (arg == "-o") {
      name = "output";
    } else if (arg.compare(0, 2, "--") == 0) {
      const size_t equals = arg.find('=');
      name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
      if (equals != std::string::npos) {
        value = arg.substr(equals + 1);
        has_value = true;
      }
    }
    const bool flag = flags.count(name) != 0;
    if (name.empty() || (known.count(name) == 0 && !flag)) UsageError("unknown option " + arg);
    if (flag) {
      if (has_value) UsageError("option --" + name + " takes no value");
      value = "1";
    } else if (!has_value) {
      if (i + 1 == args.size()) UsageError("option " + arg + " needs a value");
      value = args[++i];
    }
    if (!parsed.options.emplace(name, value).second)
      UsageError("option --" + name + " given twice");
  }
  return parsed;
}

double ParseDouble(const std::string& option, const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const double value = text.empty() || std::isspace(static_cast<unsigned char>(text[0]))
                           ? 0.0
                           : std::strtod(text.c_str(), &end);
  if (end == nullptr || *end != '\0' || errno == ERANGE) {
    UsageError("--" + option + " expects a number, got '" + text + "'");
  }
  return value;
}

int64_t ParseInt64(const std::string& option, const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const long long value = text.empty() || std::isspace(static_cast<unsigned char>(text[0]))
                              ? 0
                              : std::strtoll(text.c_str(), &end, 10);
  if (end == nullptr || *end != '\0' || errno == ERANGE) {
    UsageError("--" + option + " expects an integer, got '" + text + "'");
  }
  return static_cast<int64_t>(value);
}

std::vector<double> ParseDoubleList(const std::string& option, const std::string& text) {
  std::vector<double> values;
  for (const std::string& item : SplitCommas(option, text))
    values.push_back(ParseDouble(option, item));
  return values;
}

std::vector<int64_t> ParseInt64List(const std::string& option, const std::string& text) {
  std::vector<int64_t> values;
  for (const std::string& item : SplitCommas(option, text))
    values.push_back(ParseInt64(option, item));
  return values;
}

}  // namespace qtensor::cli
