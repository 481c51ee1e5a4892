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
// Containers: move-only, returned by value from open() as Bundle is.
%feature("valuewrapper") qtensor::BundleFile;
%feature("valuewrapper") qtensor::BundleWriter;
// The payload's place as two calls (no std::pair in the languages).
%ignore qtensor::BundleFile::payload;
%extend qtensor::BundleFile {
  uint64_t payload_offset(const std::string& name) const { return $self->payload(name).first; }
  uint64_t payload_length(const std::string& name) const { return $self->payload(name).second; }
}
%ignore qtensor::PackedLinear::PackedLinear(qt_packed_linear*);
%ignore qtensor::PackedLinear::get;
// Tensors have no default constructor: the vector of them the cat functions
// take is wrapped without the members that would need one.
%ignore std::vector<qtensor::Tensor>::vector(size_type);
%ignore std::vector<qtensor::Tensor>::resize;
#ifndef SWIGPYTHON
// The integers in place: Python's int_view wraps them in a NumPy array;
// Java's and C#'s buffer views are not written yet.
// Storage-form bytes: each language wraps them as its own byte array.
%ignore qtensor::Tensor::FromPacked;
%ignore qtensor::Tensor::packed_repr;
%ignore qtensor::Tensor::data_ptr;
%ignore qtensor::Tensor::nbytes;
#endif
// Each language passes the settings' fixed arrays and linear_dynamic's
// floats as its own arrays, through the helpers below.
%ignore qtensor::linear_dynamic;
%ignore qtensor::Conv2dSettings;
%ignore qtensor::PackedConv2d::PackedConv2d(qt_packed_conv2d*);
%ignore qtensor::PackedConv2d::get;
%ignore qtensor::PackedConv2d::prepack;
%ignore qtensor::PackedConv2d::settings;
%{
namespace qtensor_swig {

// One conv2d setting as the library takes it: exactly two values.
inline std::array<int64_t, 2> Conv2dPair(const std::vector<int64_t>& values, const char* what) {
  if (values.size() != 2) {
    throw qtensor::Error(QT_ERR_INVALID_ARGUMENT, std::string("conv2d: ") + what +
                                                      " needs 2 values (height, width), got " +
                                                      std::to_string(values.size()));
  }
  return {values[0], values[1]};
}

// conv2d_prepack from each language's arrays; has_bias tells an empty bias
// (one of the wrong length) from none, which the library would confuse.
inline qtensor::PackedConv2d PrepackConv2d(const qtensor::Tensor& weight, bool has_bias,
                                           const std::vector<float>& bias,
                                           const std::vector<int64_t>& stride,
                                           const std::vector<int64_t>& padding,
                                           const std::vector<int64_t>& dilation, int64_t groups) {
  if (has_bias && bias.empty() && weight.dim() == 4 && weight.sizes()[0] != 0) {
    throw qtensor::Error(QT_ERR_SHAPE_MISMATCH, "conv2d: the bias has 0 values for " +
                                                    std::to_string(weight.sizes()[0]) +
                                                    " output channels");
  }
  qtensor::Conv2dSettings settings;
  settings.stride = Conv2dPair(stride, "stride");
  settings.padding = Conv2dPair(padding, "padding");
  settings.dilation = Conv2dPair(dilation, "dilation");
  settings.groups = groups;
  return qtensor::PackedConv2d::prepack(weight, bias, settings);
}

// The settings as 7 values: stride (2), padding (2), dilation (2), groups.
inline std::vector<int64_t> Conv2dSettingValues(const qtensor::PackedConv2d& packed) {
  qtensor::Conv2dSettings s = packed.settings();
  return {s.stride[0],   s.stride[1],   s.padding[0], s.padding[1],
          s.dilation[0], s.dilation[1], s.groups};
}

// linear_dynamic of count floats in place (no copy of the input).
inline std::vector<float> LinearDynamic(const float* data, size_t count,
                                        const std::vector<int64_t>& shape,
                                        const qtensor::PackedLinear& packed, bool reduce_range) {
  qtensor::detail::CheckFloatCount(count, shape);
  size_t rows = 1;
  for (size_t d = 0; d + 1 < shape.size(); ++d) {
    rows *= shape[d] > 0 ? static_cast<size_t>(shape[d]) : 0;
  }
  std::vector<float> out(shape.empty() ? 0 : rows * packed.out_features());
  qtensor::detail::Check(qt_linear_dynamic(out.data(), out.size(), data, shape.data(),
                                           shape.size(), packed.get(), reduce_range));
  return out;
}

}  // namespace qtensor_swig
%}
%include "qtensor/qtensor.hpp"
%template(TensorVector) std::vector<qtensor::Tensor>;
