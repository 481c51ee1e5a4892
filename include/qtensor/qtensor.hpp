// qtensor.hpp - header-only C++ facade over the C ABI in qtensor.h.
//
// RAII classes that own their handles and throw qtensor::Error on failure.
// Method names follow PyTorch's C++ API (q_scale, int_repr, copy_, ...).
// Everything here calls only qt_* functions.
//
// Requires C++17 (-std=c++17 or later; CMake's qtensor::qtensor target asks
// for it). From C, include qtensor.h instead.
#ifndef QTENSOR_QTENSOR_HPP
#define QTENSOR_QTENSOR_HPP

#if !defined(SWIG) && (!defined(__cplusplus) || __cplusplus < 201703L)
#error "qtensor.hpp requires C++17 or later (compile with -std=c++17); C code includes qtensor.h"
#endif

#include <array>
#include <cstdint>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "qtensor/qtensor.h"

namespace qtensor {

// A failed call: the status and the library's message.
class Error : public std::runtime_error {
 public:
  Error(qt_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  qt_status status() const noexcept { return status_; }

 private:
  qt_status status_;
};

namespace detail {

inline void Check(qt_status status) {
  if (status != QT_OK) throw Error(status, qt_last_error_message());
}

struct TensorDeleter {
  void operator()(qt_tensor* tensor) const noexcept { qt_tensor_free(tensor); }
};
struct QuantizerDeleter {
  void operator()(qt_quantizer* quantizer) const noexcept { qt_quantizer_free(quantizer); }
};

// Calls write(&buffer, &size), copies the library's buffer into a string
// (bytes, not text) and frees it.
template <typename Write>
std::string TakeBuffer(Write&& write) {
  uint8_t* buffer = nullptr;
  size_t size = 0;
  Check(write(&buffer, &size));
  std::unique_ptr<uint8_t, void (*)(uint8_t*)> owned(buffer, qt_buffer_free);
  return std::string(reinterpret_cast<const char*>(buffer), size);
}

// A string the library allocated, copied and freed.
inline std::string TakeString(char* text) {
  std::unique_ptr<char, void (*)(char*)> owned(text, qt_string_free);
  return std::string(text);
}

// A pooling size as PyTorch takes it: one number for both dims, or
// (height, width).
inline std::array<int64_t, 2> PoolPair(const std::vector<int64_t>& values, const char* name) {
  if (values.size() == 1) return {values[0], values[0]};
  if (values.size() == 2) return {values[0], values[1]};
  throw Error(QT_ERR_INVALID_ARGUMENT, std::string(name) + " must have 1 or 2 entries, got " +
                                           std::to_string(values.size()));
}

// The dtype whose integers are T's.
template <typename T>
constexpr qt_dtype DTypeOf() {
  static_assert(std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t> ||
                    std::is_same_v<T, int16_t> || std::is_same_v<T, uint16_t> ||
                    std::is_same_v<T, int32_t>,
                "quantized integers are int8_t, uint8_t, int16_t, uint16_t or int32_t");
  if constexpr (std::is_same_v<T, int8_t>) return QT_QINT8;
  if constexpr (std::is_same_v<T, uint8_t>) return QT_QUINT8;
  if constexpr (std::is_same_v<T, int16_t>) return QT_QINT16;
  if constexpr (std::is_same_v<T, uint16_t>) return QT_QUINT16;
  return QT_QINT32;
}

// Whether T is the type of dtype's int_repr: the packed dtypes give one
// int8_t (qint4) or uint8_t (the others) per value.
template <typename T>
bool IsIntReprOf(qt_dtype dtype) {
  switch (dtype) {
    case QT_QINT4:
      return std::is_same_v<T, int8_t>;
    case QT_QUINT4X2:
    case QT_QUINT2X4:
    case QT_QUINT4:
      return std::is_same_v<T, uint8_t>;
    default:
      return DTypeOf<T>() == dtype;
  }
}

}  // namespace detail

// The library's version ("0.2.0") and the SIMD target its kernels dispatch
// to on this CPU ("AVX2").
inline std::string version() { return qt_version(); }
inline std::string simd_target() { return qt_simd_target(); }
// The loaded library's QTENSOR_VERSION_NUMBER (MAJOR * 10000 + MINOR * 100 +
// PATCH), to compare with the header's.
inline unsigned version_number() { return qt_version_number(); }
// Caps the SIMD target for the whole process (qt_set_max_simd_target): the
// kernels use the best supported target not above target ("AVX2", "SSE4",
// any case); "" removes the cap. Throws Error for an unknown name.
inline void set_max_simd_target(const std::string& target) {
  detail::Check(qt_set_max_simd_target(target.c_str()));
}

// Threads for quantize and dequantize calls of 2^20 elements and more, for
// the whole process (qt_set_num_threads): 1, the default, starts none; 0
// means one per logical core. Throws Error for a count below 0 or above 64.
inline void set_num_threads(int threads) { detail::Check(qt_set_num_threads(threads)); }
// The count in effect: after set_num_threads(0), the number of logical cores.
inline int get_num_threads() { return qt_get_num_threads(); }

// A dtype's element size in bytes and PyTorch's names of a dtype ("qint8")
// and a scheme ("per_tensor_affine"); Error for a value outside the enum.
inline size_t dtype_size(qt_dtype dtype) {
  size_t size = qt_dtype_size(dtype);
  if (size == 0) throw Error(QT_ERR_INVALID_ARGUMENT, "unknown dtype");
  return size;
}
// The bits one element takes in storage (4 for quint4x2).
inline size_t dtype_bits(qt_dtype dtype) {
  size_t bits = qt_dtype_bits(dtype);
  if (bits == 0) throw Error(QT_ERR_INVALID_ARGUMENT, "unknown dtype");
  return bits;
}
inline std::string dtype_name(qt_dtype dtype) {
  const char* name = qt_dtype_name(dtype);
  if (name == nullptr) throw Error(QT_ERR_INVALID_ARGUMENT, "unknown dtype");
  return name;
}
inline std::string qscheme_name(qt_qscheme qscheme) {
  const char* name = qt_qscheme_name(qscheme);
  if (name == nullptr) throw Error(QT_ERR_INVALID_ARGUMENT, "unknown qscheme");
  return name;
}
// A rounding's name ("pytorch", "onnx") and a scale type's ("float16").
inline std::string rounding_name(qt_rounding rounding) {
  const char* name = qt_rounding_name(rounding);
  if (name == nullptr) throw Error(QT_ERR_INVALID_ARGUMENT, "unknown rounding");
  return name;
}
inline std::string scale_type_name(qt_scale_type type) {
  const char* name = qt_scale_type_name(type);
  if (name == nullptr) throw Error(QT_ERR_INVALID_ARGUMENT, "unknown scale type");
  return name;
}
// A bundle float entry's dtype name ("float32", "float16", "bfloat16").
inline std::string float_dtype_name(qt_float_dtype dtype) {
  const char* name = qt_float_dtype_name(dtype);
  if (name == nullptr) throw Error(QT_ERR_INVALID_ARGUMENT, "unknown float dtype");
  return name;
}

// Quantization parameters (immutable).
class Quantizer {
 public:
  static Quantizer PerTensor(qt_dtype dtype, double scale, int64_t zero_point) {
    qt_quantizer* handle = nullptr;
    detail::Check(qt_quantizer_new_per_tensor(&handle, dtype, scale, zero_point));
    return Quantizer(handle);
  }
  static Quantizer PerChannel(qt_dtype dtype, const std::vector<double>& scales,
                              const std::vector<int64_t>& zero_points, int64_t axis) {
    if (scales.size() != zero_points.size()) {
      throw Error(QT_ERR_INVALID_ARGUMENT, "scales and zero_points differ in length");
    }
    qt_quantizer* handle = nullptr;
    detail::Check(qt_quantizer_new_per_channel(&handle, dtype, scales.data(), zero_points.data(),
                                               scales.size(), axis));
    return Quantizer(handle);
  }
  // ONNX's blocked quantization: the parameters row-major in the tensor's
  // shape with shape[axis] replaced by ceil(shape[axis] / block_size).
  static Quantizer PerBlock(qt_dtype dtype, const std::vector<double>& scales,
                            const std::vector<int64_t>& zero_points, int64_t axis,
                            int64_t block_size) {
    if (scales.size() != zero_points.size()) {
      throw Error(QT_ERR_INVALID_ARGUMENT, "scales and zero_points differ in length");
    }
    qt_quantizer* handle = nullptr;
    detail::Check(qt_quantizer_new_per_block(&handle, dtype, scales.data(), zero_points.data(),
                                             scales.size(), axis, block_size));
    return Quantizer(handle);
  }
  // GGUF's blocks of a type (qt_quantizer_new_gguf): one d per block of 32
  // along the last axis, rows first; 0, -0.0 and negative ones included.
  static Quantizer Gguf(qt_gguf_type type, const std::vector<double>& scales) {
    qt_quantizer* handle = nullptr;
    detail::Check(qt_quantizer_new_gguf(&handle, type, scales.data(), scales.size()));
    return Quantizer(handle);
  }
  // PyTorch's per_channel_affine_float_qparams: float32 scales and zero
  // points (torch.quantize_per_channel with float zero points).
  static Quantizer PerChannelFloatQParams(qt_dtype dtype, const std::vector<float>& scales,
                                          const std::vector<float>& zero_points, int64_t axis) {
    if (scales.size() != zero_points.size()) {
      throw Error(QT_ERR_INVALID_ARGUMENT, "scales and zero_points differ in length");
    }
    qt_quantizer* handle = nullptr;
    detail::Check(qt_quantizer_new_per_channel_float_qparams(
        &handle, dtype, scales.data(), zero_points.data(), scales.size(), axis));
    return Quantizer(handle);
  }
  // Takes ownership of a handle from the C API.
  explicit Quantizer(qt_quantizer* handle) : handle_(handle) {}

  // Copies with another rounding or scale type.
  Quantizer with_rounding(qt_rounding rounding) const {
    qt_quantizer* handle = nullptr;
    detail::Check(qt_quantizer_with_rounding(&handle, get(), rounding));
    return Quantizer(handle);
  }
  Quantizer with_scale_type(qt_scale_type type) const {
    qt_quantizer* handle = nullptr;
    detail::Check(qt_quantizer_with_scale_type(&handle, get(), type));
    return Quantizer(handle);
  }

  qt_dtype dtype() const { return Get(qt_quantizer_dtype); }
  qt_qscheme qscheme() const { return Get(qt_quantizer_qscheme); }
  double scale() const { return Get(qt_quantizer_scale); }
  int64_t zero_point() const { return Get(qt_quantizer_zero_point); }
  int64_t axis() const { return Get(qt_quantizer_axis); }
  size_t num_channels() const { return Get(qt_quantizer_num_channels); }
  int64_t block_size() const { return Get(qt_quantizer_block_size); }
  qt_rounding rounding() const { return Get(qt_quantizer_rounding); }
  qt_scale_type scale_type() const { return Get(qt_quantizer_scale_type); }
  std::vector<double> scales() const {
    std::vector<double> out(num_channels());
    detail::Check(qt_quantizer_scales(out.data(), out.size(), get()));
    return out;
  }
  std::vector<int64_t> zero_points() const {
    std::vector<int64_t> out(num_channels());
    detail::Check(qt_quantizer_zero_points(out.data(), out.size(), get()));
    return out;
  }
  std::vector<float> float_zero_points() const {
    std::vector<float> out(num_channels());
    detail::Check(qt_quantizer_float_zero_points(out.data(), out.size(), get()));
    return out;
  }
  bool operator==(const Quantizer& other) const {
    bool equal = false;
    detail::Check(qt_quantizer_equal(&equal, get(), other.get()));
    return equal;
  }
  bool operator!=(const Quantizer& other) const { return !(*this == other); }

  const qt_quantizer* get() const noexcept { return handle_.get(); }

 private:
  template <typename R>
  R Get(qt_status (*getter)(R*, const qt_quantizer*)) const {
    R value{};
    detail::Check(getter(&value, get()));
    return value;
  }

  std::unique_ptr<qt_quantizer, detail::QuantizerDeleter> handle_;
};

// A quantized tensor: a view of a shared storage. Copying a Tensor object
// makes another handle to the same view (as torch::Tensor does).
class Tensor {
 public:
  static Tensor Quantize(const std::vector<float>& data, const std::vector<int64_t>& shape,
                         const Quantizer& quantizer) {
    return Quantize(data.data(), data.size(), shape, quantizer);
  }
  // From count row-major floats at data (what bindings pass from a buffer).
  static Tensor Quantize(const float* data, size_t count, const std::vector<int64_t>& shape,
                         const Quantizer& quantizer) {
    CheckCount(count, shape);
    return Make([&](qt_tensor** out) {
      return qt_quantize(out, data, shape.data(), shape.size(), quantizer.get());
    });
  }
  static Tensor QuantizePerTensor(const std::vector<float>& data, const std::vector<int64_t>& shape,
                                  double scale, int64_t zero_point, qt_dtype dtype) {
    return Quantize(data, shape, Quantizer::PerTensor(dtype, scale, zero_point));
  }
  static Tensor QuantizePerChannel(const std::vector<float>& data,
                                   const std::vector<int64_t>& shape,
                                   const std::vector<double>& scales,
                                   const std::vector<int64_t>& zero_points, int64_t axis,
                                   qt_dtype dtype) {
    return Quantize(data, shape, Quantizer::PerChannel(dtype, scales, zero_points, axis));
  }
  static Tensor EmptyQuantized(const std::vector<int64_t>& shape, const Quantizer& quantizer) {
    return Make([&](qt_tensor** out) {
      return qt_empty_quantized(out, shape.data(), shape.size(), quantizer.get());
    });
  }
  template <typename T>
  static Tensor FromIntRepr(const std::vector<T>& data, const std::vector<int64_t>& shape,
                            const Quantizer& quantizer) {
    detail::DTypeOf<T>();
    return Make([&](qt_tensor** out) {
      return qt_from_int_repr(out, data.data(), data.size() * sizeof(T), shape.data(), shape.size(),
                              quantizer.get());
    });
  }
  // From bytes of row-major integers of the quantizer's dtype.
  static Tensor FromIntRepr(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                            const Quantizer& quantizer) {
    return Make([&](qt_tensor** out) {
      return qt_from_int_repr(out, data, bytes, shape.data(), shape.size(), quantizer.get());
    });
  }
  // From integers in storage form (qt_from_packed): packed for quint4x2 & co.
  static Tensor FromPacked(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                           const Quantizer& quantizer) {
    return Make([&](qt_tensor** out) {
      return qt_from_packed(out, data, bytes, shape.data(), shape.size(), quantizer.get());
    });
  }
  // The dtype follows T: uint8_t -> quint8, int8_t -> qint8, int32_t -> qint32
  // (int16_t -> qint16, uint16_t -> quint16).
  template <typename T>
  static Tensor MakePerTensorQuantized(const std::vector<T>& data,
                                       const std::vector<int64_t>& shape, double scale,
                                       int64_t zero_point) {
    return FromIntRepr(data, shape, Quantizer::PerTensor(detail::DTypeOf<T>(), scale, zero_point));
  }

  // Takes ownership of a handle from the C API.
  explicit Tensor(qt_tensor* handle) : handle_(handle, detail::TensorDeleter()) {}

  size_t dim() const { return Get(qt_tensor_ndim); }
  int64_t numel() const { return static_cast<int64_t>(Get(qt_tensor_numel)); }
  std::vector<int64_t> sizes() const { return GetArray<int64_t>(qt_tensor_shape, dim()); }
  std::vector<int64_t> strides() const { return GetArray<int64_t>(qt_tensor_strides, dim()); }
  int64_t storage_offset() const { return Get(qt_tensor_storage_offset); }
  qt_dtype dtype() const { return Get(qt_tensor_dtype); }
  qt_qscheme qscheme() const { return Get(qt_tensor_qscheme); }
  bool is_quantized() const { return Get(qt_tensor_is_quantized); }
  bool is_contiguous() const { return Get(qt_tensor_is_contiguous); }
  // torch's data_ptr() and nbytes() of a contiguous view (qt_tensor_data):
  // its integers in place, borrowed from the storage.
  void* data_ptr() const {
    void* data = nullptr;
    size_t bytes = 0;
    detail::Check(qt_tensor_data(&data, &bytes, get()));
    return data;
  }
  size_t nbytes() const {
    void* data = nullptr;
    size_t bytes = 0;
    detail::Check(qt_tensor_data(&data, &bytes, get()));
    return bytes;
  }
  // Whether the storage is a read-only mapping of a file (BundleFile::get):
  // writes into it are refused.
  bool is_read_only() const { return Get(qt_tensor_is_read_only); }
  bool shares_storage_with(const Tensor& other) const {
    bool shared = false;
    detail::Check(qt_tensor_shares_storage(&shared, get(), other.get()));
    return shared;
  }

  Quantizer quantizer() const {
    qt_quantizer* handle = nullptr;
    detail::Check(qt_tensor_quantizer(&handle, get()));
    return Quantizer(handle);
  }
  double q_scale() const { return Get(qt_tensor_q_scale); }
  int64_t q_zero_point() const { return Get(qt_tensor_q_zero_point); }
  int64_t q_per_channel_axis() const { return Get(qt_tensor_q_per_channel_axis); }
  // The view's number of channels: shape[axis] per channel, else 1.
  size_t q_num_channels() const { return Get(qt_tensor_q_num_channels); }
  std::vector<double> q_per_channel_scales() const {
    return GetArray<double>(qt_tensor_q_per_channel_scales, Get(qt_tensor_q_num_channels));
  }
  std::vector<int64_t> q_per_channel_zero_points() const {
    return GetArray<int64_t>(qt_tensor_q_per_channel_zero_points, Get(qt_tensor_q_num_channels));
  }
  std::vector<float> q_per_channel_float_zero_points() const {
    return GetArray<float>(qt_tensor_q_per_channel_float_zero_points,
                           Get(qt_tensor_q_num_channels));
  }

  Tensor select(int64_t dim, int64_t index) const {
    return Make([&](qt_tensor** out) { return qt_select(out, get(), dim, index); });
  }
  Tensor operator[](int64_t index) const { return select(0, index); }
  // Python's t[start:stop:step]; INT64_MIN / INT64_MAX mean an open end.
  Tensor slice(int64_t dim, int64_t start, int64_t stop, int64_t step = 1) const {
    return Make([&](qt_tensor** out) { return qt_slice(out, get(), dim, start, stop, step); });
  }
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const {
    return Make([&](qt_tensor** out) { return qt_narrow(out, get(), dim, start, length); });
  }
  Tensor transpose(int64_t dim0, int64_t dim1) const {
    return Make([&](qt_tensor** out) { return qt_transpose(out, get(), dim0, dim1); });
  }
  Tensor permute(const std::vector<int64_t>& dims) const {
    return Make([&](qt_tensor** out) { return qt_permute(out, get(), dims.data(), dims.size()); });
  }
  // Shape views (qt_view, qt_reshape, qt_flatten, qt_unsqueeze, qt_squeeze,
  // qt_squeeze_dim); a shape may hold one -1.
  Tensor view(const std::vector<int64_t>& shape) const {
    return Make([&](qt_tensor** out) { return qt_view(out, get(), shape.data(), shape.size()); });
  }
  Tensor reshape(const std::vector<int64_t>& shape) const {
    return Make(
        [&](qt_tensor** out) { return qt_reshape(out, get(), shape.data(), shape.size()); });
  }
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const {
    return Make([&](qt_tensor** out) { return qt_flatten(out, get(), start_dim, end_dim); });
  }
  Tensor unsqueeze(int64_t dim) const {
    return Make([&](qt_tensor** out) { return qt_unsqueeze(out, get(), dim); });
  }
  Tensor squeeze() const {
    return Make([&](qt_tensor** out) { return qt_squeeze(out, get()); });
  }
  Tensor squeeze(int64_t dim) const {
    return Make([&](qt_tensor** out) { return qt_squeeze_dim(out, get(), dim); });
  }
  Tensor contiguous() const {
    return Make([&](qt_tensor** out) { return qt_contiguous(out, get()); });
  }
  Tensor clone() const {
    return Make([&](qt_tensor** out) { return qt_clone(out, get()); });
  }
  // A second handle to the same view (qt_tensor_share), freed on its own:
  // what a binding hands out when a caller asks for one.
  Tensor share() const {
    return Make([&](qt_tensor** out) { return qt_tensor_share(out, get()); });
  }

  // Operators (qt_requantize, qt_relu, ...): each gives a new tensor but
  // the in-place ones (relu_, leaky_relu_, relu6_, clamp_), which write this
  // view.
  Tensor requantize(const Quantizer& quantizer) const {
    return Make([&](qt_tensor** out) { return qt_requantize(out, get(), quantizer.get()); });
  }
  Tensor relu() const {
    return Make([&](qt_tensor** out) { return qt_relu(out, get()); });
  }
  const Tensor& relu_() const {
    detail::Check(qt_relu_inplace(handle()));
    return *this;
  }
  Tensor leaky_relu(float negative_slope = 0.01f) const {
    return Make([&](qt_tensor** out) { return qt_leaky_relu(out, get(), negative_slope); });
  }
  const Tensor& leaky_relu_(float negative_slope = 0.01f) const {
    detail::Check(qt_leaky_relu_inplace(handle(), negative_slope));
    return *this;
  }
  Tensor hardswish(double scale, int64_t zero_point) const {
    return Make([&](qt_tensor** out) { return qt_hardswish(out, get(), scale, zero_point); });
  }
  Tensor sigmoid() const {
    return Make([&](qt_tensor** out) { return qt_sigmoid(out, get()); });
  }
  Tensor tanh() const {
    return Make([&](qt_tensor** out) { return qt_tanh(out, get()); });
  }
  Tensor relu6() const {
    return Make([&](qt_tensor** out) { return qt_relu6(out, get()); });
  }
  Tensor clamp(float min, float max) const {
    return Make([&](qt_tensor** out) { return qt_clamp(out, get(), min, max); });
  }
  // F.max_pool2d, F.avg_pool2d, F.adaptive_avg_pool2d on this (C, H, W) or
  // (N, C, H, W) tensor (qt_max_pool2d & co.): each size one number or
  // (height, width); an empty stride is kernel_size; divisor_override 0 is
  // none.
  Tensor max_pool2d(const std::vector<int64_t>& kernel_size,
                    const std::vector<int64_t>& stride = {},
                    const std::vector<int64_t>& padding = {0},
                    const std::vector<int64_t>& dilation = {1}, bool ceil_mode = false) const {
    const std::array<int64_t, 2> kernel = detail::PoolPair(kernel_size, "kernel_size");
    const std::array<int64_t, 2> steps =
        stride.empty() ? kernel : detail::PoolPair(stride, "stride");
    const std::array<int64_t, 2> pad = detail::PoolPair(padding, "padding");
    const std::array<int64_t, 2> dilated = detail::PoolPair(dilation, "dilation");
    return Make([&](qt_tensor** out) {
      return qt_max_pool2d(out, get(), kernel.data(), steps.data(), pad.data(), dilated.data(),
                           ceil_mode);
    });
  }
  Tensor avg_pool2d(const std::vector<int64_t>& kernel_size,
                    const std::vector<int64_t>& stride = {},
                    const std::vector<int64_t>& padding = {0}, bool ceil_mode = false,
                    bool count_include_pad = true, int64_t divisor_override = 0) const {
    const std::array<int64_t, 2> kernel = detail::PoolPair(kernel_size, "kernel_size");
    const std::array<int64_t, 2> steps =
        stride.empty() ? kernel : detail::PoolPair(stride, "stride");
    const std::array<int64_t, 2> pad = detail::PoolPair(padding, "padding");
    return Make([&](qt_tensor** out) {
      return qt_avg_pool2d(out, get(), kernel.data(), steps.data(), pad.data(), ceil_mode,
                           count_include_pad, divisor_override);
    });
  }
  Tensor adaptive_avg_pool2d(const std::vector<int64_t>& output_size) const {
    const std::array<int64_t, 2> size = detail::PoolPair(output_size, "output_size");
    return Make([&](qt_tensor** out) { return qt_adaptive_avg_pool2d(out, get(), size.data()); });
  }
  const Tensor& relu6_() const {
    detail::Check(qt_relu6_inplace(handle()));
    return *this;
  }
  const Tensor& clamp_(float min, float max) const {
    detail::Check(qt_clamp_inplace(handle(), min, max));
    return *this;
  }
  // torch.ops.quantized.add / add_relu / mul / mul_relu(this, other, scale,
  // zero_point), with NumPy broadcasting.
  Tensor add(const Tensor& other, double scale, int64_t zero_point) const {
    return Make(
        [&](qt_tensor** out) { return qt_add(out, get(), other.get(), scale, zero_point); });
  }
  Tensor add_relu(const Tensor& other, double scale, int64_t zero_point) const {
    return Make(
        [&](qt_tensor** out) { return qt_add_relu(out, get(), other.get(), scale, zero_point); });
  }
  Tensor mul(const Tensor& other, double scale, int64_t zero_point) const {
    return Make(
        [&](qt_tensor** out) { return qt_mul(out, get(), other.get(), scale, zero_point); });
  }
  Tensor mul_relu(const Tensor& other, double scale, int64_t zero_point) const {
    return Make(
        [&](qt_tensor** out) { return qt_mul_relu(out, get(), other.get(), scale, zero_point); });
  }
  // torch.ops.quantized.add_scalar / add_scalar_relu / mul_scalar /
  // mul_scalar_relu(this, other): output parameters derived as PyTorch's.
  Tensor add_scalar(double other) const {
    return Make([&](qt_tensor** out) { return qt_add_scalar(out, get(), other); });
  }
  Tensor add_scalar_relu(double other) const {
    return Make([&](qt_tensor** out) { return qt_add_scalar_relu(out, get(), other); });
  }
  Tensor mul_scalar(double other) const {
    return Make([&](qt_tensor** out) { return qt_mul_scalar(out, get(), other); });
  }
  Tensor mul_scalar_relu(double other) const {
    return Make([&](qt_tensor** out) { return qt_mul_scalar_relu(out, get(), other); });
  }

  float item() const { return Get(qt_tensor_item); }
  float at(const std::vector<int64_t>& index) const {
    float value = 0.0f;
    detail::Check(qt_tensor_get(&value, get(), index.data(), index.size()));
    return value;
  }
  void set(const std::vector<int64_t>& index, float value) const {
    detail::Check(qt_tensor_set(handle(), index.data(), index.size(), value));
  }
  const Tensor& fill_(float value) const {
    detail::Check(qt_fill(handle(), value));
    return *this;
  }
  const Tensor& copy_(const Tensor& src) const {
    detail::Check(qt_copy(handle(), src.get()));
    return *this;
  }
  const Tensor& copy_(const std::vector<float>& data) const {
    detail::Check(qt_copy_from_float(handle(), data.data(), data.size()));
    return *this;
  }

  // Writes numel floats / numel * element-size bytes to caller memory.
  void dequantize_into(float* out, size_t count) const {
    detail::Check(qt_dequantize(out, count, get()));
  }
  void int_repr_into(void* out, size_t bytes) const {
    detail::Check(qt_int_repr(out, bytes, get()));
  }
  const Tensor& copy_(const float* data, size_t count) const {
    detail::Check(qt_copy_from_float(handle(), data, count));
    return *this;
  }

  // Index lists, masks and repeats: index_select and repeat give new
  // tensors; masked_fill_ and index_put_ write this view (mask and values
  // row-major, see qt_masked_fill_inplace and qt_index_put_inplace).
  Tensor index_select(int64_t dim, const std::vector<int64_t>& indices) const {
    return Make([&](qt_tensor** out) {
      return qt_index_select(out, get(), dim, indices.data(), indices.size());
    });
  }
  Tensor repeat(const std::vector<int64_t>& sizes) const {
    return Make([&](qt_tensor** out) { return qt_repeat(out, get(), sizes.data(), sizes.size()); });
  }
  const Tensor& masked_fill_(const bool* mask, size_t count, float value) const {
    detail::Check(qt_masked_fill_inplace(handle(), mask, count, value));
    return *this;
  }
  const Tensor& index_put_(int64_t dim, const std::vector<int64_t>& indices, const float* data,
                           size_t count) const {
    detail::Check(qt_index_put_inplace(handle(), dim, indices.data(), indices.size(), data, count));
    return *this;
  }
  const Tensor& index_put_(int64_t dim, const std::vector<int64_t>& indices,
                           const std::vector<float>& values) const {
    return index_put_(dim, indices, values.data(), values.size());
  }

  std::vector<float> dequantize() const {
    std::vector<float> out(static_cast<size_t>(numel()));
    detail::Check(qt_dequantize(out.data(), out.size(), get()));
    return out;
  }
  // T must match the dtype (int8_t for qint8 and qint4, uint8_t for quint8
  // and the packed unsigned dtypes, int16_t, uint16_t, int32_t for qint32).
  template <typename T>
  std::vector<T> int_repr() const {
    if (!detail::IsIntReprOf<T>(dtype())) {
      throw Error(QT_ERR_TYPE_MISMATCH, "int_repr: element type does not match the dtype");
    }
    std::vector<T> out(static_cast<size_t>(numel()));
    detail::Check(qt_int_repr(out.data(), out.size() * sizeof(T), get()));
    return out;
  }

  // The integers in storage form (qt_packed_repr): packed for quint4x2 & co.
  std::vector<uint8_t> packed_repr() const {
    const size_t bits = dtype_bits(dtype());
    std::vector<uint8_t> out((static_cast<size_t>(numel()) * bits + 7) / 8);
    detail::Check(qt_packed_repr(out.data(), out.size(), get()));
    return out;
  }

  std::string to_string() const {
    char* text = nullptr;
    detail::Check(qt_to_string(&text, get()));
    return detail::TakeString(text);
  }

  // The file format (proto/qtensor.proto).
  std::string serialize() const {
    return detail::TakeBuffer(
        [&](uint8_t** out, size_t* size) { return qt_serialize(out, size, get()); });
  }
  static Tensor deserialize(const void* data, size_t size) {
    return Make([&](qt_tensor** out) {
      return qt_deserialize(out, static_cast<const uint8_t*>(data), size);
    });
  }
  static Tensor deserialize(const std::string& bytes) {
    return deserialize(bytes.data(), bytes.size());
  }
  void save(const std::string& path) const { detail::Check(qt_save(get(), path.c_str())); }
  static Tensor load(const std::string& path) {
    return Make([&](qt_tensor** out) { return qt_load(out, path.c_str()); });
  }

  const qt_tensor* get() const noexcept { return handle_.get(); }

 private:
  static void CheckCount(size_t count, const std::vector<int64_t>& shape) {
    size_t numel = 1;
    for (int64_t size : shape) numel *= size > 0 ? static_cast<size_t>(size) : 0;
    if (count != numel) {
      throw Error(QT_ERR_SHAPE_MISMATCH, "got " + std::to_string(count) +
                                             " values for a shape of " + std::to_string(numel) +
                                             " elements");
    }
  }
  template <typename Fn>
  static Tensor Make(Fn&& make) {
    qt_tensor* handle = nullptr;
    detail::Check(make(&handle));
    return Tensor(handle);
  }
  template <typename R>
  R Get(qt_status (*getter)(R*, const qt_tensor*)) const {
    R value{};
    detail::Check(getter(&value, get()));
    return value;
  }
  template <typename T>
  std::vector<T> GetArray(qt_status (*getter)(T*, size_t, const qt_tensor*), size_t count) const {
    std::vector<T> out(count);
    detail::Check(getter(out.data(), out.size(), get()));
    return out;
  }
  // Writes go through the shared handle: a const Tensor still names a
  // mutable view, as with torch::Tensor.
  qt_tensor* handle() const noexcept { return handle_.get(); }

  std::shared_ptr<qt_tensor> handle_;
};

namespace detail {
// The handle an out= form writes through: a const Tensor still names a
// mutable view, as Tensor::handle() says.
inline qt_tensor* Writable(const Tensor& tensor) { return const_cast<qt_tensor*>(tensor.get()); }
inline std::vector<const qt_tensor*> HandlesOf(const std::vector<Tensor>& tensors) {
  std::vector<const qt_tensor*> handles;
  handles.reserve(tensors.size());
  for (const Tensor& tensor : tensors) handles.push_back(tensor.get());
  return handles;
}
typedef qt_status (*JoinFunction)(qt_tensor**, const qt_tensor* const*, size_t, int64_t,
                                  const qt_quantizer*);
// qt_cat or qt_cat_relu over the tensors' handles.
inline Tensor Join(JoinFunction join, const std::vector<Tensor>& tensors, int64_t dim,
                   const qt_quantizer* quantizer) {
  const std::vector<const qt_tensor*> handles = HandlesOf(tensors);
  qt_tensor* out = nullptr;
  Check(join(&out, handles.data(), handles.size(), dim, quantizer));
  return Tensor(out);
}
}  // namespace detail

// torch.empty_like(q): zero integers, the shape, dtype and every element's
// parameters of q (qt_empty_like).
inline Tensor empty_like(const Tensor& tensor) {
  qt_tensor* out = nullptr;
  detail::Check(qt_empty_like(&out, tensor.get()));
  return Tensor(out);
}

// torch.cat(tensors, dim) of quantized tensors (the first one's parameters)
// and torch.ops.quantized.cat / cat_relu with the result's quantizer given.
inline Tensor cat(const std::vector<Tensor>& tensors, int64_t dim) {
  return detail::Join(qt_cat, tensors, dim, nullptr);
}
inline Tensor cat(const std::vector<Tensor>& tensors, int64_t dim, const Quantizer& quantizer) {
  return detail::Join(qt_cat, tensors, dim, quantizer.get());
}
inline Tensor cat_relu(const std::vector<Tensor>& tensors, int64_t dim,
                       const Quantizer& quantizer) {
  return detail::Join(qt_cat_relu, tensors, dim, quantizer.get());
}

// The out= forms (at::add_out & co.): the result, with out's scale and zero
// point, written into the view out; out is returned.
inline const Tensor& add_out(const Tensor& out, const Tensor& a, const Tensor& b) {
  detail::Check(qt_add_out(detail::Writable(out), a.get(), b.get()));
  return out;
}
inline const Tensor& add_relu_out(const Tensor& out, const Tensor& a, const Tensor& b) {
  detail::Check(qt_add_relu_out(detail::Writable(out), a.get(), b.get()));
  return out;
}
inline const Tensor& mul_out(const Tensor& out, const Tensor& a, const Tensor& b) {
  detail::Check(qt_mul_out(detail::Writable(out), a.get(), b.get()));
  return out;
}
inline const Tensor& mul_relu_out(const Tensor& out, const Tensor& a, const Tensor& b) {
  detail::Check(qt_mul_relu_out(detail::Writable(out), a.get(), b.get()));
  return out;
}
inline const Tensor& cat_out(const Tensor& out, const std::vector<Tensor>& tensors, int64_t dim) {
  const std::vector<const qt_tensor*> handles = detail::HandlesOf(tensors);
  detail::Check(qt_cat_out(detail::Writable(out), handles.data(), handles.size(), dim));
  return out;
}
inline const Tensor& cat_relu_out(const Tensor& out, const std::vector<Tensor>& tensors,
                                  int64_t dim) {
  const std::vector<const qt_tensor*> handles = detail::HandlesOf(tensors);
  detail::Check(qt_cat_relu_out(detail::Writable(out), handles.data(), handles.size(), dim));
  return out;
}

// Named tensors plus string metadata: a state dict that can be saved.
class Bundle {
 public:
  Bundle() {
    qt_bundle* handle = nullptr;
    detail::Check(qt_bundle_new(&handle));
    handle_.reset(handle);
  }
  // Takes ownership of a handle from the C API.
  explicit Bundle(qt_bundle* handle) : handle_(handle) {}

  size_t size() const {
    size_t count = 0;
    detail::Check(qt_bundle_size(&count, get()));
    return count;
  }
  // Adds or replaces the named tensor (the bundle shares its storage). An
  // entry of either kind counts in size, names, contains and remove; get and
  // at of a float entry throw QT_ERR_TYPE_MISMATCH.
  void set(const std::string& name, const Tensor& tensor) {
    detail::Check(qt_bundle_set(handle_.get(), name.c_str(), tensor.get()));
  }
  void remove(const std::string& name) {
    detail::Check(qt_bundle_remove(handle_.get(), name.c_str()));
  }
  bool contains(const std::string& name) const {
    bool found = false;
    detail::Check(qt_bundle_contains(&found, get(), name.c_str()));
    return found;
  }
  Tensor get(const std::string& name) const {
    qt_tensor* tensor = nullptr;
    detail::Check(qt_bundle_get(&tensor, get(), name.c_str()));
    return Tensor(tensor);
  }
  Tensor at(size_t index) const {
    qt_tensor* tensor = nullptr;
    detail::Check(qt_bundle_get_index(&tensor, get(), index));
    return Tensor(tensor);
  }
  std::string name(size_t index) const {
    const char* text = nullptr;
    detail::Check(qt_bundle_name(&text, get(), index));
    return text;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> all;
    for (size_t i = 0, n = size(); i < n; ++i) all.push_back(name(i));
    return all;
  }
  // Float entries (qt_bundle_set_float): unquantized values kept bit for
  // bit. data holds product(shape) values of dtype, little-endian, `bytes`
  // bytes; they are copied.
  void set_float(const std::string& name, const void* data, size_t bytes,
                 const std::vector<int64_t>& shape, qt_float_dtype dtype) {
    detail::Check(qt_bundle_set_float(handle_.get(), name.c_str(), data, bytes, shape.data(),
                                      shape.size(), dtype));
  }
  bool is_float(const std::string& name) const {
    bool found = false;
    detail::Check(qt_bundle_is_float(&found, get(), name.c_str()));
    return found;
  }
  qt_float_dtype float_dtype(const std::string& name) const {
    qt_float_dtype dtype = QT_FLOAT32;
    detail::Check(qt_bundle_float_dtype(&dtype, get(), name.c_str()));
    return dtype;
  }
  std::vector<int64_t> float_shape(const std::string& name) const {
    size_t ndim = 0;
    detail::Check(qt_bundle_float_ndim(&ndim, get(), name.c_str()));
    std::vector<int64_t> shape(ndim);
    detail::Check(qt_bundle_float_shape(shape.data(), shape.size(), get(), name.c_str()));
    return shape;
  }
  // A copy of the stored bytes.
  std::vector<uint8_t> float_data(const std::string& name) const {
    const void* data = nullptr;
    size_t size = 0;
    detail::Check(qt_bundle_float_data(&data, &size, get(), name.c_str()));
    const auto* bytes = static_cast<const uint8_t*>(data);
    return std::vector<uint8_t>(bytes, bytes + size);
  }
  // The values as float32 (float16 and bfloat16 widen exactly).
  std::vector<float> float_values(const std::string& name) const {
    size_t count = 1;
    for (int64_t size : float_shape(name)) count *= static_cast<size_t>(size);
    std::vector<float> values(count);
    detail::Check(qt_bundle_float_values(values.data(), values.size(), get(), name.c_str()));
    return values;
  }

  void set_metadata(const std::string& key, const std::string& value) {
    detail::Check(qt_bundle_set_metadata(handle_.get(), key.c_str(), value.c_str()));
  }
  std::string metadata(const std::string& key) const {
    const char* text = nullptr;
    detail::Check(qt_bundle_metadata(&text, get(), key.c_str()));
    return text;
  }
  // False where metadata(key) would throw NOT_FOUND.
  bool has_metadata(const std::string& key) const {
    const char* text = nullptr;
    const qt_status status = qt_bundle_metadata(&text, get(), key.c_str());
    if (status == QT_ERR_NOT_FOUND) return false;
    detail::Check(status);
    return true;
  }
  size_t metadata_size() const {
    size_t count = 0;
    detail::Check(qt_bundle_metadata_size(&count, get()));
    return count;
  }
  // The metadata key at index, in sorted order.
  std::string metadata_key(size_t index) const {
    const char* key = nullptr;
    detail::Check(qt_bundle_metadata_key(&key, get(), index));
    return key;
  }
  std::vector<std::string> metadata_keys() const {
    std::vector<std::string> keys;
    for (size_t i = 0, n = metadata_size(); i < n; ++i) keys.push_back(metadata_key(i));
    return keys;
  }

  std::string serialize() const {
    return detail::TakeBuffer(
        [&](uint8_t** out, size_t* size) { return qt_bundle_serialize(out, size, get()); });
  }
  static Bundle deserialize(const void* data, size_t size) {
    qt_bundle* handle = nullptr;
    detail::Check(qt_bundle_deserialize(&handle, static_cast<const uint8_t*>(data), size));
    return Bundle(handle);
  }
  static Bundle deserialize(const std::string& bytes) {
    return deserialize(bytes.data(), bytes.size());
  }
  // A container (the form of every bundle file; docs/format.md).
  void save(const std::string& path) const { detail::Check(qt_bundle_save(get(), path.c_str())); }
  // The message form: serialize()'s bytes.
  void save_message(const std::string& path) const {
    detail::Check(qt_bundle_save_message(get(), path.c_str()));
  }
  static Bundle load(const std::string& path) {
    qt_bundle* handle = nullptr;
    detail::Check(qt_bundle_load(&handle, path.c_str()));
    return Bundle(handle);
  }
  // As a container (docs/format.md, "The container"), which load reads too
  // (its tensors mapped read-only) and BundleFile opens lazily.
  void save_container(const std::string& path) const {
    detail::Check(qt_bundle_save_container(get(), path.c_str()));
  }

  // The same as a GGUF file (docs/gguf.md): Q8_0 and Q4_0 tensors, metadata
  // as typed text ("UINT32 32").
  std::string serialize_gguf() const {
    return detail::TakeBuffer(
        [&](uint8_t** out, size_t* size) { return qt_bundle_serialize_gguf(out, size, get()); });
  }
  static Bundle deserialize_gguf(const void* data, size_t size) {
    qt_bundle* handle = nullptr;
    detail::Check(qt_bundle_deserialize_gguf(&handle, static_cast<const uint8_t*>(data), size));
    return Bundle(handle);
  }
  static Bundle deserialize_gguf(const std::string& bytes) {
    return deserialize_gguf(bytes.data(), bytes.size());
  }
  void save_gguf(const std::string& path) const {
    detail::Check(qt_bundle_save_gguf(get(), path.c_str()));
  }
  static Bundle load_gguf(const std::string& path) {
    qt_bundle* handle = nullptr;
    detail::Check(qt_bundle_load_gguf(&handle, path.c_str()));
    return Bundle(handle);
  }

  // As an ONNX model (docs/onnx.md).
  std::string serialize_onnx() const {
    return detail::TakeBuffer(
        [&](uint8_t** out, size_t* size) { return qt_bundle_serialize_onnx(out, size, get()); });
  }
  static Bundle deserialize_onnx(const void* data, size_t size) {
    qt_bundle* handle = nullptr;
    detail::Check(qt_bundle_deserialize_onnx(&handle, static_cast<const uint8_t*>(data), size));
    return Bundle(handle);
  }
  static Bundle deserialize_onnx(const std::string& bytes) {
    return deserialize_onnx(bytes.data(), bytes.size());
  }
  void save_onnx(const std::string& path) const {
    detail::Check(qt_bundle_save_onnx(get(), path.c_str()));
  }
  static Bundle load_onnx(const std::string& path) {
    qt_bundle* handle = nullptr;
    detail::Check(qt_bundle_load_onnx(&handle, path.c_str()));
    return Bundle(handle);
  }

  const qt_bundle* get() const noexcept { return handle_.get(); }

 private:
  struct Deleter {
    void operator()(qt_bundle* bundle) const noexcept { qt_bundle_free(bundle); }
  };
  std::unique_ptr<qt_bundle, Deleter> handle_;
};

// ------------------------------------------- bundle files of any size

// A container opened for reading (qt_bundle_file_open): names from its
// header, each tensor mapped read-only when asked for (clone() gives a
// writable copy). Tensors outlive the file.
class BundleFile {
 public:
  static BundleFile open(const std::string& path) {
    qt_bundle_file* handle = nullptr;
    detail::Check(qt_bundle_file_open(&handle, path.c_str()));
    return BundleFile(handle);
  }

  size_t size() const {
    size_t count = 0;
    detail::Check(qt_bundle_file_size(&count, handle_.get()));
    return count;
  }
  std::string name(size_t index) const {
    const char* name = nullptr;
    detail::Check(qt_bundle_file_name(&name, handle_.get(), index));
    return name;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (size_t i = 0, n = size(); i < n; ++i) out.push_back(name(i));
    return out;
  }
  bool contains(const std::string& name) const {
    bool found = false;
    detail::Check(qt_bundle_file_contains(&found, handle_.get(), name.c_str()));
    return found;
  }
  // A read-only tensor mapping the named quantized entry's payload (no
  // copy); clone() it to write.
  Tensor get(const std::string& name) const {
    qt_tensor* tensor = nullptr;
    detail::Check(qt_bundle_file_get(&tensor, handle_.get(), name.c_str()));
    return Tensor(tensor);
  }
  // The named entries (quantized or float) and the metadata, as a bundle
  // whose entries map their payloads.
  Bundle select(const std::vector<std::string>& names) const {
    std::vector<const char*> pointers;
    pointers.reserve(names.size());
    for (const std::string& name : names) pointers.push_back(name.c_str());
    qt_bundle* bundle = nullptr;
    detail::Check(qt_bundle_file_select(&bundle, handle_.get(), pointers.data(), pointers.size()));
    return Bundle(bundle);
  }
  Bundle to_bundle() const {
    qt_bundle* bundle = nullptr;
    detail::Check(qt_bundle_file_to_bundle(&bundle, handle_.get()));
    return Bundle(bundle);
  }

  // What the header says of an entry, without reading its values (a
  // per-channel or per-block quantizer reads its parameter payloads).
  bool is_float(const std::string& name) const {
    bool is_float = false;
    detail::Check(qt_bundle_file_is_float(&is_float, handle_.get(), name.c_str()));
    return is_float;
  }
  std::vector<int64_t> shape(const std::string& name) const {
    size_t ndim = 0;
    detail::Check(qt_bundle_file_ndim(&ndim, handle_.get(), name.c_str()));
    std::vector<int64_t> shape(ndim);
    detail::Check(qt_bundle_file_shape(shape.data(), ndim, handle_.get(), name.c_str()));
    return shape;
  }
  qt_dtype dtype(const std::string& name) const {
    qt_dtype dtype = QT_QUINT8;
    detail::Check(qt_bundle_file_dtype(&dtype, handle_.get(), name.c_str()));
    return dtype;
  }
  Quantizer quantizer(const std::string& name) const {
    qt_quantizer* quantizer = nullptr;
    detail::Check(qt_bundle_file_quantizer(&quantizer, handle_.get(), name.c_str()));
    return Quantizer(quantizer);
  }
  qt_float_dtype float_dtype(const std::string& name) const {
    qt_float_dtype dtype = QT_FLOAT32;
    detail::Check(qt_bundle_file_float_dtype(&dtype, handle_.get(), name.c_str()));
    return dtype;
  }
  // The payload's offset (a multiple of 64) and length in the file.
  std::pair<uint64_t, uint64_t> payload(const std::string& name) const {
    uint64_t offset = 0, length = 0;
    detail::Check(qt_bundle_file_payload(&offset, &length, handle_.get(), name.c_str()));
    return {offset, length};
  }

  std::string metadata(const std::string& key) const {
    const char* text = nullptr;
    detail::Check(qt_bundle_file_metadata(&text, handle_.get(), key.c_str()));
    return text;
  }
  bool has_metadata(const std::string& key) const {
    const char* text = nullptr;
    const qt_status status = qt_bundle_file_metadata(&text, handle_.get(), key.c_str());
    if (status == QT_ERR_NOT_FOUND) return false;
    detail::Check(status);
    return true;
  }
  size_t metadata_size() const {
    size_t count = 0;
    detail::Check(qt_bundle_file_metadata_size(&count, handle_.get()));
    return count;
  }
  std::string metadata_key(size_t index) const {
    const char* key = nullptr;
    detail::Check(qt_bundle_file_metadata_key(&key, handle_.get(), index));
    return key;
  }
  std::vector<std::string> metadata_keys() const {
    std::vector<std::string> keys;
    for (size_t i = 0, n = metadata_size(); i < n; ++i) keys.push_back(metadata_key(i));
    return keys;
  }
  // Checks the named entry's checksum, or every entry's; Error
  // (QT_ERR_CORRUPT_DATA) naming the entry on a mismatch.
  void verify(const std::string& name) const {
    detail::Check(qt_bundle_file_verify(handle_.get(), name.c_str()));
  }
  void verify() const { detail::Check(qt_bundle_file_verify(handle_.get(), nullptr)); }

 private:
  explicit BundleFile(qt_bundle_file* handle) : handle_(handle) {}
  struct Deleter {
    void operator()(qt_bundle_file* file) const noexcept { qt_bundle_file_free(file); }
  };
  std::unique_ptr<qt_bundle_file, Deleter> handle_;
};

// A container written one tensor at a time (qt_bundle_writer_open): each
// added tensor is written at once; finish() renames the file over path, and
// a writer destroyed unfinished leaves path as it was.
class BundleWriter {
 public:
  static BundleWriter open(const std::string& path) {
    qt_bundle_writer* handle = nullptr;
    detail::Check(qt_bundle_writer_open(&handle, path.c_str()));
    return BundleWriter(handle);
  }

  void add(const std::string& name, const Tensor& tensor) {
    detail::Check(qt_bundle_writer_add(handle_.get(), name.c_str(), tensor.get()));
  }
  // A float entry: bytes of product(shape) values of dtype, little-endian.
  void add_float(const std::string& name, const void* data, size_t bytes,
                 const std::vector<int64_t>& shape, qt_float_dtype dtype) {
    detail::Check(qt_bundle_writer_add_float(handle_.get(), name.c_str(), data, bytes, shape.data(),
                                             shape.size(), dtype));
  }
  void set_metadata(const std::string& key, const std::string& value) {
    detail::Check(qt_bundle_writer_set_metadata(handle_.get(), key.c_str(), value.c_str()));
  }
  void finish() { detail::Check(qt_bundle_writer_finish(handle_.get())); }

 private:
  explicit BundleWriter(qt_bundle_writer* handle) : handle_(handle) {}
  struct Deleter {
    void operator()(qt_bundle_writer* writer) const noexcept { qt_bundle_writer_free(writer); }
  };
  std::unique_ptr<qt_bundle_writer, Deleter> handle_;
};

// ------------------------------------------------- parameters from data

namespace detail {
// count must be the number of elements of shape (negative sizes are left
// for the library to report).
inline void CheckFloatCount(size_t count, const std::vector<int64_t>& shape) {
  size_t numel = 1;
  for (int64_t size : shape) numel *= size > 0 ? static_cast<size_t>(size) : 0;
  if (count != numel) {
    throw Error(QT_ERR_SHAPE_MISMATCH, "got " + std::to_string(count) + " values for a shape of " +
                                           std::to_string(numel) + " elements");
  }
}
}  // namespace detail

// A per-tensor scale and zero point chosen from data.
struct QParams {
  double scale = 0;
  int64_t zero_point = 0;
};

// qt_choose_qparams: PyTorch's ChooseQuantizationParams.
inline QParams choose_qparams(float min, float max, int64_t qmin, int64_t qmax,
                              bool preserve_sparsity = false, bool reduce_range = false) {
  QParams p;
  detail::Check(qt_choose_qparams(&p.scale, &p.zero_point, min, max, qmin, qmax, preserve_sparsity,
                                  reduce_range));
  return p;
}

// qt_choose_qparams_per_tensor: torch._choose_qparams_per_tensor of count
// row-major floats of the given shape.
inline QParams choose_qparams_per_tensor(const float* data, size_t count,
                                         const std::vector<int64_t>& shape,
                                         bool reduce_range = false) {
  detail::CheckFloatCount(count, shape);
  QParams p;
  detail::Check(qt_choose_qparams_per_tensor(&p.scale, &p.zero_point, data, shape.data(),
                                             shape.size(), reduce_range));
  return p;
}
inline QParams choose_qparams_per_tensor(const std::vector<float>& data,
                                         const std::vector<int64_t>& shape,
                                         bool reduce_range = false) {
  return choose_qparams_per_tensor(data.data(), data.size(), shape, reduce_range);
}

// qt_quantize_per_tensor_dynamic: torch.quantize_per_tensor_dynamic.
inline Tensor quantize_per_tensor_dynamic(const float* data, size_t count,
                                          const std::vector<int64_t>& shape, qt_dtype dtype,
                                          bool reduce_range = false) {
  detail::CheckFloatCount(count, shape);
  qt_tensor* handle = nullptr;
  detail::Check(qt_quantize_per_tensor_dynamic(&handle, data, shape.data(), shape.size(), dtype,
                                               reduce_range));
  return Tensor(handle);
}
inline Tensor quantize_per_tensor_dynamic(const std::vector<float>& data,
                                          const std::vector<int64_t>& shape, qt_dtype dtype,
                                          bool reduce_range = false) {
  return quantize_per_tensor_dynamic(data.data(), data.size(), shape, dtype, reduce_range);
}

// qt_quantize_gguf: floats into GGUF blocks of a type, as llama.cpp's
// quantize_row_q8_0 / quantize_row_q4_0 (the last dim a multiple of 32).
inline Tensor quantize_gguf(const float* data, size_t count, const std::vector<int64_t>& shape,
                            qt_gguf_type type) {
  detail::CheckFloatCount(count, shape);
  qt_tensor* handle = nullptr;
  detail::Check(qt_quantize_gguf(&handle, data, shape.data(), shape.size(), type));
  return Tensor(handle);
}
inline Tensor quantize_gguf(const std::vector<float>& data, const std::vector<int64_t>& shape,
                            qt_gguf_type type) {
  return quantize_gguf(data.data(), data.size(), shape, type);
}

// qt_describe_gguf: a GGUF file's tensors (of every ggml type) and metadata
// as text, as `qtensor info` prints them.
inline std::string describe_gguf(const std::string& bytes) {
  char* text = nullptr;
  detail::Check(
      qt_describe_gguf(&text, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  return detail::TakeString(text);
}

// What an observer's calculate_qparams gives: float32 scales and zero
// points, one per channel (one for a per-tensor observer).
struct ObserverQParams {
  std::vector<float> scales;
  std::vector<int64_t> zero_points;
};

// An observer of float batches (torch.ao.quantization's MinMaxObserver and
// relatives). Move-only. quant_min == quant_max == 0 selects the dtype's
// default range (PyTorch's None).
class Observer {
 public:
  static Observer MinMax(qt_dtype dtype = QT_QUINT8, bool symmetric = false,
                         bool reduce_range = false, int64_t quant_min = 0, int64_t quant_max = 0) {
    return Make([&](qt_observer** out) {
      return qt_observer_new_min_max(out, dtype, symmetric, reduce_range, quant_min, quant_max);
    });
  }
  static Observer MovingAverageMinMax(double averaging_constant = 0.01, qt_dtype dtype = QT_QUINT8,
                                      bool symmetric = false, bool reduce_range = false,
                                      int64_t quant_min = 0, int64_t quant_max = 0) {
    return Make([&](qt_observer** out) {
      return qt_observer_new_moving_average_min_max(out, averaging_constant, dtype, symmetric,
                                                    reduce_range, quant_min, quant_max);
    });
  }
  static Observer PerChannelMinMax(int64_t ch_axis = 0, qt_dtype dtype = QT_QUINT8,
                                   bool symmetric = false, bool reduce_range = false,
                                   int64_t quant_min = 0, int64_t quant_max = 0) {
    return Make([&](qt_observer** out) {
      return qt_observer_new_per_channel_min_max(out, ch_axis, dtype, symmetric, reduce_range,
                                                 quant_min, quant_max);
    });
  }
  static Observer MovingAveragePerChannelMinMax(double averaging_constant = 0.01,
                                                int64_t ch_axis = 0, qt_dtype dtype = QT_QUINT8,
                                                bool symmetric = false, bool reduce_range = false,
                                                int64_t quant_min = 0, int64_t quant_max = 0) {
    return Make([&](qt_observer** out) {
      return qt_observer_new_moving_average_per_channel_min_max(
          out, averaging_constant, ch_axis, dtype, symmetric, reduce_range, quant_min, quant_max);
    });
  }
  static Observer Histogram(int64_t bins = 2048, int64_t upsample_rate = 128,
                            qt_dtype dtype = QT_QUINT8, bool symmetric = false,
                            bool reduce_range = false, int64_t quant_min = 0,
                            int64_t quant_max = 0) {
    return Make([&](qt_observer** out) {
      return qt_observer_new_histogram(out, bins, upsample_rate, dtype, symmetric, reduce_range,
                                       quant_min, quant_max);
    });
  }
  // Takes ownership of a handle from the C API.
  explicit Observer(qt_observer* handle) : handle_(handle) {}

  // Records count row-major floats of the given shape.
  void forward(const float* data, size_t count, const std::vector<int64_t>& shape) {
    detail::CheckFloatCount(count, shape);
    detail::Check(qt_observer_forward(handle_.get(), data, shape.data(), shape.size()));
  }
  void forward(const std::vector<float>& data, const std::vector<int64_t>& shape) {
    forward(data.data(), data.size(), shape);
  }
  size_t num_channels() const {
    size_t n = 0;
    detail::Check(qt_observer_num_channels(&n, get()));
    return n;
  }
  ObserverQParams calculate_qparams() const {
    ObserverQParams p;
    const size_t n = num_channels();
    p.scales.resize(n);
    p.zero_points.resize(n);
    detail::Check(qt_observer_calculate_qparams(p.scales.data(), p.zero_points.data(), n, get()));
    return p;
  }
  // The running minima and maxima (per channel; +inf and -inf before data
  // for a per-tensor observer).
  std::vector<float> min_val() const {
    std::vector<float> out(num_channels());
    detail::Check(qt_observer_min_val(out.data(), out.size(), get()));
    return out;
  }
  std::vector<float> max_val() const {
    std::vector<float> out(num_channels());
    detail::Check(qt_observer_max_val(out.data(), out.size(), get()));
    return out;
  }
  Quantizer quantizer() const {
    qt_quantizer* handle = nullptr;
    detail::Check(qt_observer_quantizer(&handle, get()));
    return Quantizer(handle);
  }

  const qt_observer* get() const noexcept { return handle_.get(); }

 private:
  template <typename Fn>
  static Observer Make(Fn&& make) {
    qt_observer* handle = nullptr;
    detail::Check(make(&handle));
    return Observer(handle);
  }
  struct Deleter {
    void operator()(qt_observer* observer) const noexcept { qt_observer_free(observer); }
  };
  std::unique_ptr<qt_observer, Deleter> handle_;
};

// Weights of a quantized linear layer packed once (PyTorch's
// linear_prepack); shared by copies, immutable, usable from many threads.
class PackedLinear {
 public:
  // Takes ownership of a handle from the C API.
  explicit PackedLinear(qt_packed_linear* handle) : handle_(handle, Deleter()) {}

  static PackedLinear prepack(const Tensor& weight, const std::vector<float>& bias = {}) {
    qt_packed_linear* handle = nullptr;
    detail::Check(qt_linear_prepack(&handle, weight.get(), bias.data(), bias.size()));
    return PackedLinear(handle);
  }

  Tensor weight() const {
    qt_tensor* out = nullptr;
    detail::Check(qt_packed_linear_weight(&out, get()));
    return Tensor(out);
  }
  std::vector<float> bias() const {
    size_t count = 0;
    detail::Check(qt_packed_linear_bias(nullptr, 0, &count, get()));
    std::vector<float> out(count);
    detail::Check(qt_packed_linear_bias(out.data(), out.size(), &count, get()));
    return out;
  }
  size_t in_features() const {
    size_t n = 0;
    detail::Check(qt_packed_linear_in_features(&n, get()));
    return n;
  }
  size_t out_features() const {
    size_t n = 0;
    detail::Check(qt_packed_linear_out_features(&n, get()));
    return n;
  }

  const qt_packed_linear* get() const noexcept { return handle_.get(); }

 private:
  struct Deleter {
    void operator()(qt_packed_linear* packed) const noexcept { qt_packed_linear_free(packed); }
  };
  std::shared_ptr<qt_packed_linear> handle_;
};

// torch.ops.quantized.linear / linear_relu.
inline Tensor linear(const Tensor& input, const PackedLinear& packed, double scale,
                     int64_t zero_point) {
  qt_tensor* out = nullptr;
  detail::Check(qt_linear(&out, input.get(), packed.get(), scale, zero_point));
  return Tensor(out);
}
inline Tensor linear_relu(const Tensor& input, const PackedLinear& packed, double scale,
                          int64_t zero_point) {
  qt_tensor* out = nullptr;
  detail::Check(qt_linear_relu(&out, input.get(), packed.get(), scale, zero_point));
  return Tensor(out);
}

// The settings of a 2-D convolution (PyTorch's conv2d_prepack arguments).
struct Conv2dSettings {
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 2> padding{0, 0};
  std::array<int64_t, 2> dilation{1, 1};
  int64_t groups = 1;
};

// Weights of a quantized 2-D convolution packed once with its settings
// (PyTorch's conv2d_prepack); shared by copies, immutable.
class PackedConv2d {
 public:
  // Takes ownership of a handle from the C API.
  explicit PackedConv2d(qt_packed_conv2d* handle) : handle_(handle, Deleter()) {}

  static PackedConv2d prepack(const Tensor& weight, const std::vector<float>& bias = {},
                              const Conv2dSettings& settings = {}) {
    qt_packed_conv2d* handle = nullptr;
    detail::Check(qt_conv2d_prepack(&handle, weight.get(), bias.data(), bias.size(),
                                    settings.stride.data(), settings.padding.data(),
                                    settings.dilation.data(), settings.groups));
    return PackedConv2d(handle);
  }

  Tensor weight() const {
    qt_tensor* out = nullptr;
    detail::Check(qt_packed_conv2d_weight(&out, get()));
    return Tensor(out);
  }
  std::vector<float> bias() const {
    size_t count = 0;
    detail::Check(qt_packed_conv2d_bias(nullptr, 0, &count, get()));
    std::vector<float> out(count);
    detail::Check(qt_packed_conv2d_bias(out.data(), out.size(), &count, get()));
    return out;
  }
  Conv2dSettings settings() const {
    Conv2dSettings s;
    detail::Check(qt_packed_conv2d_settings(s.stride.data(), s.padding.data(), s.dilation.data(),
                                            &s.groups, get()));
    return s;
  }

  const qt_packed_conv2d* get() const noexcept { return handle_.get(); }

 private:
  struct Deleter {
    void operator()(qt_packed_conv2d* packed) const noexcept { qt_packed_conv2d_free(packed); }
  };
  std::shared_ptr<qt_packed_conv2d> handle_;
};

// torch.ops.quantized.linear_dynamic: float data of the given shape [...,
// in_features] in, floats [..., out_features] out.
inline std::vector<float> linear_dynamic(const std::vector<float>& data,
                                         const std::vector<int64_t>& shape,
                                         const PackedLinear& packed, bool reduce_range = false) {
  detail::CheckFloatCount(data.size(), shape);
  size_t rows = 1;
  for (size_t d = 0; d + 1 < shape.size(); ++d) rows *= static_cast<size_t>(shape[d]);
  std::vector<float> out(shape.empty() ? 0 : rows * packed.out_features());
  detail::Check(qt_linear_dynamic(out.data(), out.size(), data.data(), shape.data(), shape.size(),
                                  packed.get(), reduce_range));
  return out;
}

// torch.ops.quantized.conv2d / conv2d_relu.
inline Tensor conv2d(const Tensor& input, const PackedConv2d& packed, double scale,
                     int64_t zero_point) {
  qt_tensor* out = nullptr;
  detail::Check(qt_conv2d(&out, input.get(), packed.get(), scale, zero_point));
  return Tensor(out);
}
inline Tensor conv2d_relu(const Tensor& input, const PackedConv2d& packed, double scale,
                          int64_t zero_point) {
  qt_tensor* out = nullptr;
  detail::Check(qt_conv2d_relu(&out, input.get(), packed.get(), scale, zero_point));
  return Tensor(out);
}

inline std::ostream& operator<<(std::ostream& out, const Tensor& tensor) {
  return out << tensor.to_string();
}

}  // namespace qtensor

#endif  // QTENSOR_QTENSOR_HPP
