// The printer: a re-implementation of the quantized branch of PyTorch 1.13's
// torch/_tensor_str.py at its default print options.
//
// Outline of what PyTorch does, and so what this file does:
//   repr = AddSuffixes("tensor(" + Body(dequantized values, indent 7),
//                      ["size=...", "dtype=...", "quantization_scheme=...",
//                       "scale=...", "zero_point=...", ("axis=...")])
// where the per-channel scale and zero point are themselves reprs of 1-d
// tensors (float64 and int64). Body() picks one element format for the whole
// tensor (ElementFormatter), then lays the elements out in nested brackets,
// wrapping rows at 80 columns and eliding the middle of long dimensions when
// the tensor has more than 1000 elements. Everything is laid out with
// PyTorch's "torch." names, which its wrapping counts, and renamed last.
#include "core/print.h"
#include "core/shape.h"
#include "core/storage.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace qtensor::core {
namespace {

// PyTorch's default print options (precision 4 is spelled in the formats).
constexpr int64_t kSummarizeThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;

constexpr char kTensorPrefix[] = "tensor(";
constexpr int kTensorIndent = sizeof(kTensorPrefix) - 1;
// Layout is computed on PyTorch's own spelling, "torch.", because its line
// wrapping counts those characters; the names are changed at the very end.
constexpr char kTorchNamespace[] = "torch.";
constexpr char kOurNamespace[] = "qtensor.";
constexpr char kDtypePrefix[] = "dtype=torch.";

// Marks the elided middle of a summarized dimension in a list of indices.
constexpr int64_t kEllipsis = -1;

// ---------------------------------------------------------------------------
// Number to text, as Python's str.format does it.

// Python prints non-finite floats as "inf", "-inf" and "nan" under every
// format, never with a sign on nan (C would print "-nan").
std::string NonFiniteText(double value) {
  if (std::isnan(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

// printf with one double. For finite values glibc rounds correctly (ties to
// even on the exact binary value), exactly as Python's own dtoa does.
std::string PrintfDouble(const char* format, double value) {
  char small[64];
  const int length = std::snprintf(small, sizeof(small), format, value);
  if (length < static_cast<int>(sizeof(small))) return std::string(small, length);
  std::string large(static_cast<size_t>(length) + 1, '\0');
  std::snprintf(large.data(), large.size(), format, value);
  large.resize(static_cast<size_t>(length));
  return large;
}

// '{:.4f}'.format(value)
std::string FixedFourDigits(double value) {
  return std::isfinite(value) ? PrintfDouble("%.4f", value) : NonFiniteText(value);
}

// '{:.0f}'.format(value)
std::string FixedNoDigits(double value) {
  return std::isfinite(value) ? PrintfDouble("%.0f", value) : NonFiniteText(value);
}

// '{:.4e}'.format(value)
std::string ScientificFourDigits(double value) {
  return std::isfinite(value) ? PrintfDouble("%.4e", value) : NonFiniteText(value);
}

std::string PadLeft(const std::string& text, size_t width) {
  if (text.size() >= width) return text;
  return std::string(width - text.size(), ' ') + text;
}

// ---------------------------------------------------------------------------
// A tensor as the generic printer sees it: only the elements it shows.

// A tensor's shape and its shown elements, either floating or integer.
// Float32 elements are held as the doubles they convert to exactly, which is
// also what PyTorch formats (it formats Python floats).
struct ShownTensor {
  std::vector<int64_t> shape;  // of the whole tensor
  bool summarize = false;
  bool is_floating = true;
  std::vector<double> reals;  // when is_floating; row-major over ShownShape
  std::vector<int64_t> ints;  // otherwise
};

// PyTorch summarizes a tensor of more than 1000 elements, and then elides
// the middle of every dimension longer than 2 * kEdgeItems.
bool Summarizes(const std::vector<int64_t>& shape) {
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return false;
  int64_t numel = 1;
  for (int64_t size : shape) {
    if (numel > kSummarizeThreshold) return true;  // stop before a product could overflow
    numel *= size;
  }
  return numel > kSummarizeThreshold;
}

bool Elides(int64_t size, bool summarize) { return summarize && size > 2 * kEdgeItems; }

std::vector<int64_t> ShownShape(const std::vector<int64_t>& shape, bool summarize) {
  std::vector<int64_t> shown(shape.size());
  for (size_t d = 0; d < shape.size(); ++d) {
    shown[d] = Elides(shape[d], summarize) ? 2 * kEdgeItems : shape[d];
  }
  return shown;
}

// Where the shown elements of one dimension sit among that dimension's shown
// elements, with kEllipsis where its middle is elided.
std::vector<int64_t> ShownPositions(int64_t size, bool summarize) {
  std::vector<int64_t> positions;
  if (Elides(size, summarize)) {
    for (int64_t i = 0; i < kEdgeItems; ++i) positions.push_back(i);
    positions.push_back(kEllipsis);
    for (int64_t i = kEdgeItems; i < 2 * kEdgeItems; ++i) positions.push_back(i);
  } else {
    for (int64_t i = 0; i < size; ++i) positions.push_back(i);
  }
  return positions;
}

// The product of sizes: 0 if any is 0 (checked first, as the others of an
// empty tensor may be huge).
int64_t Product(const std::vector<int64_t>& sizes) {
  if (std::find(sizes.begin(), sizes.end(), 0) != sizes.end()) return 0;
  int64_t product = 1;
  for (int64_t size : sizes) product *= size;
  return product;
}

// The shown elements of a whole 1-d vector (a per-channel parameter list).
template <typename T>
std::vector<T> ShownOfVector(const std::vector<T>& all) {
  const std::vector<std::vector<int64_t>> indices =
      ShownIndices({static_cast<int64_t>(all.size())});
  std::vector<T> shown;
  for (int64_t index : indices[0]) {
    shown.push_back(all[static_cast<size_t>(index)]);
  }
  return shown;
}

// ---------------------------------------------------------------------------
// One format for all elements of a tensor (PyTorch's _Formatter).

class ElementFormatter {
 public:
  static ElementFormatter ForReals(const std::vector<double>& shown);
  static ElementFormatter ForInts(const std::vector<int64_t>& shown);

  size_t width() const { return max_width_; }
  std::string Format(double value) const;
  std::string Format(int64_t value) const { return PadLeft(std::to_string(value), max_width_); }

 private:
  bool int_mode_ = true;
  bool sci_mode_ = false;
  size_t max_width_ = 1;
};

ElementFormatter ElementFormatter::ForInts(const std::vector<int64_t>& shown) {
  ElementFormatter formatter;
  for (int64_t value : shown) {
    formatter.max_width_ = std::max(formatter.max_width_, std::to_string(value).size());
  }
  return formatter;
}

// Only the nonzero finite values decide the mode and the width; with none of
// them the tensor prints in integer mode at width 1 ("0.", "nan", "inf").
// PyTorch takes min and max in float64 (also of float32 values, which convert
// exactly) and compares with its thresholds in float64, as done here.
ElementFormatter ElementFormatter::ForReals(const std::vector<double>& shown) {
  ElementFormatter formatter;
  std::vector<double> nonzero_finite;
  for (double value : shown) {
    if (std::isfinite(value) && value != 0.0) nonzero_finite.push_back(value);
  }
  if (nonzero_finite.empty()) return formatter;

  double min_abs = std::fabs(nonzero_finite.front());
  double max_abs = min_abs;
  for (double value : nonzero_finite) {
    min_abs = std::min(min_abs, std::fabs(value));
    max_abs = std::max(max_abs, std::fabs(value));
    if (value != std::ceil(value)) formatter.int_mode_ = false;
  }

  const bool wide_range = max_abs / min_abs > 1000.0 || max_abs > 1.0e8;
  // Integers never need scientific notation for being small.
  formatter.sci_mode_ = formatter.int_mode_ ? wide_range : (wide_range || min_abs < 1.0e-4);

  for (double value : nonzero_finite) {
    size_t width;
    if (formatter.sci_mode_) {
      width = ScientificFourDigits(value).size();
    } else if (formatter.int_mode_) {
      width = FixedNoDigits(value).size() + 1;  // the "." that Format() appends
    } else {
      width = FixedFourDigits(value).size();
    }
    formatter.max_width_ = std::max(formatter.max_width_, width);
  }
  return formatter;
}

std::string ElementFormatter::Format(double value) const {
  std::string text;
  if (sci_mode_) {
    text = ScientificFourDigits(value);
  } else if (int_mode_) {
    // The trailing dot tells a floating tensor of integers from an int one.
    text = FixedNoDigits(value);
    if (std::isfinite(value)) text += ".";
  } else {
    text = FixedFourDigits(value);
  }
  return PadLeft(text, max_width_);
}

// ---------------------------------------------------------------------------
// Laying out the elements (PyTorch's _tensor_str and helpers).

class BodyPrinter {
 public:
  BodyPrinter(const ShownTensor& tensor, const ElementFormatter& formatter)
      : tensor_(tensor),
        formatter_(formatter),
        strides_(RowMajorStrides(ShownShape(tensor.shape, tensor.summarize))) {}

  // The text of the sub-tensor at `offset` (among the shown elements)
  // spanning dimensions dim.., whose
  // first line starts at column `indent` (just after its opening brackets).
  std::string Slice(size_t dim, int64_t offset, int indent) const;

  std::string Element(int64_t offset) const {
    return tensor_.is_floating ? formatter_.Format(tensor_.reals[offset])
                               : formatter_.Format(tensor_.ints[offset]);
  }

 private:
  std::string Row(int64_t offset, int indent) const;

  const ShownTensor& tensor_;
  const ElementFormatter& formatter_;
  std::vector<int64_t> strides_;
};

// The last dimension: elements separated by ", ", as many per line as fit in
// the line width counting width + 2 each (at least one); the " ..." of a
// summarized row takes an element's place in that count.
std::string BodyPrinter::Row(int64_t offset, int indent) const {
  const int64_t element_length = static_cast<int64_t>(formatter_.width()) + 2;
  const int64_t elements_per_line = std::max<int64_t>(1, (kLineWidth - indent) / element_length);

  std::vector<std::string> items;
  for (int64_t position : ShownPositions(tensor_.shape.back(), tensor_.summarize)) {
    items.push_back(position == kEllipsis ? " ..." : Element(offset + position));
  }

  const std::string line_break = ",\n" + std::string(indent + 1, ' ');
  std::string text = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += (i % elements_per_line == 0) ? line_break : ", ";
    text += items[i];
  }
  return text + "]";
}

// Outer dimensions: sub-tensors separated by "," and as many newlines as the
// sub-tensors have dimensions (so blank lines between matrices), each new one
// indented one column past this bracket.
std::string BodyPrinter::Slice(size_t dim, int64_t offset, int indent) const {
  const size_t dims_left = tensor_.shape.size() - dim;
  if (dims_left == 1) return Row(offset, indent);

  const std::string separator =
      "," + std::string(dims_left - 1, '\n') + std::string(indent + 1, ' ');
  std::string text = "[";
  bool first = true;
  for (int64_t position : ShownPositions(tensor_.shape[dim], tensor_.summarize)) {
    if (!first) text += separator;
    first = false;
    text += position == kEllipsis ? "..."
                                  : Slice(dim + 1, offset + position * strides_[dim], indent + 1);
  }
  return text + "]";
}

// The bracketed elements of a tensor whose "tensor(" prefix ends at column
// `indent`: "[]" when empty, the bare element when 0-dim. The element format
// is chosen from the shown elements alone (PyTorch's get_summarized_data).
std::string TensorBody(const ShownTensor& tensor, int indent) {
  if (Product(tensor.shape) == 0) return "[]";
  const ElementFormatter formatter = tensor.is_floating ? ElementFormatter::ForReals(tensor.reals)
                                                        : ElementFormatter::ForInts(tensor.ints);
  const BodyPrinter printer(tensor, formatter);
  if (tensor.shape.empty()) return printer.Element(0);
  return printer.Slice(0, 0, indent);
}

// PyTorch's _add_suffixes: ", suffix" while the line stays within the width,
// else ",\n" + indent + suffix. Its bookkeeping is replicated as is: the
// line the body ends on is counted 2 characters too long (a line started by
// a wrapped suffix is counted exactly), and a suffix counts its whole length
// even when it spans lines (a per-channel scale tensor), which pushes the
// next suffix to a new line too.
std::string AddSuffixes(const std::string& head, const std::vector<std::string>& suffixes,
                        int indent) {
  std::string text = head;
  const size_t last_newline = head.rfind('\n');
  size_t last_line_length =
      last_newline == std::string::npos ? head.size() + 2 : head.size() - last_newline + 1;
  for (const std::string& suffix : suffixes) {
    if (last_line_length + suffix.size() + 2 > static_cast<size_t>(kLineWidth)) {
      text += ",\n" + std::string(indent, ' ') + suffix;
      last_line_length = indent + suffix.size();
    } else {
      text += ", " + suffix;
      last_line_length += suffix.size() + 2;
    }
  }
  return text + ")";
}

// repr() of a plain (not quantized) tensor of the given dtype, as the
// per-channel parameters print. The default float dtype is float32; int64
// needs no dtype suffix unless the tensor is empty.
std::string PlainTensorRepr(const ShownTensor& tensor, const std::string& dtype_name) {
  const bool is_default_float = dtype_name == "float32";
  std::vector<std::string> suffixes;
  if (Product(tensor.shape) == 0) {
    if (tensor.shape.size() != 1) {
      suffixes.push_back("size=" + ShapeText(tensor.shape, ShapeStyle::kTuple));
    }
    if (!is_default_float) suffixes.push_back(kDtypePrefix + dtype_name);
  } else if (!is_default_float && dtype_name != "int64" && dtype_name != "bool") {
    suffixes.push_back(kDtypePrefix + dtype_name);
  }
  return AddSuffixes(kTensorPrefix + TensorBody(tensor, kTensorIndent), suffixes, kTensorIndent);
}

// float64, or float32 for float qparams (PyTorch keeps those scales and
// zero points as float tensors).
template <typename Real>
std::string RealsRepr(const std::vector<Real>& values, const std::string& dtype_name) {
  ShownTensor tensor;
  tensor.shape = {static_cast<int64_t>(values.size())};
  tensor.summarize = Summarizes(tensor.shape);
  const std::vector<Real> shown = ShownOfVector(values);
  tensor.reals.assign(shown.begin(), shown.end());
  return PlainTensorRepr(tensor, dtype_name);
}

std::string ZeroPointsRepr(const std::vector<int64_t>& zero_points) {
  ShownTensor tensor;
  tensor.shape = {static_cast<int64_t>(zero_points.size())};
  tensor.summarize = Summarizes(tensor.shape);
  tensor.is_floating = false;
  tensor.ints = ShownOfVector(zero_points);
  return PlainTensorRepr(tensor, "int64");
}

std::string RenameTorchToQtensor(std::string text) {
  const std::string from = kTorchNamespace;
  const std::string to = kOurNamespace;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

void CheckPrintable(const PrintableTensor& tensor) {
  for (int64_t size : tensor.shape) {
    if (size < 0) throw std::invalid_argument("FormatQuantizedTensor: negative size");
  }
  if (static_cast<int64_t>(tensor.shown_values.size()) !=
      Product(ShownShape(tensor.shape, Summarizes(tensor.shape)))) {
    throw std::invalid_argument("FormatQuantizedTensor: values do not match the shown shape");
  }
  if (tensor.per_channel && tensor.scales.size() != tensor.zero_points.size()) {
    throw std::invalid_argument("FormatQuantizedTensor: scales and zero points differ in count");
  }
}

// Splits the shortest round-trip digits of a finite, nonzero |value| into the
// digit string and the decimal exponent of its first digit.
void ShortestDigits(double magnitude, std::string* digits, int* exponent) {
  char buffer[64];
  const std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), magnitude, std::chars_format::scientific);
  const std::string text(buffer, result.ptr);  // "d[.ddd]e[+-]xx"
  const size_t e = text.find('e');
  digits->clear();
  for (size_t i = 0; i < e; ++i) {
    if (text[i] != '.') digits->push_back(text[i]);
  }
  *exponent = std::stoi(text.substr(e + 1));
}

}  // namespace

std::vector<std::vector<int64_t>> ShownIndices(const std::vector<int64_t>& shape) {
  // An empty tensor shows nothing (and its other dims may be huge).
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) {
    return std::vector<std::vector<int64_t>>(shape.size());
  }
  const bool summarize = Summarizes(shape);
  std::vector<std::vector<int64_t>> indices;
  for (int64_t size : shape) {
    std::vector<int64_t> dim;
    for (int64_t position : ShownPositions(size, summarize)) {
      if (position == kEllipsis) continue;
      // The last kEdgeItems positions of an elided dim are its last indices.
      dim.push_back(Elides(size, summarize) && position >= kEdgeItems
                        ? size - 2 * kEdgeItems + position
                        : position);
    }
    indices.push_back(std::move(dim));
  }
  return indices;
}

std::string FormatPythonFloat(double value) {
  if (!std::isfinite(value)) return NonFiniteText(value);
  const std::string sign = std::signbit(value) ? "-" : "";
  if (value == 0.0) return sign + "0.0";

  std::string digits;
  int exponent;
  ShortestDigits(std::fabs(value), &digits, &exponent);
  const int num_digits = static_cast<int>(digits.size());

  // Python's repr: positional notation for 1e-4 <= |value| < 1e16, else
  // exponent notation with at least two exponent digits.
  if (exponent < -4 || exponent >= 16) {
    std::string text = sign + digits.substr(0, 1);
    if (num_digits > 1) text += "." + digits.substr(1);
    const int exponent_abs = std::abs(exponent);
    text += exponent < 0 ? "e-" : "e+";
    if (exponent_abs < 10) text += "0";
    return text + std::to_string(exponent_abs);
  }
  const int integer_digits = exponent + 1;  // digits before the point
  if (integer_digits <= 0) return sign + "0." + std::string(-integer_digits, '0') + digits;
  if (integer_digits >= num_digits) {
    return sign + digits + std::string(integer_digits - num_digits, '0') + ".0";
  }
  return sign + digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
}

std::string FormatQuantizedTensor(const PrintableTensor& tensor) {
  CheckPrintable(tensor);

  ShownTensor values;
  values.shape = tensor.shape;
  values.summarize = Summarizes(tensor.shape);
  values.reals.assign(tensor.shown_values.begin(), tensor.shown_values.end());
  const std::string head = kTensorPrefix + TensorBody(values, kTensorIndent);

  // A quantized tensor always shows its size, even when it has elements.
  std::vector<std::string> suffixes = {
      "size=" + ShapeText(tensor.shape, ShapeStyle::kTuple),
      kDtypePrefix + tensor.dtype_name,
  };
  const bool float_qparams = !tensor.float_zero_points.empty();
  if (float_qparams) {
    suffixes.push_back("quantization_scheme=torch.per_channel_affine_float_qparams");
    suffixes.push_back("scale=" + RealsRepr(tensor.scales, "float32"));
    suffixes.push_back("zero_point=" + RealsRepr(tensor.float_zero_points, "float32"));
    if (tensor.axis >= 0) suffixes.push_back("axis=" + std::to_string(tensor.axis));
  } else if (tensor.per_channel) {
    // Per block (which PyTorch lacks) prints as per channel does, its
    // scales flat in their row-major order, then the block size.
    suffixes.push_back(tensor.block_size > 0 ? "quantization_scheme=torch.per_block_affine"
                                             : "quantization_scheme=torch.per_channel_affine");
    suffixes.push_back("scale=" + RealsRepr(tensor.scales, "float64"));
    suffixes.push_back("zero_point=" + ZeroPointsRepr(tensor.zero_points));
    suffixes.push_back("axis=" + std::to_string(tensor.axis));
    if (tensor.block_size > 0)
      suffixes.push_back("block_size=" + std::to_string(tensor.block_size));
  } else {
    suffixes.push_back("quantization_scheme=torch.per_tensor_affine");
    suffixes.push_back("scale=" + FormatPythonFloat(tensor.scale));
    suffixes.push_back("zero_point=" + std::to_string(tensor.zero_point));
  }
  return RenameTorchToQtensor(AddSuffixes(head, suffixes, kTensorIndent));
}

}  // namespace qtensor::core
