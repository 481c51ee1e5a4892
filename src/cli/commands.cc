#include "commands.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <type_traits>

#include "cli_error.h"
#include "npy_file.h"
#include "options.h"
#include "qtensor/qtensor.hpp"

namespace qtensor::cli {
namespace {

std::string OnePositional(const Arguments& arguments, const char* what) {
  if (arguments.positional.size() != 1) {
    throw CliError(kExitUsage, std::string("expected exactly one ") + what + ", got " +
                                   std::to_string(arguments.positional.size()));
  }
  return arguments.positional[0];
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(kExitFailure, "cannot open " + path + ": " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw CliError(kExitFailure, "cannot read " + path);
  return bytes;
}

// Reads a protobuf varint at pos; false if it runs past the end or is too long.
bool ReadVarint(const std::string& bytes, size_t& pos, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && pos < bytes.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(bytes[pos++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// True if the top-level File message's content is a bundle (field 4); the
// last of the oneof's fields wins, as in protobuf. Only looks at the wire
// format; the loader does all the checking.
bool HoldsBundle(const std::string& bytes) {
  constexpr uint64_t kBundleField = 4;
  constexpr uint64_t kTensorField = 3;
  bool bundle = false;
  size_t pos = 0;
  uint64_t key = 0;
  while (pos < bytes.size() && ReadVarint(bytes, pos, key)) {
    uint64_t skip = 0;
    switch (key & 7) {
      case 0:
        if (!ReadVarint(bytes, pos, skip)) return bundle;
        skip = 0;
        break;
      case 1:
        skip = 8;
        break;
      case 2:
        if (!ReadVarint(bytes, pos, skip)) return bundle;
        if ((key >> 3) == kBundleField) bundle = true;
        if ((key >> 3) == kTensorField) bundle = false;
        break;
      case 5:
        skip = 4;
        break;
      default:
        return bundle;
    }
    if (skip > bytes.size() - pos) return bundle;
    pos += static_cast<size_t>(skip);
  }
  return bundle;
}

qt_dtype ParseDType(const std::string& name) {
  for (qt_dtype dtype : {QT_QINT8, QT_QUINT8, QT_QINT32}) {
    if (name == qt_dtype_name(dtype)) return dtype;
  }
  throw CliError(kExitUsage, "--dtype must be qint8, quint8 or qint32, got '" + name + "'");
}

Quantizer MakeQuantizer(const Arguments& arguments) {
  const qt_dtype dtype = ParseDType(arguments.Required("dtype"));
  const std::string& scale = arguments.Required("scale");
  const std::string& zero_point = arguments.Required("zero-point");
  if (!arguments.Has("axis")) {
    if (scale.find(',') != std::string::npos || zero_point.find(',') != std::string::npos) {
      throw CliError(kExitUsage, "lists of scales or zero points need --axis (per channel)");
    }
    return Quantizer::PerTensor(dtype, ParseDouble("scale", scale),
                                ParseInt64("zero-point", zero_point));
  }
  const std::vector<double> scales = ParseDoubleList("scale", scale);
  const std::vector<int64_t> zero_points = ParseInt64List("zero-point", zero_point);
  if (scales.size() != zero_points.size()) {
    throw CliError(kExitUsage, "--scale has " + std::to_string(scales.size()) +
                                   " values but --zero-point has " +
                                   std::to_string(zero_points.size()));
  }
  return Quantizer::PerChannel(dtype, scales, zero_points,
                               ParseInt64("axis", arguments.Required("axis")));
}

// The row-major floats of slice i along dim 0 of array (a new array).
FloatArray Slice0(const FloatArray& array, size_t i) {
  FloatArray slice;
  slice.shape.assign(array.shape.begin() + 1, array.shape.end());
  size_t count = 1;
  for (int64_t size : slice.shape) count *= static_cast<size_t>(size);
  slice.values.assign(array.values.begin() + static_cast<std::ptrdiff_t>(i * count),
                      array.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * count));
  return slice;
}

std::string Number(double value) {
  std::ostringstream text;
  text.precision(9);  // float32 scales round-trip
  text << value;
  return text.str();
}

template <typename T>
std::string Join(const std::vector<T>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    text += (i ? "," : "") + (std::is_floating_point_v<T> ? Number(static_cast<double>(values[i]))
                                                          : std::to_string(values[i]));
  }
  return text;
}

// Parameters from the data: an observer (minmax, or moving-average fed the
// slices along dim 0 as batches) picks them; prints what it chose.
Quantizer ObserveQuantizer(const Arguments& arguments, const FloatArray& array, std::ostream& out) {
  const qt_dtype dtype = ParseDType(arguments.Required("dtype"));
  const std::string kind = arguments.Has("observer") ? arguments.options.at("observer") : "minmax";
  const bool symmetric = arguments.Has("symmetric");
  const bool reduce_range = arguments.Has("reduce-range");
  const bool per_channel = arguments.Has("axis");
  const int64_t axis = per_channel ? ParseInt64("axis", arguments.options.at("axis")) : 0;
  if (kind == "histogram" && per_channel) {
    throw CliError(kExitUsage, "--observer histogram is per tensor: leave out --axis");
  }
  if (kind != "minmax" && kind != "moving-average" && kind != "histogram") {
    throw CliError(kExitUsage,
                   "--observer must be minmax, moving-average or histogram, got '" + kind + "'");
  }
  const bool moving = kind == "moving-average";
  const bool histogram = kind == "histogram";
  if (!moving && arguments.Has("averaging-constant")) {
    throw CliError(kExitUsage, "--averaging-constant needs --observer moving-average");
  }
  const double constant =
      arguments.Has("averaging-constant")
          ? ParseDouble("averaging-constant", arguments.options.at("averaging-constant"))
          : 0.01;
  if (moving && array.shape.empty()) {
    throw CliError(kExitUsage,
                   "--observer moving-average reads the slices along dim 0 as batches: the "
                   "input must have at least one dim");
  }
  // A slice along dim 0 lacks that dim: the channel axis moves down by one.
  int64_t batch_axis = axis;
  if (moving && per_channel) {
    if (axis == 0 || axis == -static_cast<int64_t>(array.shape.size())) {
      throw CliError(kExitUsage,
                     "--observer moving-average reads the slices along dim 0 as batches, so "
                     "--axis cannot be dim 0");
    }
    batch_axis = axis > 0 ? axis - 1 : axis;
  }
  const auto make = [&] {
    try {
      if (histogram) return Observer::Histogram(2048, 128, dtype, symmetric, reduce_range);
      return moving
                 ? (per_channel
                        ? Observer::MovingAveragePerChannelMinMax(constant, batch_axis, dtype,
                                                                  symmetric, reduce_range)
                        : Observer::MovingAverageMinMax(constant, dtype, symmetric, reduce_range))
                 : (per_channel ? Observer::PerChannelMinMax(axis, dtype, symmetric, reduce_range)
                                : Observer::MinMax(dtype, symmetric, reduce_range));
    } catch (const Error& error) {
      throw CliError(kExitUsage, std::string("bad observer options: ") +
                                     qt_status_name(error.status()) + ": " + error.what());
    }
  };
  Observer observer = make();
  try {
    if (moving) {
      for (size_t i = 0; i < static_cast<size_t>(array.shape[0]); ++i) {
        const FloatArray slice = Slice0(array, i);
        observer.forward(slice.values, slice.shape);
      }
    } else {
      observer.forward(array.values, array.shape);
    }
    Quantizer quantizer = observer.quantizer();
    const ObserverQParams p = observer.calculate_qparams();
    out << kind << " observer, "
        << (per_channel ? (symmetric ? "per_channel_symmetric" : "per_channel_affine")
                        : (symmetric ? "per_tensor_symmetric" : "per_tensor_affine"))
        << ", " << qt_dtype_name(dtype) << (reduce_range ? ", reduce_range" : "") << ": ";
    if (per_channel) {
      out << "axis " << axis << " scales " << Join(p.scales) << " zero_points "
          << Join(p.zero_points) << "\n";
      return Quantizer::PerChannel(dtype, std::vector<double>(p.scales.begin(), p.scales.end()),
                                   p.zero_points, axis);
    }
    out << "scale " << Number(p.scales[0]) << " zero_point " << p.zero_points[0] << "\n";
    return quantizer;
  } catch (const Error& error) {
    throw CliError(kExitFailure, std::string("cannot choose parameters: ") +
                                     qt_status_name(error.status()) + ": " + error.what());
  }
}

}  // namespace

void RunInfo(const std::vector<std::string>& args, std::ostream& out) {
  const std::string path = OnePositional(ParseArguments(args, {}), "FILE");
  const std::string bytes = ReadFile(path);
  try {
    if (!HoldsBundle(bytes)) {
      out << Tensor::deserialize(bytes).to_string() << "\n";
      return;
    }
    const Bundle bundle = Bundle::deserialize(bytes);
    const std::vector<std::string> names = bundle.names();
    out << "bundle of " << names.size() << " tensor" << (names.size() == 1 ? "" : "s") << "\n";
    for (size_t i = 0; i < names.size(); ++i) {
      out << names[i] << ":\n" << bundle.at(i).to_string() << "\n";
    }
    const std::vector<std::string> keys = bundle.metadata_keys();
    out << "metadata (" << keys.size() << (keys.size() == 1 ? " key" : " keys") << ")"
        << (keys.empty() ? "" : ":") << "\n";
    for (const std::string& key : keys) {
      const std::string value = bundle.metadata(key);
      out << "  " << key << ":" << (value.empty() ? "" : " ") << value << "\n";
    }
  } catch (const Error& error) {
    throw CliError(kExitFailure,
                   path + ": " + qt_status_name(error.status()) + ": " + error.what());
  }
}

void RunQuantize(const std::vector<std::string>& args, std::ostream& out) {
  const Arguments arguments = ParseArguments(
      args, {"scale", "zero-point", "dtype", "axis", "output", "observer", "averaging-constant"},
      {"symmetric", "reduce-range"});
  const std::string input = OnePositional(arguments, "input .npy file");
  const std::string& output = arguments.Required("output");
  // Without --scale and --zero-point, an observer picks them from the data.
  const bool observe = !arguments.Has("scale") && !arguments.Has("zero-point");
  if (!observe) {
    for (const char* option : {"observer", "averaging-constant", "symmetric", "reduce-range"}) {
      if (arguments.Has(option)) {
        throw CliError(kExitUsage, std::string("--") + option +
                                       " chooses parameters from the data: leave out --scale "
                                       "and --zero-point");
      }
    }
  }
  std::optional<Quantizer> quantizer;
  if (!observe) {
    try {
      quantizer.emplace(MakeQuantizer(arguments));
    } catch (const Error& error) {
      throw CliError(kExitUsage, std::string("bad quantization parameters: ") +
                                     qt_status_name(error.status()) + ": " + error.what());
    }
  } else {
    ParseDType(arguments.Required("dtype"));  // usage errors before the file is read
  }
  FloatArray array;
  try {
    array = ReadNpy(input);
  } catch (const NpyError& error) {
    throw CliError(kExitFailure, error.what());
  }
  if (observe) quantizer.emplace(ObserveQuantizer(arguments, array, out));
  const Tensor tensor = Tensor::Quantize(array.values, array.shape, *quantizer);
  try {
    tensor.save(output);
  } catch (const Error& error) {
    throw CliError(kExitFailure,
                   output + ": " + qt_status_name(error.status()) + ": " + error.what());
  }
}

void RunDequantize(const std::vector<std::string>& args) {
  const Arguments arguments = ParseArguments(args, {"output"});
  const std::string input = OnePositional(arguments, "input file");
  const std::string& output = arguments.Required("output");
  FloatArray array;
  try {
    const Tensor tensor = Tensor::deserialize(ReadFile(input));
    array.shape = tensor.sizes();
    array.values = tensor.dequantize();
  } catch (const Error& error) {
    throw CliError(kExitFailure,
                   input + ": " + qt_status_name(error.status()) + ": " + error.what());
  }
  try {
    WriteNpy(output, array);
  } catch (const NpyError& error) {
    throw CliError(kExitFailure, error.what());
  }
}

}  // namespace qtensor::cli
