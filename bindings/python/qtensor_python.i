// Python module qtensor.native (low level): the shared interface plus
// buffer-protocol typemaps. NumPy conversions and PyTorch-like sugar live in
// the pure-Python package (qtensor/).
%define QTENSOR_NATIVE_DOC
"The SWIG wrapper over qtensor's C++ facade that the qtensor package is built
on; use the package's names (qtensor.Tensor, ...), not these."
%enddef
%module(package="qtensor", docstring=QTENSOR_NATIVE_DOC) native

%{
#include <cstring>

// Exception classes indexed by qt_status, registered by qtensor/__init__.py.
static PyObject* qt_python_error_classes = nullptr;
// The address of the last float buffer handed to the library: lets a test
// check that float32 C-contiguous input reaches the library uncopied.
static const void* qt_python_last_float_input = nullptr;

static void qt_python_raise(int status, const char* message) {
  PyObject* type = PyExc_RuntimeError;
  if (qt_python_error_classes && PyTuple_Check(qt_python_error_classes) && status >= 0 &&
      status < PyTuple_GET_SIZE(qt_python_error_classes)) {
    type = PyTuple_GET_ITEM(qt_python_error_classes, status);
  }
  // A message may quote a path that is not UTF-8: its bytes are escaped
  // rather than turning the library's error into a UnicodeDecodeError.
  PyObject* text = PyUnicode_DecodeUTF8(message, static_cast<Py_ssize_t>(std::strlen(message)),
                                        "backslashreplace");
  if (text == nullptr) return;  // MemoryError is set
  PyErr_SetObject(type, text);
  Py_DECREF(text);
}

// Gets a C-contiguous buffer; float_only demands float32 items.
static bool qt_python_get_buffer(PyObject* input, Py_buffer* view, bool writable,
                                 bool float_only) {
  int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
  if (PyObject_GetBuffer(input, view, flags) != 0) return false;
  if (float_only) {
    const char* format = view->format ? view->format : "B";
    if (*format == '@' || *format == '=' || *format == '<') ++format;
    if (std::strcmp(format, "f") != 0 || view->itemsize != 4) {
      PyBuffer_Release(view);
      PyErr_SetString(PyExc_TypeError, "expected a buffer of float32");
      return false;
    }
  }
  return true;
}
%}

%define QTENSOR_SWIG_RAISE(status, message)
  qt_python_raise(status, message);
  SWIG_fail;
%enddef

// Buffers in: (pointer, count) pairs of the facade's raw overloads.
%define QTENSOR_PYTHON_BUFFER_IN(SIGNATURE, WRITABLE, FLOAT_ONLY, UNIT)
%typemap(in) SIGNATURE (Py_buffer view, bool have_view = false) {
  if (!qt_python_get_buffer($input, &view, WRITABLE, FLOAT_ONLY)) SWIG_fail;
  have_view = true;
  $1 = ($1_ltype)view.buf;
  $2 = (size_t)(view.len / UNIT);
}
%typemap(freearg) SIGNATURE {
  if (have_view$argnum) PyBuffer_Release(&view$argnum);
}
%enddef

QTENSOR_PYTHON_BUFFER_IN(%arg((float* out, size_t count)), true, true, 4)
QTENSOR_PYTHON_BUFFER_IN(%arg((void* out, size_t bytes)), true, false, 1)
QTENSOR_PYTHON_BUFFER_IN(%arg((const void* data, size_t bytes)), false, false, 1)
QTENSOR_PYTHON_BUFFER_IN(%arg((const void* data, size_t size)), false, false, 1)
QTENSOR_PYTHON_BUFFER_IN(%arg((const bool* mask, size_t count)), false, false, 1)

// Float input also records its address (see qt_python_last_float_input).
%typemap(in) (const float* data, size_t count) (Py_buffer view, bool have_view = false) {
  if (!qt_python_get_buffer($input, &view, false, true)) SWIG_fail;
  have_view = true;
  $1 = ($1_ltype)view.buf;
  $2 = (size_t)(view.len / 4);
  qt_python_last_float_input = view.buf;
}
%typemap(freearg) (const float* data, size_t count) {
  if (have_view$argnum) PyBuffer_Release(&view$argnum);
}

// SWIG lets None through as a NULL self; calling a method on it would crash.
%typemap(check) SWIGTYPE* self {
  if (!$1) {
    PyErr_SetString(PyExc_TypeError, "method called on None");
    SWIG_fail;
  }
}

%include <std_vector.i>
%include <stdint.i>
%template(Int64Vector) std::vector<int64_t>;
%template(DoubleVector) std::vector<double>;
%template(FloatVector) std::vector<float>;
%include <std_string.i>
%template(StringVector) std::vector<std::string>;

// Paths cross as bytes (the package's path_of applies os.fsencode), so a
// file name that is not UTF-8 reaches the file system unchanged.
%typemap(in) const std::string& path (std::string bytes_path) {
  char* bytes = nullptr;
  Py_ssize_t size = 0;
  if (!PyBytes_Check($input) || PyBytes_AsStringAndSize($input, &bytes, &size) != 0) {
    PyErr_SetString(PyExc_TypeError, "a path reaches the native module as bytes");
    SWIG_fail;
  }
  bytes_path.assign(bytes, static_cast<size_t>(size));
  $1 = &bytes_path;
}
%typemap(freearg) const std::string& path ""

// One name per overload: the Python package chooses (no overload dispatch).
%ignore qtensor::Tensor::Quantize(const std::vector<float>&, const std::vector<int64_t>&,
                                  const Quantizer&);
%ignore qtensor::Tensor::QuantizePerTensor;
%ignore qtensor::Tensor::QuantizePerChannel;
%ignore qtensor::Tensor::copy_(const std::vector<float>&) const;
%rename(copy_from_float) qtensor::Tensor::copy_(const float*, size_t) const;
%rename(copy_from_tensor) qtensor::Tensor::copy_(const Tensor&) const;
%ignore qtensor::Tensor::index_put_(int64_t, const std::vector<int64_t>&,
                                  const std::vector<float>&) const;
%ignore qtensor::Tensor::operator[];
%ignore qtensor::Tensor::dequantize;
%ignore qtensor::Tensor::deserialize(const std::string&);
%ignore qtensor::Tensor::serialize;
%ignore qtensor::Bundle::deserialize(const std::string&);
%ignore qtensor::Bundle::serialize;
%ignore qtensor::Bundle::deserialize_onnx(const std::string&);
%ignore qtensor::Bundle::serialize_onnx;
%ignore qtensor::Bundle::float_data;    // float_data_bytes below
%ignore qtensor::Bundle::float_values;  // float_values_into below
%ignore qtensor::Quantizer::operator!=;
%rename(verify_all) qtensor::BundleFile::verify() const;
// One wrapper each (default arguments would make overloads that SWIG cannot
// tell apart by the buffer typemap).
%feature("compactdefaultargs") qtensor::choose_qparams_per_tensor;
%feature("compactdefaultargs") qtensor::quantize_per_tensor_dynamic;
%ignore qtensor::Observer::forward(const std::vector<float>&, const std::vector<int64_t>&);
%ignore qtensor::Observer::Observer(qt_observer*);
%ignore qtensor::Observer::get;
%ignore qtensor::choose_qparams_per_tensor(const std::vector<float>&, const std::vector<int64_t>&,
                                           bool);
%ignore qtensor::choose_qparams_per_tensor(const std::vector<float>&, const std::vector<int64_t>&);
%ignore qtensor::quantize_per_tensor_dynamic(const std::vector<float>&,
                                             const std::vector<int64_t>&, qt_dtype, bool);
%ignore qtensor::quantize_per_tensor_dynamic(const std::vector<float>&,
                                             const std::vector<int64_t>&, qt_dtype);
%ignore qtensor::quantize_gguf(const std::vector<float>&, const std::vector<int64_t>&,
                               qt_gguf_type);
%ignore qtensor::Bundle::deserialize_gguf(const std::string&);
%ignore qtensor::Bundle::serialize_gguf;
%rename(equals) qtensor::Quantizer::operator==;
// Storage-form bytes cross as bytes (packed_repr_bytes below).
%ignore qtensor::Tensor::packed_repr;

%include "../qtensor.i"

// Serialized forms and packed integers are bytes, not text or tuples.
%extend qtensor::Tensor {
  PyObject* serialize_bytes() const {
    std::string data = $self->serialize();
    return PyBytes_FromStringAndSize(data.data(), (Py_ssize_t)data.size());
  }
  PyObject* packed_repr_bytes() const {
    std::vector<uint8_t> data = $self->packed_repr();
    return PyBytes_FromStringAndSize(reinterpret_cast<const char*>(data.data()),
                                     (Py_ssize_t)data.size());
  }
}
%extend qtensor::Bundle {
  PyObject* serialize_bytes() const {
    std::string data = $self->serialize();
    return PyBytes_FromStringAndSize(data.data(), (Py_ssize_t)data.size());
  }
  PyObject* serialize_gguf_bytes() const {
    std::string data = $self->serialize_gguf();
    return PyBytes_FromStringAndSize(data.data(), (Py_ssize_t)data.size());
  }
  PyObject* serialize_onnx_bytes() const {
    std::string data = $self->serialize_onnx();
    return PyBytes_FromStringAndSize(data.data(), (Py_ssize_t)data.size());
  }
  // A float entry's stored bytes, copied once into a bytearray (NumPy views
  // it writable), and its values widened into a float32 buffer.
  PyObject* float_data_bytes(const std::string& name) const {
    const void* data = nullptr;
    size_t size = 0;
    qtensor::detail::Check(qt_bundle_float_data(&data, &size, $self->get(), name.c_str()));
    return PyByteArray_FromStringAndSize(static_cast<const char*>(data), (Py_ssize_t)size);
  }
  // Where a float entry's stored bytes are (borrowed: valid while the bundle
  // holds the entry unchanged), for a read-only NumPy view of a mapped one.
  size_t float_data_address(const std::string& name) const {
    const void* data = nullptr;
    size_t size = 0;
    qtensor::detail::Check(qt_bundle_float_data(&data, &size, $self->get(), name.c_str()));
    return reinterpret_cast<size_t>(data);
  }
  void float_values_into(const std::string& name, float* out, size_t count) const {
    qtensor::detail::Check(qt_bundle_float_values(out, count, $self->get(), name.c_str()));
  }
}

%inline %{
// Registers the tuple of exception classes, indexed by qt_status.
void set_error_classes(PyObject* classes) {
  Py_XINCREF(classes);
  Py_XSETREF(qt_python_error_classes, classes);
}
// The address of the last float buffer given to the library (for tests).
size_t last_float_input_address() {
  return reinterpret_cast<size_t>(qt_python_last_float_input);
}
%}

// Conv2d settings cross as lists of ints; linear_dynamic reads the floats in
// place and gives its floats back as a tuple.
%extend qtensor::PackedConv2d {
  static qtensor::PackedConv2d prepack_values(const qtensor::Tensor& weight, bool has_bias,
                                              const std::vector<float>& bias,
                                              const std::vector<int64_t>& stride,
                                              const std::vector<int64_t>& padding,
                                              const std::vector<int64_t>& dilation,
                                              int64_t groups) {
    return qtensor_swig::PrepackConv2d(weight, has_bias, bias, stride, padding, dilation, groups);
  }
  std::vector<int64_t> setting_values() const {
    return qtensor_swig::Conv2dSettingValues(*$self);
  }
}
%inline %{
std::vector<float> linear_dynamic_values(const float* data, size_t count,
                                         const std::vector<int64_t>& shape,
                                         const qtensor::PackedLinear& packed, bool reduce_range) {
  return qtensor_swig::LinearDynamic(data, count, shape, packed, reduce_range);
}
%}
