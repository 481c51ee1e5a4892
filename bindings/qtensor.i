// Shared SWIG interface of the Python, Java and C# modules. It wraps the
// header-only C++ facade (qtensor.hpp), never the C functions directly.
//
// Each language's file (bindings/<language>/*.i) declares the module, then
// defines, before %including this file:
//   QTENSOR_SWIG_RAISE(status, message)  a SWIG macro that raises the language's
//                                    exception for a qt_status and returns
//                                    from the wrapper;
// and adds its typemaps, renames and idiomatic sugar.
%{
#include "qtensor/qtensor.hpp"
%}

%include <stdint.i>
%include <std_string.i>
%include <std_vector.i>

// Every facade call that fails throws qtensor::Error carrying the status and
// the library's message; it becomes the language's exception here.
%exception {
  try {
    $action
  } catch (const qtensor::Error& error) {
    QTENSOR_SWIG_RAISE(error.status(), error.what());
  } catch (const std::exception& error) {
    QTENSOR_SWIG_RAISE(QT_ERR_INTERNAL, error.what());
  }
}

// The C ABI's enums and constants are wrapped; its functions are not (the
// facade's classes are the interface).
%rename("$ignore", regextarget=1, %$isfunction) "^qt_";
%ignore QTENSOR_API;
#define QTENSOR_API
%include "qtensor/qtensor.h"

// Bundle is move-only but default-constructible: SWIG would copy a returned
// Bundle into a default-constructed one; its value wrapper moves instead.
%feature("valuewrapper") qtensor::Bundle;

%ignore qtensor::detail;
%ignore qtensor::operator<<;
%ignore qtensor::Tensor::get;
%ignore qtensor::Quantizer::get;
%ignore qtensor::Bundle::get() const;
%ignore qtensor::Tensor::Tensor(qt_tensor*);
%ignore qtensor::Quantizer::Quantizer(qt_quantizer*);
%ignore qtensor::Bundle::Bundle(qt_bundle*);
%ignore qtensor::PackedLinear::PackedLinear(qt_packed_linear*);
%ignore qtensor::PackedLinear::get;
// Tensors have no default constructor: the vector of them the cat functions
// take is wrapped without the members that would need one.
%ignore std::vector<qtensor::Tensor>::vector(size_type);
%ignore std::vector<qtensor::Tensor>::resize;
#ifndef SWIGPYTHON
// The integers in place: Python's int_view wraps them in a NumPy array;
// Java's and C#'s buffer views are not written yet.
%ignore qtensor::Tensor::data_ptr;
%ignore qtensor::Tensor::nbytes;
#endif
// Taken by each language's own wrappers (shapes as int64 vectors and the
// settings' fixed arrays need the language's typemaps).
%ignore qtensor::linear_dynamic;
%ignore qtensor::Conv2dSettings;
%ignore qtensor::PackedConv2d;
%ignore qtensor::conv2d;
%ignore qtensor::conv2d_relu;
%include "qtensor/qtensor.hpp"
%template(TensorVector) std::vector<qtensor::Tensor>;
