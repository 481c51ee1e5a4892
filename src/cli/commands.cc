#include "commands.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>
#include <type_traits>

#include "cli_error.h"
#include "npy_file.h"
#include "npz_file.h"
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

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Refuses a NumPy file where a qtensor file is expected, saying what it is
// (a valid file of the other kind is not corrupt data).
void RefuseNumPyFile(const std::string& path, const std::string& bytes) {
  if (HasNpyMagic(bytes)) {
    std::string what;
    std::string convert;
    try {
      const NpyHeader header = ParseNpyHeader(bytes);
      what = "is a NumPy .npy file (" + NpyTypeName(header.descr) + ", shape " +
             NpyShapeText(header.shape) + ")";
      const std::string type = header.descr.substr(1);
      if (type != "f4" && type != "f8") {
        convert = "; qtensor quantize reads float32 and float64: convert it first";
      }
    } catch (const NpyError& error) {
      what = "looks like a NumPy .npy file (" + std::string(error.what()) + ")";
    }
    throw CliError(kExitFailure,
                   path + " " + what + ", not a qtensor file: make one with qtensor quantize " +
                       path + " --dtype qint8 -o OUT.qt (see qtensor help quantize)" + convert);
  }
  if (bytes.compare(0, 4, "PK\x03\x04", 4) == 0 || bytes.compare(0, 4, "PK\x05\x06", 4) == 0) {
    throw CliError(kExitFailure, path +
                                     " is a ZIP archive (a NumPy .npz file?), not a qtensor "
                                     "file: qtensor quantize reads .npy files");
  }
}

// Refuses a qtensor file where a .npy file is expected, saying what it is.
void RefuseQTensorFile(const std::string& path, const std::string& bytes) {
  if (HasNpyMagic(bytes)) return;
  std::string what;
  try {
    if (HoldsBundle(bytes)) {
      const size_t count = Bundle::deserialize(bytes).size();
      what = "a qtensor bundle file (" + std::to_string(count) + " tensor" +
             (count == 1 ? "" : "s") + ")";
    } else {
      const Tensor tensor = Tensor::deserialize(bytes);
      what = std::string("a qtensor file (") + qt_dtype_name(tensor.dtype()) + ", shape " +
             NpyShapeText(tensor.sizes()) + ")";
    }
  } catch (const Error&) {
    return;  // neither: the .npy reader says what is wrong
  }
  throw CliError(kExitFailure, path + " is " + what +
                                   ", not a .npy file: it is quantized already; qtensor "
                                   "dequantize turns it back into NumPy data");
}

// "a, b, c" (the first few, then how many in all).
std::string NameList(const std::vector<std::string>& names) {
  constexpr size_t kShown = 10;
  std::string text;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) {
    text += (i ? ", '" : "'") + names[i] + "'";
  }
  if (names.size() > kShown) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return names.empty() ? "none" : text;
}

template <typename T>
std::string LittleEndianBytes(const std::vector<T>& values) {
  std::string bytes;
  bytes.reserve(values.size() * sizeof(T));
  for (T value : values) {
    std::make_unsigned_t<std::conditional_t<std::is_floating_point_v<T>, uint32_t, T>> bits;
    static_assert(sizeof bits == sizeof value);
    std::memcpy(&bits, &value, sizeof bits);
    for (size_t i = 0; i < sizeof bits; ++i) bytes += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  return bytes;
}

// A tensor as the bytes of a .npy file: its dequantized floats (float32), or
// with int_repr its integers (int8, uint8 or int32).
std::string TensorNpy(const Tensor& tensor, bool int_repr) {
  const std::vector<int64_t> shape = tensor.sizes();
  if (!int_repr) return EncodeNpy("<f4", shape, LittleEndianBytes(tensor.dequantize()));
  switch (tensor.dtype()) {
    case QT_QINT8:
      return EncodeNpy("|i1", shape, LittleEndianBytes(tensor.int_repr<int8_t>()));
    case QT_QUINT8:
      return EncodeNpy("|u1", shape, LittleEndianBytes(tensor.int_repr<uint8_t>()));
    case QT_QINT32:
      return EncodeNpy("<i4", shape, LittleEndianBytes(tensor.int_repr<int32_t>()));
    case QT_QINT16:
      return EncodeNpy("<i2", shape, LittleEndianBytes(tensor.int_repr<int16_t>()));
    case QT_QUINT16:
      return EncodeNpy("<u2", shape, LittleEndianBytes(tensor.int_repr<uint16_t>()));
    case QT_QINT4:  // one value per byte, as int_repr gives them
      return EncodeNpy("|i1", shape, LittleEndianBytes(tensor.int_repr<int8_t>()));
    case QT_QUINT4X2:
    case QT_QUINT2X4:
    case QT_QUINT4:
      return EncodeNpy("|u1", shape, LittleEndianBytes(tensor.int_repr<uint8_t>()));
  }
  throw CliError(kExitFailure, std::string("no NumPy type for ") + qt_dtype_name(tensor.dtype()));
}

qt_dtype ParseDType(const std::string& name) {
  for (qt_dtype dtype : {QT_QINT8, QT_QUINT8, QT_QINT32, QT_QINT16, QT_QUINT16, QT_QUINT4X2,
                         QT_QUINT2X4, QT_QINT4, QT_QUINT4}) {
    if (name == qt_dtype_name(dtype)) return dtype;
  }
  throw CliError(kExitUsage,
                 "--dtype must be qint8, quint8, qint32, qint16, quint16, quint4x2, quint2x4, "
                 "qint4 or quint4, got '" +
                     name + "'");
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

void PrintBundle(const Bundle& bundle, std::ostream& out) {
  const std::vector<std::string> names = bundle.names();
  out << "bundle of " << names.size() << " tensor" << (names.size() == 1 ? "" : "s") << "\n";
  for (size_t i = 0; i < names.size(); ++i) {
    out << names[i] << ":\n";
    if (bundle.is_float(names[i])) {
      out << "unquantized " << qt_float_dtype_name(bundle.float_dtype(names[i])) << ", shape "
          << NpyShapeText(bundle.float_shape(names[i])) << "\n";
    } else {
      out << bundle.at(i).to_string() << "\n";
    }
  }
  const std::vector<std::string> keys = bundle.metadata_keys();
  out << "metadata (" << keys.size() << (keys.size() == 1 ? " key" : " keys") << ")"
      << (keys.empty() ? "" : ":") << "\n";
  for (const std::string& key : keys) {
    const std::string value = bundle.metadata(key);
    out << "  " << key << ":" << (value.empty() ? "" : " ") << value << "\n";
  }
}

bool IsGguf(const std::string& bytes) { return bytes.compare(0, 4, "GGUF", 4) == 0; }

Bundle GgufBundle(const std::string& bytes) {
  qt_bundle* bundle = nullptr;
  qtensor::detail::Check(qt_bundle_deserialize_gguf(
      &bundle, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  return Bundle(bundle);
}

// What a file holds, told by its content; ONNX models, which have no magic
// number, by the name's extension.
enum class FileKind { kTensor, kBundle, kContainer, kGguf, kOnnx };

// Whether the file starts with a container's magic (read without reading
// the rest: containers are mapped, however large).
bool IsContainerFile(const std::string& path) {
  constexpr size_t kMagicBytes = sizeof(QTENSOR_CONTAINER_MAGIC) - 1;
  char magic[kMagicBytes] = {};
  std::ifstream in(path, std::ios::binary);
  return in.read(magic, kMagicBytes) &&
         std::memcmp(magic, QTENSOR_CONTAINER_MAGIC, kMagicBytes) == 0;
}

// An input file: its kind and, except for a container, its bytes.
struct Input {
  std::string path;
  FileKind kind;
  std::string bytes;
};

Input ReadInput(const std::string& path) {
  if (IsContainerFile(path)) return {path, FileKind::kContainer, ""};
  std::string bytes = ReadFile(path);
  RefuseNumPyFile(path, bytes);
  const FileKind kind = IsGguf(bytes)             ? FileKind::kGguf
                        : EndsWith(path, ".onnx") ? FileKind::kOnnx
                        : HoldsBundle(bytes)      ? FileKind::kBundle
                                                  : FileKind::kTensor;
  return {path, kind, std::move(bytes)};
}

// The bundle of a bundle, container, GGUF or ONNX file.
Bundle BundleOf(const Input& input) {
  switch (input.kind) {
    case FileKind::kContainer:
      return Bundle::load(input.path);  // its tensors mapped
    case FileKind::kGguf:
      return GgufBundle(input.bytes);
    case FileKind::kOnnx:
      return Bundle::deserialize_onnx(input.bytes);
    default:
      return Bundle::deserialize(input.bytes);
  }
}

const char* FormatName(FileKind kind) {
  switch (kind) {
    case FileKind::kGguf:
      return "GGUF";
    case FileKind::kOnnx:
      return "ONNX";
    case FileKind::kContainer:
      return "qtensor container";
    default:
      return "qtensor bundle (message form)";
  }
}

}  // namespace

void RunInfo(const std::vector<std::string>& args, std::ostream& out) {
  const std::string path = OnePositional(ParseArguments(args, {}), "FILE");
  const Input input = ReadInput(path);
  const std::string& bytes = input.bytes;
  try {
    if (input.kind == FileKind::kGguf) {
      std::optional<Bundle> bundle;
      try {
        bundle.emplace(GgufBundle(bytes));
      } catch (const Error& error) {
        // Not a bundle (k-quants, say): list what the file holds, and why.
        out << describe_gguf(bytes)
            << "not readable as a qtensor bundle: " << qt_status_name(error.status()) << ": "
            << error.what() << "\n";
        return;
      }
      out << "GGUF file: ";
      PrintBundle(*bundle, out);
    } else if (input.kind == FileKind::kOnnx || input.kind == FileKind::kContainer) {
      const Bundle bundle = BundleOf(input);  // before any output
      out << (input.kind == FileKind::kOnnx ? "ONNX model: " : "container: ");
      PrintBundle(bundle, out);
    } else if (input.kind == FileKind::kBundle) {
      PrintBundle(BundleOf(input), out);
    } else {
      out << Tensor::deserialize(bytes).to_string() << "\n";
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
  const std::string bytes = ReadFile(input);
  RefuseQTensorFile(input, bytes);
  FloatArray array;
  try {
    array = ParseNpy(bytes);
  } catch (const NpyError& error) {
    throw CliError(kExitFailure, input + ": " + error.what());
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

void RunConvert(const std::vector<std::string>& args, std::ostream& out) {
  const Arguments arguments = ParseArguments(args, {"output"}, {"container", "message"});
  const std::string input = OnePositional(arguments, "input file");
  const std::string& output = arguments.Required("output");
  const Input file = ReadInput(input);
  Bundle bundle;
  try {
    if (file.kind != FileKind::kTensor) {
      bundle = BundleOf(file);
    } else {
      const Tensor tensor = Tensor::deserialize(file.bytes);
      bundle.set("tensor", tensor);  // GGUF and ONNX name their tensors
    }
  } catch (const Error& error) {
    throw CliError(kExitFailure,
                   input + ": " + qt_status_name(error.status()) + ": " + error.what());
  }
  // The output's name picks the format; --message the qtensor form other
  // than the default container.
  if (arguments.Has("container") && arguments.Has("message")) {
    throw CliError(kExitUsage, "--container and --message are two forms: give one");
  }
  const FileKind to = EndsWith(output, ".gguf")   ? FileKind::kGguf
                      : EndsWith(output, ".onnx") ? FileKind::kOnnx
                      : arguments.Has("message")  ? FileKind::kBundle
                                                  : FileKind::kContainer;
  for (const char* form : {"container", "message"}) {
    if (arguments.Has(form) && to != FileKind::kContainer && to != FileKind::kBundle) {
      throw CliError(kExitUsage, std::string("--") + form +
                                     " is a qtensor file's form: not for a .gguf or .onnx output");
    }
  }
  try {
    if (to == FileKind::kGguf) {
      bundle.save_gguf(output);
    } else if (to == FileKind::kOnnx) {
      bundle.save_onnx(output);
    } else if (to == FileKind::kContainer) {
      bundle.save_container(output);
    } else {
      bundle.save_message(output);
    }
  } catch (const Error& error) {
    throw CliError(kExitFailure,
                   output + ": " + qt_status_name(error.status()) + ": " + error.what());
  }
  out << "wrote " << bundle.size() << " tensor" << (bundle.size() == 1 ? "" : "s") << " to "
      << output << " (" << FormatName(to) << ")\n";
}

namespace {

// A float entry as the bytes of a .npy file, in its own type where NumPy has
// one (float32, float16); bfloat16, which NumPy lacks, widens exactly to
// float32. Float entries have no integers, so --int-repr writes them so too.
std::string FloatEntryNpy(const Bundle& bundle, const std::string& name) {
  const std::vector<int64_t> shape = bundle.float_shape(name);
  switch (bundle.float_dtype(name)) {
    case QT_FLOAT32: {
      const std::vector<uint8_t> data = bundle.float_data(name);
      return EncodeNpy("<f4", shape, std::string(data.begin(), data.end()));
    }
    case QT_FLOAT16: {
      const std::vector<uint8_t> data = bundle.float_data(name);
      return EncodeNpy("<f2", shape, std::string(data.begin(), data.end()));
    }
    case QT_BFLOAT16:
      return EncodeNpy("<f4", shape, LittleEndianBytes(bundle.float_values(name)));
  }
  throw CliError(kExitFailure, "no NumPy type for the float entry '" + name + "'");
}

// One array of the output: its name (for .npz) and its .npy bytes, made
// when written so that only one array's bytes are held at a time.
using NpyArray = std::pair<std::string, std::function<std::string()>>;

NpyArray BundleArray(const Bundle& bundle, const std::string& name, bool int_repr) {
  if (bundle.is_float(name)) return {name, [&bundle, name] { return FloatEntryNpy(bundle, name); }};
  return {name, [tensor = bundle.get(name), int_repr] { return TensorNpy(tensor, int_repr); }};
}

}  // namespace

void RunVerify(const std::vector<std::string>& args, std::ostream& out) {
  const std::string path = OnePositional(ParseArguments(args, {}), "FILE");
  const Input input = ReadInput(path);
  try {
    if (input.kind != FileKind::kContainer) {
      // Only containers carry checksums: the others are read and validated whole.
      std::string what = "a qtensor tensor file";
      if (input.kind == FileKind::kTensor) {
        (void)Tensor::deserialize(input.bytes);
      } else {
        const size_t count = BundleOf(input).size();
        what = std::string("a ") + FormatName(input.kind) + " file of " + std::to_string(count) +
               (count == 1 ? " tensor" : " tensors");
      }
      out << path << ": " << what << ", read and validated (it has no checksums)\n";
      return;
    }
    const BundleFile file = BundleFile::open(path);
    file.verify();
    out << path << ": " << file.size() << " entr" << (file.size() == 1 ? "y" : "ies")
        << ", every checksum matches\n";
  } catch (const Error& error) {
    throw CliError(kExitFailure,
                   path + ": " + qt_status_name(error.status()) + ": " + error.what());
  }
}

void RunDequantize(const std::vector<std::string>& args, std::ostream&) {
  const Arguments arguments = ParseArguments(args, {"output", "name"}, {"int-repr"});
  const std::string input = OnePositional(arguments, "input file");
  const std::string& output = arguments.Required("output");
  const bool int_repr = arguments.Has("int-repr");
  // The output's name picks the format: .npz is NumPy's archive of arrays.
  const bool npz = EndsWith(output, ".npz");
  const Input file = ReadInput(input);
  try {
    std::vector<NpyArray> arrays;
    Bundle bundle;
    if (file.kind == FileKind::kTensor) {
      const Tensor tensor = Tensor::deserialize(file.bytes);
      if (arguments.Has("name")) {
        throw CliError(kExitUsage,
                       "--name is for bundles: " + input + " holds one tensor (leave out --name)");
      }
      // numpy.savez's name for it
      arrays.emplace_back("arr_0", [tensor, int_repr] { return TensorNpy(tensor, int_repr); });
    } else {
      bundle = BundleOf(file);
      if (arguments.Has("name")) {
        const std::string& name = arguments.options.at("name");
        if (!bundle.contains(name)) {
          throw CliError(kExitFailure, input + " has no tensor named '" + name +
                                           "'; its tensors are " + NameList(bundle.names()));
        }
        arrays.push_back(BundleArray(bundle, name, int_repr));
      } else {
        if (!npz) {
          throw CliError(kExitUsage, input + " is a bundle of " + std::to_string(bundle.size()) +
                                         (bundle.size() == 1 ? " tensor" : " tensors") +
                                         ": write them all with -o OUT.npz, or one "
                                         "with --name NAME (tensors: " +
                                         NameList(bundle.names()) + ")");
        }
        for (const std::string& name : bundle.names())
          arrays.push_back(BundleArray(bundle, name, int_repr));
      }
    }
    try {
      if (!npz) {
        WriteBytes(output, arrays[0].second());
        return;
      }
      NpzWriter writer(output);
      for (const auto& [name, make_npy] : arrays) writer.Add(name, make_npy());
      writer.Finish();
    } catch (const NpyError& error) {
      throw CliError(kExitFailure, error.what());
    }
  } catch (const Error& error) {
    throw CliError(kExitFailure,
                   input + ": " + qt_status_name(error.status()) + ": " + error.what());
  }
}

namespace {

constexpr char kInfoUsage[] =
    "qtensor info FILE\n"
    "    print the tensor of a qtensor file, or each tensor and the metadata of a\n"
    "    bundle file, a GGUF file or an ONNX model (a name ending in .onnx; its\n"
    "    DequantizeLinear initializers and float outputs, docs/onnx.md), as\n"
    "    PyTorch prints tensors (a GGUF file's\n"
    "    metadata values as typed text: UINT32 32, STRING \"llama\"); a GGUF file\n"
    "    with tensors qtensor does not read (k-quants, say) is listed instead:\n"
    "    each tensor's name, ggml type, shape and size, then the metadata\n";

constexpr char kConvertUsage[] =
    "qtensor convert IN -o OUT\n"
    "    convert between GGUF files, ONNX models and qtensor files: IN is a GGUF\n"
    "    file, an ONNX model (a name ending in .onnx) or a qtensor tensor or\n"
    "    bundle file; OUT ending in .gguf gets a GGUF file, in .onnx an ONNX\n"
    "    model, any other name a qtensor bundle file. GGUF's Q8_0 and Q4_0\n"
    "    tensors are per-block qint8 and quint4 tensors (docs/gguf.md); written\n"
    "    to GGUF, every tensor must be in one of those two forms. GGUF -> qtensor\n"
    "    -> GGUF gives the same tensor bytes and metadata values. ONNX models\n"
    "    hold each tensor as DequantizeLinear initializers (docs/onnx.md).\n"
    "    A qtensor OUT is a container (docs/format.md): any size, its tensors\n"
    "    mapped when read, each entry checksummed (--container says so\n"
    "    explicitly). IN may be a container in every command.\n"
    "qtensor convert IN -o OUT --message\n"
    "    write a qtensor OUT in the message form instead: one protobuf message\n"
    "    (at most 2 GiB), as bundle files were before 0.2.0, read whole.\n";

constexpr char kVerifyUsage[] =
    "qtensor verify FILE\n"
    "    check a container's checksums (XXH3-64 of each entry's bytes against\n"
    "    its header, docs/format.md): exit status 1 naming the first entry whose\n"
    "    bytes changed. Other qtensor, GGUF and ONNX files have no checksums:\n"
    "    they are read and validated whole\n";

constexpr char kQuantizeUsage[] =
    "qtensor quantize IN.npy --scale S --zero-point Z --dtype qint8|quint8|qint32|...\n"
    "                 [--axis A] -o OUT\n"
    "    quantize the float32 or float64 data of a .npy file (little- or\n"
    "    big-endian, C or Fortran order) into a qtensor file; with --axis A, per\n"
    "    channel along dim A, S and Z being comma-separated lists with one entry\n"
    "    per channel\n"
    "qtensor quantize IN.npy --dtype D [--observer minmax|moving-average|histogram]\n"
    "                 [--symmetric] [--reduce-range] [--averaging-constant C]\n"
    "                 [--axis A] -o OUT\n"
    "    without --scale and --zero-point, pick them from the data as\n"
    "    torch.ao.quantization's observers do (per channel with --axis) and\n"
    "    print them; moving-average reads the slices along dim 0 as batches\n"
    "    (C defaults to 0.01); histogram (per tensor) is HistogramObserver's\n"
    "    defaults\n";

constexpr char kDequantizeUsage[] =
    "qtensor dequantize IN [--int-repr] -o OUT.npy\n"
    "    write the dequantized values of a tensor file as a float32 .npy file;\n"
    "    with --int-repr, its integers instead (int8, uint8 or int32)\n"
    "qtensor dequantize BUNDLE --name NAME [--int-repr] -o OUT.npy\n"
    "    the same for the bundle's tensor called NAME\n"
    "    A BUNDLE is a qtensor bundle file, a GGUF file or an ONNX model (a name\n"
    "    ending in .onnx). Its unquantized float\n"
    "    entries are written as they are (float32, float16; bfloat16, which\n"
    "    NumPy lacks, as float32), with or without --int-repr.\n"
    "qtensor dequantize BUNDLE [--int-repr] -o OUT.npz\n"
    "    write every tensor of a bundle into one NumPy .npz file (uncompressed,\n"
    "    as numpy.savez writes), as the member NAME.npy, so that numpy.load's\n"
    "    keys are the tensors' names; '/', '\\', '%' and control characters in a\n"
    "    name are written %XX (a/b becomes a%2Fb)\n"
    "    An output ending in .npz is always a .npz file (a tensor file's one\n"
    "    array is called arr_0 there, as numpy.savez calls it); any other name\n"
    "    gets a .npy file.\n";

}  // namespace

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"info", kInfoUsage, RunInfo},
      {"quantize", kQuantizeUsage, RunQuantize},
      {"dequantize", kDequantizeUsage, RunDequantize},
      {"convert", kConvertUsage, RunConvert},
      {"verify", kVerifyUsage, RunVerify},
  };
  return commands;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& command : Commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

}  // namespace qtensor::cli
