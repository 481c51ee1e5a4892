// Java module of qtensor (package io.qtensor). SWIG generates
// package-private proxies (NativeTensor, NativeQuantizer, NativeBundle) over
// the C++ facade; the public classes in src/io/qtensor/ wrap them. Arrays
// cross as Java primitive arrays, pinned for the one library call that reads
// or writes them; a direct FloatBuffer is read and written in place.
%module NativeModule

// int64_t is long on LP64 Linux (as jlong is); SWIG maps C long to Java
// int unless told otherwise.
#define SWIGWORDSIZE64
%apply long long { long };
%apply const long long& { const long& };

%{
#include <jni.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"
%}

// ------------------------------------------------------------ exceptions
%{
namespace {

// A Java exception is already pending: the wrapper only has to return.
struct QtJavaPending : std::exception {
  const char* what() const noexcept override { return "a Java exception is pending"; }
};

jstring QtUtf8ToJava(JNIEnv* jenv, const std::string& text);

// Raises io.qtensor.QTensorException(status, message), unless a Java
// exception is already pending (that one then propagates unchanged).
void QtJavaThrow(JNIEnv* jenv, int status, const char* message) {
  if (jenv->ExceptionCheck()) return;
  jclass type = jenv->FindClass("io/qtensor/QTensorException");
  if (type == nullptr) return;
  jmethodID init = jenv->GetMethodID(type, "<init>", "(ILjava/lang/String;)V");
  jstring text = nullptr;
  try {
    if (init != nullptr) text = QtUtf8ToJava(jenv, message);
  } catch (...) {
    return;  // an OutOfMemoryError is pending
  }
  jobject error = text != nullptr ? jenv->NewObject(type, init, static_cast<jint>(status), text)
                                  : nullptr;
  if (error != nullptr) jenv->Throw(static_cast<jthrowable>(error));
  jenv->DeleteLocalRef(error);
  jenv->DeleteLocalRef(text);
  jenv->DeleteLocalRef(type);
}

// Inside a catch block of a typemap (outside %exception's try): raises the
// current C++ exception as a Java one.
void QtJavaThrowCurrent(JNIEnv* jenv) {
  try {
    throw;
  } catch (const qtensor::Error& error) {
    QtJavaThrow(jenv, error.status(), error.what());
  } catch (const std::exception& error) {
    QtJavaThrow(jenv, QT_ERR_INTERNAL, error.what());
  } catch (...) {
    QtJavaThrow(jenv, QT_ERR_INTERNAL, "unknown C++ exception");
  }
}

[[noreturn]] void QtJavaThrowNew(JNIEnv* jenv, const char* class_name, const char* message) {
  jclass type = jenv->FindClass(class_name);
  if (type != nullptr) jenv->ThrowNew(type, message);
  throw QtJavaPending();
}

// A primitive array pinned for one library call (no copy on HotSpot). No
// JNI function may be called while it is held; the destructor releases it,
// also when the library call throws.
class QtPinned {
 public:
  QtPinned(JNIEnv* jenv, jarray array, bool write_back) : jenv_(jenv), array_(array) {
    if (array == nullptr) QtJavaThrowNew(jenv, "java/lang/NullPointerException", "array is null");
    length_ = static_cast<size_t>(jenv->GetArrayLength(array));
    mode_ = write_back ? 0 : JNI_ABORT;
    data_ = jenv->GetPrimitiveArrayCritical(array, nullptr);
    if (data_ == nullptr) throw QtJavaPending();
  }
  ~QtPinned() { jenv_->ReleasePrimitiveArrayCritical(array_, data_, mode_); }
  QtPinned(const QtPinned&) = delete;
  QtPinned& operator=(const QtPinned&) = delete;

  template <typename T>
  T* data() const { return static_cast<T*>(data_); }
  size_t length() const { return length_; }

 private:
  JNIEnv* jenv_;
  jarray array_;
  void* data_ = nullptr;
  size_t length_ = 0;
  jint mode_ = JNI_ABORT;
};

// count floats of a direct FloatBuffer from element offset (the Java side
// passes position and remaining()).
float* QtDirectFloats(JNIEnv* jenv, jobject buffer, jlong offset, jlong count) {
  if (buffer == nullptr) QtJavaThrowNew(jenv, "java/lang/NullPointerException", "buffer is null");
  auto* base = static_cast<float*>(jenv->GetDirectBufferAddress(buffer));
  jlong capacity = jenv->GetDirectBufferCapacity(buffer);
  if (base == nullptr || capacity < 0) {
    QtJavaThrowNew(jenv, "java/lang/IllegalArgumentException", "the FloatBuffer is not direct");
  }
  if (offset < 0 || count < 0 || offset > capacity || count > capacity - offset) {
    QtJavaThrowNew(jenv, "java/lang/IndexOutOfBoundsException",
                   "buffer range outside the FloatBuffer");
  }
  return base + offset;
}

template <typename Array>
Array QtNewArray(JNIEnv* jenv, Array (JNIEnv::*make)(jsize), int64_t length) {
  if (length > std::numeric_limits<jsize>::max()) {
    throw qtensor::Error(QT_ERR_OUT_OF_MEMORY, "more elements than a Java array can hold");
  }
  Array array = (jenv->*make)(static_cast<jsize>(length));
  if (array == nullptr) throw QtJavaPending();
  return array;
}

jfloatArray QtFloatsToJava(JNIEnv* jenv, const std::vector<float>& values) {
  jfloatArray array = QtNewArray(jenv, &JNIEnv::NewFloatArray, static_cast<int64_t>(values.size()));
  if (!values.empty()) {
    jenv->SetFloatArrayRegion(array, 0, static_cast<jsize>(values.size()), values.data());
  }
  return array;
}

// A Java float[] (not null: the caller checked) copied out.
std::vector<float> QtFloatsFromJava(JNIEnv* jenv, jfloatArray array) {
  std::vector<float> values(static_cast<size_t>(jenv->GetArrayLength(array)));
  if (!values.empty()) {
    jenv->GetFloatArrayRegion(array, 0, static_cast<jsize>(values.size()), values.data());
  }
  return values;
}

jbyteArray QtBytesToJava(JNIEnv* jenv, const std::string& bytes) {
  jbyteArray array = QtNewArray(jenv, &JNIEnv::NewByteArray, static_cast<int64_t>(bytes.size()));
  jenv->SetByteArrayRegion(array, 0, static_cast<jsize>(bytes.size()),
                           reinterpret_cast<const jbyte*>(bytes.data()));
  return array;
}

// Java strings cross as real UTF-8 (JNI's own "UTF" is modified UTF-8,
// which differs for U+0000 and characters outside the BMP), converted here
// from the UTF-16 code units. A string UTF-8 cannot carry to the library
// whole (U+0000 ends a C string; an unpaired surrogate is no character;
// String.getBytes would replace it with '?') throws IllegalArgumentException.
std::string QtJavaToUtf8(JNIEnv* jenv, jstring text) {
  if (text == nullptr) QtJavaThrowNew(jenv, "java/lang/NullPointerException", "string is null");
  const jsize length = jenv->GetStringLength(text);
  std::vector<jchar> units(static_cast<size_t>(length));
  if (length > 0) jenv->GetStringRegion(text, 0, length, units.data());
  if (jenv->ExceptionCheck()) throw QtJavaPending();
  std::string result;
  result.reserve(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    uint32_t code = units[i];
    if (code == 0) {
      QtJavaThrowNew(jenv, "java/lang/IllegalArgumentException",
                     "a name, key or path may not contain the character U+0000");
    }
    if (code >= 0xD800 && code <= 0xDFFF) {
      const bool paired = code <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
                          units[i + 1] <= 0xDFFF;
      if (!paired) {
        char message[128];
        std::snprintf(message, sizeof message,
                      "a name, key or path may not contain an unpaired surrogate "
                      "(U+%04X at index %zu)",
                      static_cast<unsigned>(code), i);
        QtJavaThrowNew(jenv, "java/lang/IllegalArgumentException", message);
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (units[++i] - 0xDC00u);
    }
    if (code < 0x80) {
      result += static_cast<char>(code);
    } else if (code < 0x800) {
      result += static_cast<char>(0xC0 | (code >> 6));
      result += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      result += static_cast<char>(0xE0 | (code >> 12));
      result += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      result += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      result += static_cast<char>(0xF0 | (code >> 18));
      result += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      result += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      result += static_cast<char>(0x80 | (code & 0x3F));
    }
  }
  return result;
}

jstring QtUtf8ToJava(JNIEnv* jenv, const std::string& text) {
  jclass string_type = jenv->FindClass("java/lang/String");
  if (string_type == nullptr) throw QtJavaPending();
  jmethodID init = jenv->GetMethodID(string_type, "<init>", "([BLjava/lang/String;)V");
  jbyteArray bytes = init != nullptr ? QtBytesToJava(jenv, text) : nullptr;
  jstring charset = bytes != nullptr ? jenv->NewStringUTF("UTF-8") : nullptr;
  auto result = charset != nullptr
                    ? static_cast<jstring>(jenv->NewObject(string_type, init, bytes, charset))
                    : nullptr;
  if (result == nullptr) throw QtJavaPending();
  jenv->DeleteLocalRef(charset);
  jenv->DeleteLocalRef(bytes);
  jenv->DeleteLocalRef(string_type);
  return result;
}

void QtRequireDType(const qtensor::Tensor& tensor, qt_dtype expected, const char* what) {
  if (tensor.dtype() != expected) {
    throw qtensor::Error(QT_ERR_TYPE_MISMATCH,
                         std::string(what) + " needs a " + qt_dtype_name(expected) +
                             " tensor, got " + qt_dtype_name(tensor.dtype()));
  }
}

// The Java name of a dtype (DType's constant: "QINT8").
std::string QtJavaDTypeName(qt_dtype dtype) {
  std::string name = qtensor::dtype_name(dtype);
  for (char& c : name) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return name;
}

// intReprTo's element type must be the dtype's: byte[] for QINT8 and QINT4,
// short[] for QUINT8 and the unsigned packed dtypes, int[] for QINT32 (the
// 16-bit dtypes are converted on the Java side).
void QtRequireIntReprType(const qtensor::Tensor& tensor, bool matches, const char* array) {
  if (!matches) {
    throw qtensor::Error(
        QT_ERR_TYPE_MISMATCH,
        std::string("intReprTo(") + array + ") does not take a " +
            QtJavaDTypeName(tensor.dtype()) +
            " tensor (integers are byte[] for QINT8 and QINT4, short[] for QUINT8, QUINT4X2, "
            "QUINT2X4, QUINT4 and QINT16, int[] for QINT32 and QUINT16)");
  }
}

// Whether int_repr gives one uint8_t per value (QUINT8 and the unsigned
// packed dtypes).
bool QtIsUnsignedByteRepr(qt_dtype dtype) {
  return dtype == QT_QUINT8 || dtype == QT_QUINT4X2 || dtype == QT_QUINT2X4 || dtype == QT_QUINT4;
}

// dequantizeTo and intReprTo: a destination of fewer than numel elements is
// a shape mismatch (docs/bindings.md), refused before anything is written.
// QTensor.destinationTooShort words the same message on the Java side.
void QtRequireRoom(const qtensor::Tensor& tensor, int64_t capacity) {
  const int64_t numel = tensor.numel();
  if (capacity < numel) {
    throw qtensor::Error(QT_ERR_INVALID_ARGUMENT,
                         "the destination holds " + std::to_string(capacity) +
                             " elements, the tensor has " + std::to_string(numel));
  }
}

// The length of a Java array (NullPointerException for null), read before
// the array is pinned.
jlong QtArrayLength(JNIEnv* jenv, jarray array) {
  if (array == nullptr) QtJavaThrowNew(jenv, "java/lang/NullPointerException", "array is null");
  return jenv->GetArrayLength(array);
}

// Checks that count elements from offset lie inside the array (the Java side
// passes a heap FloatBuffer's arrayOffset() + position() and remaining()).
void QtCheckArrayRange(JNIEnv* jenv, jarray array, jlong offset, jlong count) {
  const jlong length = QtArrayLength(jenv, array);
  if (offset < 0 || count < 0 || offset > length || count > length - offset) {
    QtJavaThrowNew(jenv, "java/lang/IndexOutOfBoundsException", "range outside the array");
  }
}

}  // namespace
%}

%define QTENSOR_SWIG_RAISE(status, message)
  QtJavaThrow(jenv, status, message);
  return $null;
%enddef

// %extend helpers receive the JNI environment without a Java argument.
%typemap(in, numinputs=0) JNIEnv* jenv "$1 = jenv;"

// ---------------------------------------------------- small array typemaps
// Shapes, indices and quantization parameters are copied (they are short).
%define QTENSOR_JAVA_VECTOR(CTYPE, JELEM, JARRAY, JAVATYPE, GET_REGION, NEW_ARRAY, SET_REGION)
%typemap(jni) const std::vector<CTYPE>&, std::vector<CTYPE> "JARRAY"
%typemap(jtype) const std::vector<CTYPE>&, std::vector<CTYPE> "JAVATYPE"
%typemap(jstype) const std::vector<CTYPE>&, std::vector<CTYPE> "JAVATYPE"
%typemap(javain) const std::vector<CTYPE>& "$javainput"
%typemap(javaout) std::vector<CTYPE> { return $jnicall; }
%typemap(in) const std::vector<CTYPE>& (std::vector<CTYPE> temp) {
  if ($input == nullptr) {
    SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "array is null");
    return $null;
  }
  try {
    temp.resize(static_cast<size_t>(jenv->GetArrayLength($input)));
  } catch (...) {
    QtJavaThrowCurrent(jenv);
    return $null;
  }
  if (!temp.empty()) {
    jenv->GET_REGION($input, 0, static_cast<jsize>(temp.size()), reinterpret_cast<JELEM*>(temp.data()));
  }
  $1 = &temp;
}
%typemap(out) std::vector<CTYPE> {
  const std::vector<CTYPE>& values = $1;
  $result = jenv->NEW_ARRAY(static_cast<jsize>(values.size()));
  if ($result != nullptr && !values.empty()) {
    jenv->SET_REGION($result, 0, static_cast<jsize>(values.size()),
                     reinterpret_cast<const JELEM*>(values.data()));
  }
}
%enddef

QTENSOR_JAVA_VECTOR(int64_t, jlong, jlongArray, long[], GetLongArrayRegion, NewLongArray, SetLongArrayRegion)
QTENSOR_JAVA_VECTOR(double, jdouble, jdoubleArray, double[], GetDoubleArrayRegion, NewDoubleArray, SetDoubleArrayRegion)

// Strings: UTF-8 both ways. std_string.i is included first so that the
// shared file's %include of it (a no-op then) does not replace these.
%include <std_string.i>
%typemap(in) const std::string& (std::string temp) %{
  try {
    temp = QtJavaToUtf8(jenv, $input);
  } catch (...) {
    QtJavaThrowCurrent(jenv);
    return $null;
  }
  $1 = &temp;
%}
%typemap(out) std::string %{
  try {
    $result = QtUtf8ToJava(jenv, $1);
  } catch (...) {
    QtJavaThrowCurrent(jenv);
    return $null;
  }
%}

%typemap(jni) std::vector<std::string> "jobjectArray"
%typemap(jtype) std::vector<std::string> "String[]"
%typemap(jstype) std::vector<std::string> "String[]"
%typemap(javaout) std::vector<std::string> { return $jnicall; }
%typemap(out) std::vector<std::string> {
  const std::vector<std::string>& values = $1;
  jclass string_type = jenv->FindClass("java/lang/String");
  $result = string_type == nullptr ? nullptr
            : jenv->NewObjectArray(static_cast<jsize>(values.size()), string_type, nullptr);
  try {
    for (size_t i = 0; $result != nullptr && i < values.size(); ++i) {
      jstring text = QtUtf8ToJava(jenv, values[i]);
      jenv->SetObjectArrayElement($result, static_cast<jsize>(i), text);
      jenv->DeleteLocalRef(text);
    }
  } catch (...) {
    QtJavaThrowCurrent(jenv);
    return $null;
  }
}

// BundleFile.select's names: a String[] whose every element is converted
// as a string parameter is (null elements throw NullPointerException).
%typemap(jni) const std::vector<std::string>& "jobjectArray"
%typemap(jtype) const std::vector<std::string>& "String[]"
%typemap(jstype) const std::vector<std::string>& "String[]"
%typemap(javain) const std::vector<std::string>& "$javainput"
%typemap(in) const std::vector<std::string>& (std::vector<std::string> temp) {
  try {
    if ($input == nullptr) QtJavaThrowNew(jenv, "java/lang/NullPointerException", "array is null");
    const jsize count = jenv->GetArrayLength($input);
    for (jsize i = 0; i < count; ++i) {
      auto text = static_cast<jstring>(jenv->GetObjectArrayElement($input, i));
      if (jenv->ExceptionCheck()) throw QtJavaPending();
      temp.push_back(QtJavaToUtf8(jenv, text));
      jenv->DeleteLocalRef(text);
    }
  } catch (...) {
    QtJavaThrowCurrent(jenv);
    return $null;
  }
  $1 = &temp;
}

// A direct java.nio.FloatBuffer, passed with its position and remaining().
%typemap(jni) jobject DIRECT_FLOATS "jobject"
%typemap(jtype) jobject DIRECT_FLOATS "java.nio.FloatBuffer"
%typemap(jstype) jobject DIRECT_FLOATS "java.nio.FloatBuffer"
%typemap(javain) jobject DIRECT_FLOATS "$javainput"
%typemap(in) jobject DIRECT_FLOATS "$1 = $input;"

// ------------------------------------------------ proxies: package-private
// Lifetime is managed by the public classes (a Cleaner plus close()), so the
// proxies have no finalizer.
%typemap(javaclassmodifiers) SWIGTYPE, SWIGTYPE *, SWIGTYPE &, SWIGTYPE [] "final class"
%typemap(javafinalize) SWIGTYPE ""
%pragma(java) moduleclassmodifiers="final class"
%pragma(java) jniclassclassmodifiers="final class"
%pragma(java) jniclasscode=%{
  static {
    NativeLibrary.load();
  }
%}
// Enums become int constants, which the public enums (DType, ...) read.
%include "enumtypeunsafe.swg"
%typemap(javaclassmodifiers) enum SWIGTYPE "final class"
%javaconst(1);

// The header's #define constants would become a public interface.
%rename("$ignore", regextarget=1, %$isconstant) "^QTENSOR_";

%rename(NativeTensor) qtensor::Tensor;
%rename(NativeQuantizer) qtensor::Quantizer;
%rename(NativeBundle) qtensor::Bundle;
%rename(isEqual) qtensor::Quantizer::operator==;
%ignore qtensor::Quantizer::operator!=;
%ignore qtensor::Error;

// Replaced below by array and buffer versions.
%ignore qtensor::Tensor::Quantize;
%ignore qtensor::Tensor::QuantizePerTensor;
%ignore qtensor::Tensor::QuantizePerChannel;
%ignore qtensor::Tensor::FromIntRepr;
%ignore qtensor::Tensor::MakePerTensorQuantized;
%ignore qtensor::Tensor::dequantize;
%ignore qtensor::Tensor::dequantize_into;
%ignore qtensor::Tensor::int_repr;
%ignore qtensor::Tensor::int_repr_into;
%ignore qtensor::Tensor::copy_(const std::vector<float>&) const;
%ignore qtensor::Tensor::copy_(const float*, size_t) const;
%ignore qtensor::Tensor::serialize;
%ignore qtensor::Tensor::deserialize;
%ignore qtensor::Tensor::operator[];
// Index lists, masks and repeats: index_select, repeat and empty_like are
// wrapped as they are (indices and sizes cross as long[]); the mask and the
// values of the in-place writes cross as Java arrays (helpers below).
%ignore qtensor::Tensor::masked_fill_;
%ignore qtensor::Tensor::index_put_;
%ignore qtensor::Bundle::serialize;
%ignore qtensor::Bundle::deserialize;
%ignore qtensor::Bundle::serialize_onnx;
%ignore qtensor::Bundle::deserialize_onnx;
%ignore qtensor::Bundle::serialize_gguf;
%ignore qtensor::Bundle::deserialize_gguf;
%ignore qtensor::quantize_gguf;
%ignore qtensor::Bundle::set_float;
%ignore qtensor::Bundle::float_data;
%ignore qtensor::Bundle::float_values;

// Parameters from data: the observers and the per-tensor choosers take Java
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
%ignore qtensor::ObserverQParams;
%ignore qtensor::choose_qparams_per_tensor;
%ignore qtensor::quantize_per_tensor_dynamic;

// Linear layers: the bias crosses as a Java float[] (null for none).
%rename(NativePackedLinear) qtensor::PackedLinear;
%ignore qtensor::PackedLinear::prepack;
%ignore qtensor::PackedLinear::bias;
// Convolutions: the bias crosses as float[], each setting as long[].
%rename(NativePackedConv2d) qtensor::PackedConv2d;
%ignore qtensor::PackedConv2d::bias;
// Float qparams: float32 parameters cross as Java float[].
%ignore qtensor::Quantizer::PerChannelFloatQParams;
%ignore qtensor::Quantizer::float_zero_points;
%ignore qtensor::Tensor::q_per_channel_float_zero_points;

// Containers: BundleFile and BundleWriter wrap these. A payload's offset
// and length cross as long (a file is below 2^63 bytes).
%rename(NativeBundleFile) qtensor::BundleFile;
%rename(NativeBundleWriter) qtensor::BundleWriter;
%apply long long { uint64_t };
%ignore qtensor::BundleWriter::add_float;

%include "../qtensor.i"

%extend qtensor::Tensor {
  jfloatArray qPerChannelFloatZeroPointsArray(JNIEnv* jenv) const {
    return QtFloatsToJava(jenv, $self->q_per_channel_float_zero_points());
  }
}

%extend qtensor::Tensor {
  static qtensor::Tensor quantizeArray(JNIEnv* jenv, jfloatArray data,
                                       const std::vector<int64_t>& shape,
                                       const qtensor::Quantizer& quantizer) {
    QtPinned floats(jenv, data, false);
    return qtensor::Tensor::Quantize(floats.data<const float>(), floats.length(), shape, quantizer);
  }
  static qtensor::Tensor quantizeBuffer(JNIEnv* jenv, jobject DIRECT_FLOATS, jlong offset,
                                        jlong count, const std::vector<int64_t>& shape,
                                        const qtensor::Quantizer& quantizer) {
    const float* floats = QtDirectFloats(jenv, DIRECT_FLOATS, offset, count);
    return qtensor::Tensor::Quantize(floats, static_cast<size_t>(count), shape, quantizer);
  }
  static qtensor::Tensor fromInt8(JNIEnv* jenv, jbyteArray data, const std::vector<int64_t>& shape,
                                  const qtensor::Quantizer& quantizer) {
    QtPinned bytes(jenv, data, false);
    return qtensor::Tensor::FromIntRepr(bytes.data<const void>(), bytes.length(), shape, quantizer);
  }
  static qtensor::Tensor fromInt32(JNIEnv* jenv, jintArray data, const std::vector<int64_t>& shape,
                                   const qtensor::Quantizer& quantizer) {
    QtPinned ints(jenv, data, false);
    return qtensor::Tensor::FromIntRepr(ints.data<const void>(), ints.length() * sizeof(int32_t),
                                        shape, quantizer);
  }
  static qtensor::Tensor deserializeBytes(JNIEnv* jenv, jbyteArray data) {
    QtPinned bytes(jenv, data, false);
    return qtensor::Tensor::deserialize(bytes.data<const void>(), bytes.length());
  }
  // Integers in storage form (qt_from_packed): packed bytes for QUINT4X2 &
  // co., the native-order bytes of the integers for the others.
  static qtensor::Tensor fromPackedBytes(JNIEnv* jenv, jbyteArray data,
                                         const std::vector<int64_t>& shape,
                                         const qtensor::Quantizer& quantizer) {
    QtPinned bytes(jenv, data, false);
    return qtensor::Tensor::FromPacked(bytes.data<const void>(), bytes.length(), shape, quantizer);
  }
  jbyteArray packedReprBytes(JNIEnv* jenv) const {
    const std::vector<uint8_t> packed = $self->packed_repr();
    return QtBytesToJava(jenv, std::string(packed.begin(), packed.end()));
  }

  jfloatArray dequantizeArray(JNIEnv* jenv) const {
    jfloatArray out = QtNewArray(jenv, &JNIEnv::NewFloatArray, $self->numel());
    QtPinned floats(jenv, out, true);
    $self->dequantize_into(floats.data<float>(), floats.length());
    return out;
  }
  // dequantizeTo: numel floats from offset; count (at least numel) is the
  // room there.
  void dequantizeToArray(JNIEnv* jenv, jfloatArray destination, jlong offset, jlong count) const {
    QtCheckArrayRange(jenv, destination, offset, count);
    QtRequireRoom(*$self, count);
    QtPinned floats(jenv, destination, true);
    $self->dequantize_into(floats.data<float>() + offset, static_cast<size_t>(count));
  }
  void dequantizeBuffer(JNIEnv* jenv, jobject DIRECT_FLOATS, jlong offset, jlong count) const {
    float* floats = QtDirectFloats(jenv, DIRECT_FLOATS, offset, count);
    QtRequireRoom(*$self, count);
    $self->dequantize_into(floats, static_cast<size_t>(count));
  }
  // The integers of a tensor with one byte per value (qint8, quint8 and the
  // packed dtypes), byte for byte.
  jbyteArray intReprBytes(JNIEnv* jenv) const {
    if (qtensor::dtype_size($self->dtype()) != 1) {
      throw qtensor::Error(QT_ERR_TYPE_MISMATCH,
                           std::string("a byte array needs a tensor of one byte per value, got ") +
                               qt_dtype_name($self->dtype()));
    }
    jbyteArray out = QtNewArray(jenv, &JNIEnv::NewByteArray, $self->numel());
    QtPinned bytes(jenv, out, true);
    $self->int_repr_into(bytes.data<void>(), bytes.length());
    return out;
  }
  jintArray intReprInts(JNIEnv* jenv) const {
    QtRequireDType(*$self, QT_QINT32, "an int array");
    jintArray out = QtNewArray(jenv, &JNIEnv::NewIntArray, $self->numel());
    QtPinned ints(jenv, out, true);
    $self->int_repr_into(ints.data<void>(), ints.length() * sizeof(int32_t));
    return out;
  }
  // intReprTo: the numel integers written at the start of the caller's
  // array, whose element type must match the dtype.
  void intReprToBytes(JNIEnv* jenv, jbyteArray destination) const {
    QtRequireIntReprType(*$self, $self->dtype() == QT_QINT8 || $self->dtype() == QT_QINT4,
                         "byte[]");
    QtRequireRoom(*$self, QtArrayLength(jenv, destination));
    QtPinned bytes(jenv, destination, true);
    $self->int_repr_into(bytes.data<void>(), bytes.length());
  }
  // quint8 (or an unsigned packed dtype) into short[]: the library writes numel bytes at the start of the
  // array's memory, which are then widened in place, from the last down, so
  // that no byte is overwritten before it is read (short i covers bytes 2i
  // and 2i + 1, never a byte j < i). No second buffer.
  void intReprToShorts(JNIEnv* jenv, jshortArray destination) const {
    QtRequireIntReprType(*$self, QtIsUnsignedByteRepr($self->dtype()), "short[]");
    QtRequireRoom(*$self, QtArrayLength(jenv, destination));
    QtPinned shorts(jenv, destination, true);
    $self->int_repr_into(shorts.data<void>(), shorts.length() * sizeof(jshort));
    const auto* bytes = shorts.data<const unsigned char>();
    jshort* values = shorts.data<jshort>();
    for (size_t i = static_cast<size_t>($self->numel()); i-- > 0;) {
      const unsigned char value = bytes[i];
      values[i] = static_cast<jshort>(value);
    }
  }
  void intReprToInts(JNIEnv* jenv, jintArray destination) const {
    QtRequireIntReprType(*$self, $self->dtype() == QT_QINT32, "int[]");
    QtRequireRoom(*$self, QtArrayLength(jenv, destination));
    QtPinned ints(jenv, destination, true);
    $self->int_repr_into(ints.data<void>(), ints.length() * sizeof(int32_t));
  }
  void copyFromArray(JNIEnv* jenv, jfloatArray data) const {
    QtPinned floats(jenv, data, false);
    $self->copy_(floats.data<const float>(), floats.length());
  }
  void copyFromBuffer(JNIEnv* jenv, jobject DIRECT_FLOATS, jlong offset, jlong count) const {
    const float* floats = QtDirectFloats(jenv, DIRECT_FLOATS, offset, count);
    $self->copy_(floats, static_cast<size_t>(count));
  }
  jbyteArray serializeBytes(JNIEnv* jenv) const { return QtBytesToJava(jenv, $self->serialize()); }
  // masked_fill_: a Java boolean[] is copied into C++ bools (a jboolean is
  // only guaranteed to be a byte, not a valid bool), then unpinned.
  void maskedFillArray(JNIEnv* jenv, jbooleanArray mask, float value) const {
    std::unique_ptr<bool[]> flags;
    size_t count = 0;
    {
      QtPinned pinned(jenv, mask, false);
      count = pinned.length();
      flags.reset(new bool[count]);
      const jboolean* entries = pinned.data<const jboolean>();
      for (size_t i = 0; i < count; ++i) flags[i] = entries[i] != JNI_FALSE;
    }
    $self->masked_fill_(flags.get(), count, value);
  }
  void indexPutArray(JNIEnv* jenv, int64_t dim, const std::vector<int64_t>& indices,
                     jfloatArray values) const {
    QtPinned floats(jenv, values, false);
    $self->index_put_(dim, indices, floats.data<const float>(), floats.length());
  }
}

%extend qtensor::Bundle {
  static qtensor::Bundle deserializeBytes(JNIEnv* jenv, jbyteArray data) {
    QtPinned bytes(jenv, data, false);
    return qtensor::Bundle::deserialize(bytes.data<const void>(), bytes.length());
  }
  jbyteArray serializeBytes(JNIEnv* jenv) const { return QtBytesToJava(jenv, $self->serialize()); }
  static qtensor::Bundle deserializeGgufBytes(JNIEnv* jenv, jbyteArray data) {
    QtPinned bytes(jenv, data, false);
    return qtensor::Bundle::deserialize_gguf(bytes.data<const void>(), bytes.length());
  }
  jbyteArray serializeGgufBytes(JNIEnv* jenv) const {
    return QtBytesToJava(jenv, $self->serialize_gguf());
  }
  static qtensor::Bundle deserializeOnnxBytes(JNIEnv* jenv, jbyteArray data) {
    QtPinned bytes(jenv, data, false);
    return qtensor::Bundle::deserialize_onnx(bytes.data<const void>(), bytes.length());
  }
  jbyteArray serializeOnnxBytes(JNIEnv* jenv) const {
    return QtBytesToJava(jenv, $self->serialize_onnx());
  }
  // Float entries: raw little-endian bytes in and out; values as float[].
  void setFloatBytes(JNIEnv* jenv, const std::string& name, jbyteArray data,
                     const std::vector<int64_t>& shape, int dtype) {
    QtPinned bytes(jenv, data, false);
    $self->set_float(name, bytes.data<const void>(), bytes.length(), shape,
                     static_cast<qt_float_dtype>(dtype));
  }
  jbyteArray floatDataBytes(JNIEnv* jenv, const std::string& name) const {
    const std::vector<uint8_t> data = $self->float_data(name);
    return QtBytesToJava(jenv, std::string(data.begin(), data.end()));
  }
  jfloatArray floatValuesArray(JNIEnv* jenv, const std::string& name) const {
    return QtFloatsToJava(jenv, $self->float_values(name));
  }
}

%extend qtensor::BundleWriter {
  // Float entries as Bundle.putFloat takes them: raw little-endian bytes.
  void addFloatBytes(JNIEnv* jenv, const std::string& name, jbyteArray data,
                     const std::vector<int64_t>& shape, int dtype) {
    QtPinned bytes(jenv, data, false);
    $self->add_float(name, bytes.data<const void>(), bytes.length(), shape,
                     static_cast<qt_float_dtype>(dtype));
  }
}

%extend qtensor::Quantizer {
  static qtensor::Quantizer perChannelFloatQParamsArrays(JNIEnv* jenv, qt_dtype dtype,
                                                         jfloatArray scales,
                                                         jfloatArray zero_points, int64_t axis) {
    return qtensor::Quantizer::PerChannelFloatQParams(dtype, QtFloatsFromJava(jenv, scales),
                                                      QtFloatsFromJava(jenv, zero_points), axis);
  }
  jfloatArray floatZeroPointsArray(JNIEnv* jenv) const {
    return QtFloatsToJava(jenv, $self->float_zero_points());
  }
}

%extend qtensor::Observer {
  void forwardArray(JNIEnv* jenv, jfloatArray data, const std::vector<int64_t>& shape) {
    QtPinned floats(jenv, data, false);
    $self->forward(floats.data<const float>(), floats.length(), shape);
  }
  // calculate_qparams: the scales in a new array; the zero points written
  // into zero_points, which must have num_channels() elements.
  jfloatArray calculateQParamsArrays(JNIEnv* jenv, jlongArray zero_points) const {
    const qtensor::ObserverQParams p = $self->calculate_qparams();
    if (QtArrayLength(jenv, zero_points) != static_cast<jlong>(p.zero_points.size())) {
      throw qtensor::Error(QT_ERR_INTERNAL, "zero point array of the wrong length");
    }
    jfloatArray scales = QtFloatsToJava(jenv, p.scales);
    if (!p.zero_points.empty()) {
      jenv->SetLongArrayRegion(zero_points, 0, static_cast<jsize>(p.zero_points.size()),
                               reinterpret_cast<const jlong*>(p.zero_points.data()));
    }
    return scales;
  }
  jfloatArray minValArray(JNIEnv* jenv) const { return QtFloatsToJava(jenv, $self->min_val()); }
  jfloatArray maxValArray(JNIEnv* jenv) const { return QtFloatsToJava(jenv, $self->max_val()); }
}

%extend qtensor::PackedLinear {
  static qtensor::PackedLinear prepackArray(JNIEnv* jenv, const qtensor::Tensor& weight,
                                            jfloatArray bias) {
    std::vector<float> values;
    if (bias != nullptr) {
      values.resize(static_cast<size_t>(jenv->GetArrayLength(bias)));
      if (!values.empty()) {
        jenv->GetFloatArrayRegion(bias, 0, static_cast<jsize>(values.size()), values.data());
      }
    }
    return qtensor::PackedLinear::prepack(weight, values);
  }
  jfloatArray biasArray(JNIEnv* jenv) const { return QtFloatsToJava(jenv, $self->bias()); }
}

%extend qtensor::PackedConv2d {
  static qtensor::PackedConv2d prepackArray(JNIEnv* jenv, const qtensor::Tensor& weight,
                                            jfloatArray bias, const std::vector<int64_t>& stride,
                                            const std::vector<int64_t>& padding,
                                            const std::vector<int64_t>& dilation,
                                            int64_t groups) {
    std::vector<float> values;
    if (bias != nullptr) {
      values.resize(static_cast<size_t>(jenv->GetArrayLength(bias)));
      if (!values.empty()) {
        jenv->GetFloatArrayRegion(bias, 0, static_cast<jsize>(values.size()), values.data());
      }
    }
    return qtensor_swig::PrepackConv2d(weight, bias != nullptr, values, stride, padding, dilation,
                                       groups);
  }
  jfloatArray biasArray(JNIEnv* jenv) const { return QtFloatsToJava(jenv, $self->bias()); }
  std::vector<int64_t> settingValues() const { return qtensor_swig::Conv2dSettingValues(*$self); }
}

%inline %{
// choose_qparams_per_tensor and quantize_per_tensor_dynamic of a Java
// array, pinned for the call.
qtensor::QParams choose_qparams_per_tensor_array(JNIEnv* jenv, jfloatArray data,
                                                 const std::vector<int64_t>& shape,
                                                 bool reduce_range) {
  QtPinned floats(jenv, data, false);
  return qtensor::choose_qparams_per_tensor(floats.data<const float>(), floats.length(), shape,
                                            reduce_range);
}
// linear_dynamic of a Java array: the floats out are copied to a new array
// once the input is unpinned.
jfloatArray linear_dynamic_array(JNIEnv* jenv, jfloatArray data, const std::vector<int64_t>& shape,
                                 const qtensor::PackedLinear& packed, bool reduce_range) {
  std::vector<float> out;
  {
    QtPinned floats(jenv, data, false);
    out = qtensor_swig::LinearDynamic(floats.data<const float>(), floats.length(), shape, packed,
                                      reduce_range);
  }
  return QtFloatsToJava(jenv, out);
}
qtensor::Tensor quantize_per_tensor_dynamic_array(JNIEnv* jenv, jfloatArray data,
                                                  const std::vector<int64_t>& shape, qt_dtype dtype,
                                                  bool reduce_range) {
  QtPinned floats(jenv, data, false);
  return qtensor::quantize_per_tensor_dynamic(floats.data<const float>(), floats.length(), shape,
                                              dtype, reduce_range);
}
qtensor::Tensor quantize_gguf_array(JNIEnv* jenv, jfloatArray data,
                                    const std::vector<int64_t>& shape, qt_gguf_type type) {
  QtPinned floats(jenv, data, false);
  return qtensor::quantize_gguf(floats.data<const float>(), floats.length(), shape, type);
}
%}
