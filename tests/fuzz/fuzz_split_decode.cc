// libFuzzer target, differential: the decoder that takes the tensors' values
// out of the input before protobuf parses the rest (src/io/data_fields.h)
// against protobuf parsing the whole input. Both must accept the same inputs
// and, once the values are put back, give the same File; a single tensor must
// decode to the same values, or fail with the same message, either way. Any
// difference aborts with a report naming the input's size and each side's
// verdict; libFuzzer then saves the input (the replay driver has named it).
//
// The comparison is tests/io/protobuf_reference.cc, shared with the io tests.
// Its doctest checks run here outside any test case: a doctest context hands
// their failures to ReportFailedCheck.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "io/data_fields.h"
#include "protobuf_reference.h"
#include "qtensor.pb.h"

namespace {

// The input being compared, for the report.
const std::string* current_input = nullptr;

const char* SplitVerdict(const std::string& input) {
  qtensor::io::SplitFile split;
  if (!qtensor::io::SplitDataFields(reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                                    &split)) {
    return "rejects it (SplitDataFields)";
  }
  qtensor::v1::File file;
  if (!reference::Parse(split.message, &file)) {
    return "rejects it (protobuf, parsing the split message)";
  }
  return "accepts it";
}

[[noreturn]] void ReportDifference(const std::string& what) {
  const std::string input = current_input ? *current_input : std::string();
  qtensor::v1::File file;
  const bool protobuf_accepts = reference::Parse(input, &file);
  std::fprintf(stderr,
               "split decode differs from protobuf on a %zu-byte input: protobuf %s it, the split "
               "path %s\n  %s\n",
               input.size(), protobuf_accepts ? "accepts" : "rejects", SplitVerdict(input),
               what.c_str());
  std::abort();
}

void ReportFailedCheck(const doctest::AssertData& check) {
  ReportDifference(std::string("failed check: ") + check.m_expr + " (" + check.m_file + ":" +
                   std::to_string(check.m_line) + ")");
}

void RouteChecksToReport() {
  static doctest::Context context;
  static const bool routed = [] {
    context.setAssertHandler(ReportFailedCheck);
    context.setAsDefaultForAssertsOutOfTestCases();
    return true;
  }();
  (void)routed;
}

// An outcome with its values' bytes escaped and long ones cut, for stderr.
std::string Printable(const std::string& outcome) {
  constexpr size_t kShown = 160;
  std::string out;
  for (size_t i = 0; i < outcome.size() && i < kShown; ++i) {
    const auto byte = static_cast<unsigned char>(outcome[i]);
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
    out += (byte >= 0x20 && byte < 0x7f) ? std::string(1, outcome[i]) : std::string(escaped);
  }
  if (outcome.size() > kShown) out += "... (" + std::to_string(outcome.size()) + " bytes)";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RouteChecksToReport();
  const std::string input(reinterpret_cast<const char*>(data), size);
  current_input = &input;
  std::string split_outcome, protobuf_outcome;
  try {
    reference::CheckSplitMatchesProtobuf(input);
    split_outcome = reference::TensorOutcome(input);
    protobuf_outcome = reference::OldTensorOutcome(input);
  } catch (const std::exception& error) {
    ReportDifference(std::string("the comparison threw: ") + error.what());
  }
  if (split_outcome != protobuf_outcome) {
    std::fprintf(stderr,
                 "the tensor decoder differs from protobuf on a %zu-byte input:\n  split path: "
                 "%s\n  protobuf:   %s\n",
                 size, Printable(split_outcome).c_str(), Printable(protobuf_outcome).c_str());
    std::abort();
  }
  current_input = nullptr;
  return 0;
}
