// C# module QTensorNative (low level, internal to QTensor.dll): the shared
// interface, an exception callback into C#, and array-taking helpers over the
// facade. The public API of namespace QTensor is the hand-written *.cs beside
// this file; the classes generated here are internal and named Native*.
%module QTensorNative

%include <arrays_csharp.i>

%{
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

// The C# side registers a callback that turns (status, message) into its
// exception and sets it as SWIG's pending exception; the generated C#
// wrapper throws it when the native call returns.
typedef void(SWIGSTDCALL* QtCSharpRaiseCallback)(int status, const char* message);
static QtCSharpRaiseCallback qt_csharp_raise_callback = nullptr;

extern "C" SWIGEXPORT void SWIGSTDCALL QTensorNative_RegisterRaiseCallback(
    QtCSharpRaiseCallback callback) {
  qt_csharp_raise_callback = callback;
}

// Status -1: a method called on a freed object (the C# layer checks first;
// this keeps a missed check from dereferencing NULL).
static const int qt_csharp_disposed = -1;

static void qt_csharp_raise(int status, const char* message) {
  if (qt_csharp_raise_callback) {
    qt_csharp_raise_callback(status, message);
  } else {
    SWIG_CSharpSetPendingException(SWIG_CSharpApplicationException, message);
  }
}

namespace qtensor_csharp {

// The C# layer passes each array with its length; a negative one is a bug.
inline void CheckCount(int64_t count) {
  if (count < 0) throw qtensor::Error(QT_ERR_INVALID_ARGUMENT, "negative element count");
}
inline std::vector<int64_t> Longs(const int64_t* values, int64_t count) {
  CheckCount(count);
  return std::vector<int64_t>(values, values + count);
}
template <typename T>
void CopyOut(const std::vector<T>& values, T* out, int64_t count) {
  if (count != static_cast<int64_t>(values.size())) {
    throw qtensor::Error(QT_ERR_INVALID_ARGUMENT, "output array has the wrong length");
  }
  std::copy(values.begin(), values.end(), out);
}

// The address of the last float or integer array passed in or out: lets a
// test check that C# arrays reach the library pinned, not copied.
static const void* last_array = nullptr;
template <typename T>
T* Track(T* values) {
  last_array = values;
  return values;
}

// Serialized bytes on their way to a C# byte[].
class Bytes {
 public:
  explicit Bytes(std::string data) : data_(std::move(data)) {}
  int64_t Size() const { return static_cast<int64_t>(data_.size()); }
  void CopyTo(uint8_t* uint8_out, int64_t count) const {
    CheckCount(count);
    std::memcpy(uint8_out, data_.data(), std::min(static_cast<size_t>(count), data_.size()));
  }

 private:
  std::string data_;
};

}  // namespace qtensor_csharp
%}

%define QTENSOR_SWIG_RAISE(status, message)
  qt_csharp_raise((int)(status), message);
  return $null;
%enddef

// No static initializer may call a P/Invoke: Mono may run one while it
// compiles a method of the public API, before that class's static
// constructor has run NativeLoader (see NativeLoader.cs). Constants are
// therefore C# literals.
%csconst(1);
%pragma(csharp) moduleclassmodifiers="internal class"
%typemap(csclassmodifiers) SWIGTYPE "internal class"

// The C# exception helper: registered once, before any native call (the
// static field initialises with the class).
%pragma(csharp) imclasscode=%{
  internal class QtRaiseHelper {
    internal delegate void RaiseDelegate(int status, string message);
    static readonly RaiseDelegate raiseDelegate = new RaiseDelegate(Raise);

    [global::System.Runtime.InteropServices.DllImport("$dllimport",
        EntryPoint = "QTensorNative_RegisterRaiseCallback")]
    static extern void Register(RaiseDelegate callback);

    static void Raise(int status, string message) {
      SWIGPendingException.Set(QTensorException.FromStatus(status, message));
    }

    static QtRaiseHelper() { Register(raiseDelegate); }
  }
#pragma warning disable 414
  static readonly QtRaiseHelper qtRaiseHelper = new QtRaiseHelper();
#pragma warning restore 414
%}

// A method called on a disposed proxy (NULL self) raises instead of crashing.
%typemap(check, canthrow=1) SWIGTYPE* self %{
  if (!$1) {
    qt_csharp_raise(qt_csharp_disposed, "the object has been disposed");
    return $null;
  }
%}

// Public C# enums with .NET names.
%rename(Status) qt_status;
%rename(Ok) QT_OK;
%rename(InvalidArgument) QT_ERR_INVALID_ARGUMENT;
%rename(OutOfRange) QT_ERR_OUT_OF_RANGE;
%rename(ShapeMismatch) QT_ERR_SHAPE_MISMATCH;
%rename(TypeMismatch) QT_ERR_TYPE_MISMATCH;
%rename(OutOfMemory) QT_ERR_OUT_OF_MEMORY;
%rename(Io) QT_ERR_IO;
%rename(CorruptData) QT_ERR_CORRUPT_DATA;
%rename(Internal) QT_ERR_INTERNAL;
%rename(NotFound) QT_ERR_NOT_FOUND;
// XML doc comments of the public enums and their values (in QTensor.xml
// beside the assembly), emitted where SWIG puts their modifiers and
// attributes.
%typemap(csclassmodifiers) enum qt_status %{/// <summary>
/// The library's status codes (<see cref="QTensorException.Status"/>).
/// </summary>
public enum%}
%csattributes QT_OK "/// <summary>Success (never an exception's).</summary>"
%csattributes QT_ERR_INVALID_ARGUMENT "/// <summary>A bad parameter.</summary>"
%csattributes QT_ERR_OUT_OF_RANGE "/// <summary>An index or dimension outside the tensor.</summary>"
%csattributes QT_ERR_SHAPE_MISMATCH "/// <summary>Shapes or counts that do not match.</summary>"
%csattributes QT_ERR_TYPE_MISMATCH "/// <summary>dtypes or a scheme that do not match.</summary>"
%csattributes QT_ERR_OUT_OF_MEMORY "/// <summary>An allocation failed or overflows.</summary>"
%csattributes QT_ERR_IO "/// <summary>A file could not be opened, read or written.</summary>"
%csattributes QT_ERR_CORRUPT_DATA "/// <summary>Serialized data is malformed.</summary>"
%csattributes QT_ERR_INTERNAL "/// <summary>A bug in the library.</summary>"
%csattributes QT_ERR_NOT_FOUND "/// <summary>A bundle name or metadata key not there.</summary>"
%typemap(csclassmodifiers) enum qt_dtype %{/// <summary>
/// Quantized integer types, as PyTorch's torch.qint8, torch.quint8 and
/// torch.qint32 (<see cref="DTypeExtensions"/> names them).
/// </summary>
public enum%}
%csattributes QT_QINT8 "/// <summary>int8 values, range [-128, 127].</summary>"
%csattributes QT_QUINT8 "/// <summary>uint8 values, range [0, 255].</summary>"
%csattributes QT_QINT32 "/// <summary>int32 values, range [-2^31, 2^31 - 1].</summary>"
%csattributes QT_QINT16 "/// <summary>int16 values, range [-32768, 32767] (ONNX's int16).</summary>"
%csattributes QT_QUINT16 "/// <summary>uint16 values, range [0, 65535] (ONNX's uint16).</summary>"
%csattributes QT_QUINT4X2 "/// <summary>PyTorch's quint4x2: 4-bit, range [0, 15], two per byte.</summary>"
%csattributes QT_QUINT2X4 "/// <summary>PyTorch's quint2x4: 2-bit, range [0, 3], four per byte.</summary>"
%csattributes QT_QINT4 "/// <summary>ONNX's int4: 4-bit, range [-8, 7], two per byte.</summary>"
%csattributes QT_QUINT4 "/// <summary>ONNX's uint4: 4-bit, range [0, 15], two per byte.</summary>"
%typemap(csclassmodifiers) enum qt_qscheme %{/// <summary>
/// Quantization schemes, as PyTorch's torch.per_tensor_affine and
/// torch.per_channel_affine (<see cref="QSchemeExtensions"/> names them).
/// </summary>
public enum%}
%csattributes QT_PER_TENSOR_AFFINE "/// <summary>One scale and zero point.</summary>"
%csattributes QT_PER_CHANNEL_AFFINE "/// <summary>A scale and zero point per channel.</summary>"
%csattributes QT_PER_BLOCK_AFFINE "/// <summary>A scale and zero point per block of elements along one axis.</summary>"
%csattributes QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS "/// <summary>PyTorch's: a float32 scale and float32 zero point per channel.</summary>"
%rename(DType) qt_dtype;
%rename(QInt8) QT_QINT8;
%rename(QUInt8) QT_QUINT8;
%rename(QInt32) QT_QINT32;
%rename(QInt16) QT_QINT16;
%rename(QUInt16) QT_QUINT16;
%rename(QUInt4x2) QT_QUINT4X2;
%rename(QUInt2x4) QT_QUINT2X4;
%rename(QInt4) QT_QINT4;
%rename(QUInt4) QT_QUINT4;
%rename(QScheme) qt_qscheme;
%rename(PerTensorAffine) QT_PER_TENSOR_AFFINE;
%rename(PerChannelAffine) QT_PER_CHANNEL_AFFINE;
%rename(PerBlockAffine) QT_PER_BLOCK_AFFINE;
%rename(PerChannelAffineFloatQParams) QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS;
%typemap(csclassmodifiers) enum qt_rounding %{/// <summary>
/// Which formula quantizes floats (<see cref="RoundingExtensions"/> names them).
/// </summary>
public enum%}
%csattributes QT_ROUNDING_PYTORCH "/// <summary>x * (1 / scale), half to even, NaN to the zero point (the default).</summary>"
%csattributes QT_ROUNDING_ONNX "/// <summary>x / scale in float32, half to even, NaN to the dtype's minimum (ONNX Runtime's QuantizeLinear).</summary>"
%rename(Rounding) qt_rounding;
%rename(PyTorch) QT_ROUNDING_PYTORCH;
%csattributes QT_ROUNDING_GGUF "/// <summary>llama.cpp's Q8_0 / Q4_0 value formulas with each block's d (qint8 with zero points 0, quint4 with zero points 8; float16 scales that may be 0 or negative).</summary>"
%rename(Onnx) QT_ROUNDING_ONNX;
%rename(Gguf) QT_ROUNDING_GGUF;
%typemap(csclassmodifiers) enum qt_gguf_type %{/// <summary>
/// GGUF's block types held as tensors, numbered as ggml numbers them.
/// </summary>
public enum%}
%csattributes QT_GGUF_Q4_0 "/// <summary>Q4_0: quint4 values q with zero point 8, (q - 8) * d, blocks of 32.</summary>"
%csattributes QT_GGUF_Q8_0 "/// <summary>Q8_0: qint8 values q with zero point 0, q * d, blocks of 32.</summary>"
%rename(GgufType) qt_gguf_type;
%rename(Q4_0) QT_GGUF_Q4_0;
%rename(Q8_0) QT_GGUF_Q8_0;
%typemap(csclassmodifiers) enum qt_scale_type %{/// <summary>
/// The floating-point type a quantizer's scales are kept in; no result
/// depends on it (<see cref="ScaleTypeExtensions"/> names them).
/// </summary>
public enum%}
%csattributes QT_SCALE_FLOAT64 "/// <summary>Any double (the default).</summary>"
%csattributes QT_SCALE_FLOAT32 "/// <summary>float32 values (ONNX's usual scales).</summary>"
%csattributes QT_SCALE_FLOAT16 "/// <summary>IEEE half values (GGUF's block scales, ONNX's float16).</summary>"
%csattributes QT_SCALE_BFLOAT16 "/// <summary>bfloat16 values.</summary>"
%rename(ScaleType) qt_scale_type;
%rename(Float64) QT_SCALE_FLOAT64;
%rename(Float32) QT_SCALE_FLOAT32;
%rename(Float16) QT_SCALE_FLOAT16;
%rename(BFloat16) QT_SCALE_BFLOAT16;

// The public FloatDType is written by hand (FloatDType.cs): SWIG puts a C
// enum's items in one scope, where Float32, Float16 and BFloat16 are
// ScaleType's already. The wrappers take this internal one; Bundle casts.
%typemap(csclassmodifiers) enum qt_float_dtype "internal enum"
%rename(NativeFloatDType) qt_float_dtype;

%rename(NativeTensor) qtensor::Tensor;
%rename(NativeQuantizer) qtensor::Quantizer;
%rename(NativeBundle) qtensor::Bundle;
%ignore qtensor::Error;

// Overloads replaced by the array helpers below, and operators C# cannot take.
%ignore qtensor::Tensor::Quantize;
%ignore qtensor::Tensor::QuantizePerTensor;
%ignore qtensor::Tensor::QuantizePerChannel;
%ignore qtensor::Tensor::EmptyQuantized;
%ignore qtensor::Tensor::FromIntRepr;
%ignore qtensor::Tensor::permute;
%ignore qtensor::Tensor::max_pool2d;
%ignore qtensor::Tensor::avg_pool2d;
%ignore qtensor::Tensor::adaptive_avg_pool2d;
%ignore qtensor::Tensor::view;
%ignore qtensor::Tensor::reshape;
%ignore qtensor::Tensor::at;
%ignore qtensor::Tensor::set;
%ignore qtensor::Tensor::sizes;
%ignore qtensor::Tensor::strides;
%ignore qtensor::Tensor::q_per_channel_scales;
%ignore qtensor::Tensor::q_per_channel_zero_points;
%ignore qtensor::Tensor::copy_(const std::vector<float>&) const;
%ignore qtensor::Tensor::copy_(const float*, size_t) const;
%ignore qtensor::Tensor::dequantize;
%ignore qtensor::Tensor::dequantize_into;
%ignore qtensor::Tensor::int_repr_into;
%ignore qtensor::Tensor::serialize;
%ignore qtensor::Tensor::deserialize;
%ignore qtensor::Bundle::serialize_onnx;
%ignore qtensor::Bundle::deserialize_onnx;
%ignore qtensor::Tensor::operator[];
// Index lists, masks and repeats: replaced by the array helpers below;
// empty_like is wrapped as it is.
%ignore qtensor::Tensor::index_select;
%ignore qtensor::Tensor::repeat;
%ignore qtensor::Tensor::masked_fill_;
%ignore qtensor::Tensor::index_put_;
%ignore qtensor::Quantizer::PerChannel;
%ignore qtensor::Quantizer::PerBlock;
%ignore qtensor::Quantizer::PerChannelFloatQParams;
%ignore qtensor::Quantizer::float_zero_points;
%ignore qtensor::Tensor::q_per_channel_float_zero_points;
%ignore qtensor::Quantizer::scales;
%ignore qtensor::Quantizer::zero_points;
%ignore qtensor::Quantizer::operator!=;
%rename(IsEqual) qtensor::Quantizer::operator==;
%ignore qtensor::Bundle::metadata_keys;
%ignore qtensor::Bundle::names;
%ignore qtensor::Bundle::serialize;
%ignore qtensor::Bundle::deserialize;
%ignore qtensor::Quantizer::Gguf;
%ignore qtensor::Bundle::serialize_gguf;
%ignore qtensor::Bundle::deserialize_gguf;
%ignore qtensor::quantize_gguf;
%ignore qtensor::Bundle::set_float;
%ignore qtensor::Bundle::float_shape;
%ignore qtensor::Bundle::float_data;
%ignore qtensor::Bundle::float_values;
// Quantizer is move-only: return it by moving (Bundle: see ../qtensor.i).
%feature("valuewrapper") qtensor::Quantizer;

// C# arrays pass as pointers to their (pinned) elements, never copied.
%apply float INPUT[] { float* values_in, float* floats_in };
%apply float OUTPUT[] { float* values_out };
%apply double INPUT[] { double* doubles_in };
%apply double OUTPUT[] { double* doubles_out };
%apply long long INPUT[] { int64_t* longs_in, int64_t* shape_in };
// The pooling sizes, four arrays in one call.
%apply long long INPUT[] { int64_t* kernel_in, int64_t* stride_in, int64_t* padding_in,
                           int64_t* dilation_in };
%apply long long OUTPUT[] { int64_t* longs_out };
// int64_t is long, not long long, on LP64 Linux.
%typemap(in) int64_t* longs_in, int64_t* shape_in, int64_t* longs_out "$1 = ($1_ltype)$input;"
%typemap(in) int64_t* kernel_in, int64_t* stride_in, int64_t* padding_in,
             int64_t* dilation_in "$1 = ($1_ltype)$input;"
%apply signed char INPUT[] { int8_t* int8_in };
%apply signed char OUTPUT[] { int8_t* int8_out };
%apply unsigned char INPUT[] { uint8_t* uint8_in };
%apply unsigned char OUTPUT[] { uint8_t* uint8_out };
%apply int INPUT[] { int32_t* int32_in };
%apply int OUTPUT[] { int32_t* int32_out };
%apply short INPUT[] { int16_t* int16_in };
%apply short OUTPUT[] { int16_t* int16_out };
%apply unsigned short INPUT[] { uint16_t* uint16_in };
%apply unsigned short OUTPUT[] { uint16_t* uint16_out };

// Strings: checked before the marshaller converts them to UTF-8 (see
// Arguments.Utf8). std_string.i is included first so that the shared file's
// %include of it (a no-op then) does not replace this.
%include <std_string.i>
%typemap(csin) const std::string& "Arguments.Utf8($csinput)"

// Parameters from data: the observers and the per-tensor choosers take C#
// arrays through the helpers below; QParams crosses as NativeQParams.
%rename(NativeObserver) qtensor::Observer;
%rename(NativeQParams) qtensor::QParams;
// Observer is move-only: return it by moving.
%feature("valuewrapper") qtensor::Observer;
%ignore qtensor::Observer::Observer(qt_observer*);
%ignore qtensor::Observer::get;
%ignore qtensor::Observer::forward;
%ignore qtensor::Observer::calculate_qparams;
%ignore qtensor::Observer::min_val;
%ignore qtensor::Observer::max_val;
%ignore qtensor::Observer::num_channels;
%ignore qtensor::ObserverQParams;
%ignore qtensor::choose_qparams_per_tensor;
%ignore qtensor::quantize_per_tensor_dynamic;

// Linear layers: the bias crosses as C# float[], the sizes as long.
%rename(NativePackedLinear) qtensor::PackedLinear;
%ignore qtensor::PackedLinear::prepack;
%ignore qtensor::PackedLinear::bias;
%ignore qtensor::PackedLinear::in_features;
%ignore qtensor::PackedLinear::out_features;
// Convolutions: the bias crosses as float[], each setting as long[].
%rename(NativePackedConv2d) qtensor::PackedConv2d;
%ignore qtensor::PackedConv2d::bias;

// Containers: BundleFile and BundleWriter wrap these. Lists and shapes
// cross one item at a time or into C# arrays; select takes NativeNames.
%rename(NativeBundleFile) qtensor::BundleFile;
%rename(NativeBundleWriter) qtensor::BundleWriter;
%ignore qtensor::BundleFile::names;
%ignore qtensor::BundleFile::metadata_keys;
%ignore qtensor::BundleFile::shape;
%ignore qtensor::BundleFile::select;
%ignore qtensor::BundleWriter::add_float;

%include "../qtensor.i"


%nodefaultctor qtensor_csharp::Bytes;
namespace qtensor_csharp {
%newobject qtensor::Bundle::SerializeOnnxBytes;
class Bytes {
 public:
  int64_t Size() const;
  void CopyTo(uint8_t* uint8_out, int64_t count) const;
};
}

%inline %{
// For tests: the address of the last array given to the library.
int64_t LastArrayAddress() { return reinterpret_cast<int64_t>(qtensor_csharp::last_array); }
%}

%newobject qtensor::Tensor::SerializeBytes;
%newobject qtensor::Tensor::PackedReprBytes;
%newobject qtensor::Bundle::SerializeBytes;
%newobject qtensor::Bundle::SerializeGgufBytes;
%newobject qtensor::Bundle::FloatDataBytes;



%extend qtensor::Quantizer {
  static qtensor::Quantizer PerChannelArrays(qt_dtype dtype, double* doubles_in,
                                             int64_t* longs_in, int64_t count, int64_t axis) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Quantizer::PerChannel(dtype, std::vector<double>(doubles_in, doubles_in + count),
                                          qtensor_csharp::Longs(longs_in, count), axis);
  }
  static qtensor::Quantizer PerBlockArrays(qt_dtype dtype, double* doubles_in, int64_t* longs_in,
                                           int64_t count, int64_t axis, int64_t block_size) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Quantizer::PerBlock(dtype, std::vector<double>(doubles_in, doubles_in + count),
                                        qtensor_csharp::Longs(longs_in, count), axis, block_size);
  }
  static qtensor::Quantizer GgufArrays(qt_gguf_type type, double* doubles_in, int64_t count) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Quantizer::Gguf(type, std::vector<double>(doubles_in, doubles_in + count));
  }
  void ScalesInto(double* doubles_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->scales(), doubles_out, count);
  }
  void ZeroPointsInto(int64_t* longs_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->zero_points(), longs_out, count);
  }
  static qtensor::Quantizer PerChannelFloatQParamsArrays(qt_dtype dtype, float* values_in,
                                                         float* floats_in, int64_t count,
                                                         int64_t axis) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Quantizer::PerChannelFloatQParams(
        dtype, std::vector<float>(values_in, values_in + count),
        std::vector<float>(floats_in, floats_in + count), axis);
  }
  void FloatZeroPointsInto(float* values_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->float_zero_points(), values_out, count);
  }
}

%extend qtensor::Tensor {
  static qtensor::Tensor QuantizeValues(float* values_in, int64_t count, int64_t* shape_in,
                                        int64_t ndim, const qtensor::Quantizer& quantizer) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::Quantize(qtensor_csharp::Track(values_in), static_cast<size_t>(count),
                                     qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  static qtensor::Tensor Empty(int64_t* shape_in, int64_t ndim,
                               const qtensor::Quantizer& quantizer) {
    return qtensor::Tensor::EmptyQuantized(qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  static qtensor::Tensor FromInt8(int8_t* int8_in, int64_t count, int64_t* shape_in,
                                  int64_t ndim, const qtensor::Quantizer& quantizer) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::FromIntRepr(int8_in, static_cast<size_t>(count),
                                        qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  static qtensor::Tensor FromUInt8(uint8_t* uint8_in, int64_t count, int64_t* shape_in,
                                   int64_t ndim, const qtensor::Quantizer& quantizer) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::FromIntRepr(uint8_in, static_cast<size_t>(count),
                                        qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  static qtensor::Tensor FromInt32(int32_t* int32_in, int64_t count, int64_t* shape_in,
                                   int64_t ndim, const qtensor::Quantizer& quantizer) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::FromIntRepr(int32_in, static_cast<size_t>(count) * sizeof(int32_t),
                                        qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  static qtensor::Tensor FromInt16(int16_t* int16_in, int64_t count, int64_t* shape_in,
                                   int64_t ndim, const qtensor::Quantizer& quantizer) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::FromIntRepr(int16_in, static_cast<size_t>(count) * sizeof(int16_t),
                                        qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  static qtensor::Tensor FromUInt16(uint16_t* uint16_in, int64_t count, int64_t* shape_in,
                                    int64_t ndim, const qtensor::Quantizer& quantizer) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::FromIntRepr(uint16_in, static_cast<size_t>(count) * sizeof(uint16_t),
                                        qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  // Integers in storage form (qt_from_packed).
  static qtensor::Tensor FromPackedBytes(uint8_t* uint8_in, int64_t count, int64_t* shape_in,
                                         int64_t ndim, const qtensor::Quantizer& quantizer) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::FromPacked(uint8_in, static_cast<size_t>(count),
                                       qtensor_csharp::Longs(shape_in, ndim), quantizer);
  }
  static qtensor::Tensor DeserializeBytes(uint8_t* uint8_in, int64_t count) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Tensor::deserialize(uint8_in, static_cast<size_t>(count));
  }
  qtensor_csharp::Bytes* SerializeBytes() const {
    return new qtensor_csharp::Bytes($self->serialize());
  }
  qtensor_csharp::Bytes* PackedReprBytes() const {
    const std::vector<uint8_t> packed = $self->packed_repr();
    return new qtensor_csharp::Bytes(std::string(packed.begin(), packed.end()));
  }

  void ShapeInto(int64_t* longs_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->sizes(), longs_out, count);
  }
  void StridesInto(int64_t* longs_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->strides(), longs_out, count);
  }
  // shape[axis] for a per-channel view, 1 for a per-tensor one, as a long.
  int64_t QNumChannels() const { return static_cast<int64_t>($self->q_num_channels()); }
  void QPerChannelScalesInto(double* doubles_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->q_per_channel_scales(), doubles_out, count);
  }
  void QPerChannelZeroPointsInto(int64_t* longs_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->q_per_channel_zero_points(), longs_out, count);
  }
  void QPerChannelFloatZeroPointsInto(float* values_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->q_per_channel_float_zero_points(), values_out, count);
  }

  qtensor::Tensor MaxPool2d(int64_t* kernel_in, int64_t kernel_count, int64_t* stride_in,
                            int64_t stride_count, int64_t* padding_in, int64_t padding_count,
                            int64_t* dilation_in, int64_t dilation_count, bool ceil_mode) const {
    return $self->max_pool2d(qtensor_csharp::Longs(kernel_in, kernel_count),
                             qtensor_csharp::Longs(stride_in, stride_count),
                             qtensor_csharp::Longs(padding_in, padding_count),
                             qtensor_csharp::Longs(dilation_in, dilation_count), ceil_mode);
  }
  qtensor::Tensor AvgPool2d(int64_t* kernel_in, int64_t kernel_count, int64_t* stride_in,
                            int64_t stride_count, int64_t* padding_in, int64_t padding_count,
                            bool ceil_mode, bool count_include_pad,
                            int64_t divisor_override) const {
    return $self->avg_pool2d(qtensor_csharp::Longs(kernel_in, kernel_count),
                             qtensor_csharp::Longs(stride_in, stride_count),
                             qtensor_csharp::Longs(padding_in, padding_count), ceil_mode,
                             count_include_pad, divisor_override);
  }
  qtensor::Tensor AdaptiveAvgPool2d(int64_t* longs_in, int64_t count) const {
    return $self->adaptive_avg_pool2d(qtensor_csharp::Longs(longs_in, count));
  }
  qtensor::Tensor Permute(int64_t* longs_in, int64_t count) const {
    return $self->permute(qtensor_csharp::Longs(longs_in, count));
  }
  qtensor::Tensor View(int64_t* longs_in, int64_t count) const {
    return $self->view(qtensor_csharp::Longs(longs_in, count));
  }
  qtensor::Tensor Reshape(int64_t* longs_in, int64_t count) const {
    return $self->reshape(qtensor_csharp::Longs(longs_in, count));
  }
  qtensor::Tensor IndexSelect(int64_t dim, int64_t* longs_in, int64_t count) const {
    return $self->index_select(dim, qtensor_csharp::Longs(longs_in, count));
  }
  qtensor::Tensor Repeat(int64_t* longs_in, int64_t count) const {
    return $self->repeat(qtensor_csharp::Longs(longs_in, count));
  }
  // The mask crosses as bytes (0 or 1: Tensor.MaskedFillInPlace converts
  // the bool[], which Mono would marshal as 4-byte BOOLs) and becomes C++
  // bools here.
  void MaskedFillMask(uint8_t* uint8_in, int64_t count, float value) const {
    qtensor_csharp::CheckCount(count);
    std::unique_ptr<bool[]> mask(new bool[static_cast<size_t>(count)]);
    for (int64_t i = 0; i < count; ++i) mask[i] = uint8_in[i] != 0;
    $self->masked_fill_(mask.get(), static_cast<size_t>(count), value);
  }
  void IndexPutValues(int64_t dim, int64_t* longs_in, int64_t count, float* values_in,
                      int64_t value_count) const {
    qtensor_csharp::CheckCount(value_count);
    $self->index_put_(dim, qtensor_csharp::Longs(longs_in, count), values_in,
                      static_cast<size_t>(value_count));
  }
  float At(int64_t* longs_in, int64_t count) const {
    return $self->at(qtensor_csharp::Longs(longs_in, count));
  }
  void SetAt(int64_t* longs_in, int64_t count, float value) const {
    $self->set(qtensor_csharp::Longs(longs_in, count), value);
  }
  void CopyValues(float* values_in, int64_t count) const {
    qtensor_csharp::CheckCount(count);
    $self->copy_(values_in, static_cast<size_t>(count));
  }

  void DequantizeInto(float* values_out, int64_t count) const {
    qtensor_csharp::CheckCount(count);
    $self->dequantize_into(qtensor_csharp::Track(values_out), static_cast<size_t>(count));
  }
  void IntReprInt8(int8_t* int8_out, int64_t count) const {
    qtensor_csharp::CheckCount(count);
    $self->int_repr_into(qtensor_csharp::Track(int8_out), static_cast<size_t>(count));
  }
  void IntReprUInt8(uint8_t* uint8_out, int64_t count) const {
    qtensor_csharp::CheckCount(count);
    $self->int_repr_into(qtensor_csharp::Track(uint8_out), static_cast<size_t>(count));
  }
  void IntReprInt16(int16_t* int16_out, int64_t count) const {
    qtensor_csharp::CheckCount(count);
    $self->int_repr_into(qtensor_csharp::Track(int16_out),
                         static_cast<size_t>(count) * sizeof(int16_t));
  }
  void IntReprUInt16(uint16_t* uint16_out, int64_t count) const {
    qtensor_csharp::CheckCount(count);
    $self->int_repr_into(qtensor_csharp::Track(uint16_out),
                         static_cast<size_t>(count) * sizeof(uint16_t));
  }
  void IntReprInt32(int32_t* int32_out, int64_t count) const {
    qtensor_csharp::CheckCount(count);
    $self->int_repr_into(qtensor_csharp::Track(int32_out),
                         static_cast<size_t>(count) * sizeof(int32_t));
  }
}

%extend qtensor::Bundle {
  static qtensor::Bundle DeserializeBytes(uint8_t* uint8_in, int64_t count) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Bundle::deserialize(uint8_in, static_cast<size_t>(count));
  }
  qtensor_csharp::Bytes* SerializeBytes() const {
    return new qtensor_csharp::Bytes($self->serialize());
  }
  static qtensor::Bundle DeserializeGgufBytes(uint8_t* uint8_in, int64_t count) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Bundle::deserialize_gguf(uint8_in, static_cast<size_t>(count));
  }
  qtensor_csharp::Bytes* SerializeGgufBytes() const {
    return new qtensor_csharp::Bytes($self->serialize_gguf());
  }
  static qtensor::Bundle DeserializeOnnxBytes(uint8_t* uint8_in, int64_t count) {
    qtensor_csharp::CheckCount(count);
    return qtensor::Bundle::deserialize_onnx(uint8_in, static_cast<size_t>(count));
  }
  qtensor_csharp::Bytes* SerializeOnnxBytes() const {
    return new qtensor_csharp::Bytes($self->serialize_onnx());
  }
  // Float entries: raw little-endian bytes in and out; shape and values
  // into C# arrays of the length the caller sized from FloatNdim / the shape.
  void SetFloatBytes(const std::string& name, uint8_t* uint8_in, int64_t count, int64_t* shape_in,
                     int64_t ndim, qt_float_dtype dtype) {
    qtensor_csharp::CheckCount(count);
    $self->set_float(name, uint8_in, static_cast<size_t>(count),
                     qtensor_csharp::Longs(shape_in, ndim), dtype);
  }
  int64_t FloatNdim(const std::string& name) const {
    return static_cast<int64_t>($self->float_shape(name).size());
  }
  void FloatShapeInto(const std::string& name, int64_t* longs_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->float_shape(name), longs_out, count);
  }
  qtensor_csharp::Bytes* FloatDataBytes(const std::string& name) const {
    const std::vector<uint8_t> data = $self->float_data(name);
    return new qtensor_csharp::Bytes(std::string(data.begin(), data.end()));
  }
  void FloatValuesInto(const std::string& name, float* values_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->float_values(name), values_out, count);
  }
  // One key per call, in O(1): listing n keys costs O(n).
  int64_t MetadataCount() const { return static_cast<int64_t>($self->metadata_size()); }
  std::string MetadataKey(int64_t index) const {
    if (index < 0) throw qtensor::Error(QT_ERR_OUT_OF_RANGE, "metadata index out of range");
    return $self->metadata_key(static_cast<size_t>(index));
  }
}

%template(NativeNames) std::vector<std::string>;

%extend qtensor::BundleFile {
  int64_t Ndim(const std::string& name) const {
    return static_cast<int64_t>($self->shape(name).size());
  }
  void ShapeInto(const std::string& name, int64_t* longs_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->shape(name), longs_out, count);
  }
  qtensor::Bundle SelectNames(const std::vector<std::string>& names) const {
    return $self->select(names);
  }
}

%extend qtensor::BundleWriter {
  // Float entries as Bundle.SetFloat takes them: raw little-endian bytes.
  void AddFloatBytes(const std::string& name, uint8_t* uint8_in, int64_t count, int64_t* shape_in,
                     int64_t ndim, qt_float_dtype dtype) {
    qtensor_csharp::CheckCount(count);
    $self->add_float(name, uint8_in, static_cast<size_t>(count),
                     qtensor_csharp::Longs(shape_in, ndim), dtype);
  }
}

%extend qtensor::Observer {
  void ForwardValues(float* values_in, int64_t count, int64_t* shape_in, int64_t ndim) {
    qtensor_csharp::CheckCount(count);
    $self->forward(qtensor_csharp::Track(values_in), static_cast<size_t>(count),
                   qtensor_csharp::Longs(shape_in, ndim));
  }
  int64_t NumChannels() const { return static_cast<int64_t>($self->num_channels()); }
  // calculate_qparams into arrays of NumChannels() elements.
  void CalculateQParamsInto(float* values_out, int64_t* longs_out, int64_t count) const {
    const qtensor::ObserverQParams p = $self->calculate_qparams();
    qtensor_csharp::CopyOut(p.scales, values_out, count);
    qtensor_csharp::CopyOut(p.zero_points, longs_out, count);
  }
  void MinValInto(float* values_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->min_val(), values_out, count);
  }
  void MaxValInto(float* values_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->max_val(), values_out, count);
  }
}

%extend qtensor::PackedLinear {
  static qtensor::PackedLinear PrepackValues(const qtensor::Tensor& weight, float* values_in,
                                             int64_t count) {
    qtensor_csharp::CheckCount(count);
    return qtensor::PackedLinear::prepack(weight, std::vector<float>(values_in, values_in + count));
  }
  int64_t InFeatures() const { return static_cast<int64_t>($self->in_features()); }
  int64_t OutFeatures() const { return static_cast<int64_t>($self->out_features()); }
  int64_t BiasCount() const { return static_cast<int64_t>($self->bias().size()); }
  void BiasInto(float* values_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->bias(), values_out, count);
  }
  void LinearDynamicInto(float* values_in, int64_t count, int64_t* shape_in, int64_t ndim,
                         bool reduce_range, float* values_out, int64_t out_count) const {
    qtensor_csharp::CheckCount(count);
    qtensor_csharp::CopyOut(
        qtensor_swig::LinearDynamic(values_in, static_cast<size_t>(count),
                                    qtensor_csharp::Longs(shape_in, ndim), *$self, reduce_range),
        values_out, out_count);
  }
}

%extend qtensor::PackedConv2d {
  static qtensor::PackedConv2d PrepackValues(const qtensor::Tensor& weight, bool has_bias,
                                             float* values_in, int64_t count, int64_t* stride_in,
                                             int64_t stride_count, int64_t* padding_in,
                                             int64_t padding_count, int64_t* dilation_in,
                                             int64_t dilation_count, int64_t groups) {
    qtensor_csharp::CheckCount(count);
    return qtensor_swig::PrepackConv2d(weight, has_bias,
                                       std::vector<float>(values_in, values_in + count),
                                       qtensor_csharp::Longs(stride_in, stride_count),
                                       qtensor_csharp::Longs(padding_in, padding_count),
                                       qtensor_csharp::Longs(dilation_in, dilation_count), groups);
  }
  int64_t BiasCount() const { return static_cast<int64_t>($self->bias().size()); }
  void BiasInto(float* values_out, int64_t count) const {
    qtensor_csharp::CopyOut($self->bias(), values_out, count);
  }
  void SettingsInto(int64_t* longs_out, int64_t count) const {
    qtensor_csharp::CopyOut(qtensor_swig::Conv2dSettingValues(*$self), longs_out, count);
  }
}

%newobject ChooseQParamsPerTensorValues;
%inline %{
// choose_qparams_per_tensor and quantize_per_tensor_dynamic of a C# array.
qtensor::QParams* ChooseQParamsPerTensorValues(float* values_in, int64_t count, int64_t* shape_in,
                                               int64_t ndim, bool reduce_range) {
  qtensor_csharp::CheckCount(count);
  return new qtensor::QParams(qtensor::choose_qparams_per_tensor(
      values_in, static_cast<size_t>(count), qtensor_csharp::Longs(shape_in, ndim), reduce_range));
}
qtensor::Tensor QuantizePerTensorDynamicValues(float* values_in, int64_t count, int64_t* shape_in,
                                               int64_t ndim, qt_dtype dtype, bool reduce_range) {
  qtensor_csharp::CheckCount(count);
  return qtensor::quantize_per_tensor_dynamic(values_in, static_cast<size_t>(count),
                                              qtensor_csharp::Longs(shape_in, ndim), dtype,
                                              reduce_range);
}
qtensor::Tensor QuantizeGgufValues(float* values_in, int64_t count, int64_t* shape_in, int64_t ndim,
                                   qt_gguf_type type) {
  qtensor_csharp::CheckCount(count);
  return qtensor::quantize_gguf(values_in, static_cast<size_t>(count),
                                qtensor_csharp::Longs(shape_in, ndim), type);
}
%}
