// The operators (src/ops): qt_requantize, qt_relu, qt_relu_inplace,
// qt_leaky_relu, qt_hardswish, qt_sigmoid, qt_tanh, qt_relu6, qt_clamp, qt_add, qt_add_relu,
// qt_mul, qt_mul_relu, qt_cat, qt_cat_relu; their in-place and out= forms; qt_add_scalar,
// qt_add_scalar_relu, qt_mul_scalar, qt_mul_scalar_relu; qt_max_pool2d, qt_avg_pool2d,
// qt_adaptive_avg_pool2d.
#include <array>
#include <string>
#include <vector>

#include "capi/handles.h"
#include "ops/binary.h"
#include "ops/cat.h"
#include "ops/clamp.h"
#include "ops/float_unary.h"
#include "ops/pool.h"
#include "ops/requantize.h"
#include "ops/scalar_binary.h"
#include "ops/write_into.h"

using qtensor::capi::Guard;
using qtensor::capi::QuantizerOf;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::TensorOf;

using qtensor::ops::BinaryOp;

namespace {

qt_status BinaryTo(qt_tensor** out, BinaryOp op, const qt_tensor* a, const qt_tensor* b,
                   double scale, int64_t zero_point, bool relu) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Binary(op, TensorOf(a), TensorOf(b), scale, zero_point, relu));
  });
}

qt_status BinaryOutTo(qt_tensor* out, BinaryOp op, const qt_tensor* a, const qt_tensor* b,
                      bool relu) {
  return Guard([&] {
    qtensor::ops::BinaryOut(op, Required(out, "out")->tensor, TensorOf(a), TensorOf(b), relu);
  });
}

qt_status ScalarTo(qt_tensor** out, const qt_tensor* tensor, double other, bool mul, bool relu) {
  return Guard([&] {
    Required(out, "out");
    const qtensor::core::Tensor& input = TensorOf(tensor);
    ReturnTensor(out, mul ? qtensor::ops::MulScalar(input, other, relu)
                          : qtensor::ops::AddScalar(input, other, relu));
  });
}

// The count tensors of a qt_cat call; throws for NULL.
std::vector<qtensor::core::Tensor> CatInputs(const qt_tensor* const* tensors, size_t count) {
  if (count > 0) Required(tensors, "tensors");
  std::vector<qtensor::core::Tensor> inputs;
  inputs.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string name = "tensors[" + std::to_string(i) + "]";
    inputs.push_back(Required(tensors[i], name.c_str())->tensor);
  }
  return inputs;
}

qt_status CatTo(qt_tensor** out, const qt_tensor* const* tensors, size_t count, int64_t dim,
                const qt_quantizer* quantizer, bool relu) {
  return Guard([&] {
    Required(out, "out");
    const std::vector<qtensor::core::Tensor> inputs = CatInputs(tensors, count);
    const qtensor::core::Quantizer* parameters =
        quantizer != nullptr ? &QuantizerOf(quantizer) : nullptr;
    ReturnTensor(out, qtensor::ops::Cat(inputs, dim, parameters, relu));
  });
}

qt_status CatOutTo(qt_tensor* out, const qt_tensor* const* tensors, size_t count, int64_t dim,
                   bool relu) {
  return Guard([&] {
    const qtensor::core::Tensor& output = Required(out, "out")->tensor;
    qtensor::ops::CatOut(output, CatInputs(tensors, count), dim, relu);
  });
}

// A (height, width) pair from the caller: pair[0], pair[1], or fallback for NULL.
std::array<int64_t, 2> PairOr(const int64_t* pair, std::array<int64_t, 2> fallback) {
  return pair == nullptr ? fallback : std::array<int64_t, 2>{pair[0], pair[1]};
}

qtensor::ops::PoolWindow WindowOf(const int64_t* kernel_size, const int64_t* stride,
                                  const int64_t* padding, const int64_t* dilation, bool ceil_mode) {
  qtensor::ops::PoolWindow window;
  window.kernel = PairOr(Required(kernel_size, "kernel_size"), {});
  window.stride = PairOr(stride, window.kernel);
  window.padding = PairOr(padding, {0, 0});
  window.dilation = PairOr(dilation, {1, 1});
  window.ceil_mode = ceil_mode;
  return window;
}

}  // namespace

extern "C" {

qt_status qt_requantize(qt_tensor** out, const qt_tensor* tensor, const qt_quantizer* quantizer) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Requantize(TensorOf(tensor), QuantizerOf(quantizer)));
  });
}

qt_status qt_relu(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Relu(TensorOf(tensor)));
  });
}

qt_status qt_relu_inplace(qt_tensor* tensor) {
  return Guard([&] { qtensor::ops::ReluInPlace(TensorOf(tensor)); });
}

qt_status qt_leaky_relu(qt_tensor** out, const qt_tensor* tensor, float negative_slope) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::LeakyRelu(TensorOf(tensor), negative_slope));
  });
}

qt_status qt_hardswish(qt_tensor** out, const qt_tensor* tensor, double scale, int64_t zero_point) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Hardswish(TensorOf(tensor), scale, zero_point));
  });
}

qt_status qt_sigmoid(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Sigmoid(TensorOf(tensor)));
  });
}

qt_status qt_tanh(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Tanh(TensorOf(tensor)));
  });
}

qt_status qt_relu6(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Relu6(TensorOf(tensor)));
  });
}

qt_status qt_clamp(qt_tensor** out, const qt_tensor* tensor, float min, float max) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, qtensor::ops::Clamp(TensorOf(tensor), min, max));
  });
}

qt_status qt_add(qt_tensor** out, const qt_tensor* a, const qt_tensor* b, double scale,
                 int64_t zero_point) {
  return BinaryTo(out, BinaryOp::kAdd, a, b, scale, zero_point, false);
}

qt_status qt_add_relu(qt_tensor** out, const qt_tensor* a, const qt_tensor* b, double scale,
                      int64_t zero_point) {
  return BinaryTo(out, BinaryOp::kAdd, a, b, scale, zero_point, true);
}

qt_status qt_mul(qt_tensor** out, const qt_tensor* a, const qt_tensor* b, double scale,
                 int64_t zero_point) {
  return BinaryTo(out, BinaryOp::kMul, a, b, scale, zero_point, false);
}

qt_status qt_mul_relu(qt_tensor** out, const qt_tensor* a, const qt_tensor* b, double scale,
                      int64_t zero_point) {
  return BinaryTo(out, BinaryOp::kMul, a, b, scale, zero_point, true);
}

qt_status qt_cat(qt_tensor** out, const qt_tensor* const* tensors, size_t count, int64_t dim,
                 const qt_quantizer* quantizer) {
  return CatTo(out, tensors, count, dim, quantizer, false);
}

qt_status qt_cat_relu(qt_tensor** out, const qt_tensor* const* tensors, size_t count, int64_t dim,
                      const qt_quantizer* quantizer) {
  return CatTo(out, tensors, count, dim, quantizer, true);
}

qt_status qt_leaky_relu_inplace(qt_tensor* tensor, float negative_slope) {
  return Guard([&] { qtensor::ops::LeakyReluInPlace(TensorOf(tensor), negative_slope); });
}

qt_status qt_relu6_inplace(qt_tensor* tensor) {
  return Guard([&] { qtensor::ops::Relu6InPlace(TensorOf(tensor)); });
}

qt_status qt_clamp_inplace(qt_tensor* tensor, float min, float max) {
  return Guard([&] { qtensor::ops::ClampInPlace(TensorOf(tensor), min, max); });
}

qt_status qt_add_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b) {
  return BinaryOutTo(out, BinaryOp::kAdd, a, b, false);
}

qt_status qt_add_relu_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b) {
  return BinaryOutTo(out, BinaryOp::kAdd, a, b, true);
}

qt_status qt_mul_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b) {
  return BinaryOutTo(out, BinaryOp::kMul, a, b, false);
}

qt_status qt_mul_relu_out(qt_tensor* out, const qt_tensor* a, const qt_tensor* b) {
  return BinaryOutTo(out, BinaryOp::kMul, a, b, true);
}

qt_status qt_add_scalar(qt_tensor** out, const qt_tensor* tensor, double other) {
  return ScalarTo(out, tensor, other, false, false);
}

qt_status qt_add_scalar_relu(qt_tensor** out, const qt_tensor* tensor, double other) {
  return ScalarTo(out, tensor, other, false, true);
}

qt_status qt_mul_scalar(qt_tensor** out, const qt_tensor* tensor, double other) {
  return ScalarTo(out, tensor, other, true, false);
}

qt_status qt_mul_scalar_relu(qt_tensor** out, const qt_tensor* tensor, double other) {
  return ScalarTo(out, tensor, other, true, true);
}

qt_status qt_cat_out(qt_tensor* out, const qt_tensor* const* tensors, size_t count, int64_t dim) {
  return CatOutTo(out, tensors, count, dim, false);
}

qt_status qt_cat_relu_out(qt_tensor* out, const qt_tensor* const* tensors, size_t count,
                          int64_t dim) {
  return CatOutTo(out, tensors, count, dim, true);
}

qt_status qt_max_pool2d(qt_tensor** out, const qt_tensor* input, const int64_t* kernel_size,
                        const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                        bool ceil_mode) {
  return Guard([&] {
    Required(out, "out");
    const qtensor::ops::PoolWindow window =
        WindowOf(kernel_size, stride, padding, dilation, ceil_mode);
    ReturnTensor(out, qtensor::ops::MaxPool2d(TensorOf(input), window));
  });
}

qt_status qt_avg_pool2d(qt_tensor** out, const qt_tensor* input, const int64_t* kernel_size,
                        const int64_t* stride, const int64_t* padding, bool ceil_mode,
                        bool count_include_pad, int64_t divisor_override) {
  return Guard([&] {
    Required(out, "out");
    const qtensor::ops::PoolWindow window =
        WindowOf(kernel_size, stride, padding, nullptr, ceil_mode);
    ReturnTensor(
        out, qtensor::ops::AvgPool2d(TensorOf(input), window, count_include_pad, divisor_override));
  });
}

qt_status qt_adaptive_avg_pool2d(qt_tensor** out, const qt_tensor* input,
                                 const int64_t* output_size) {
  return Guard([&] {
    Required(out, "out");
    const std::array<int64_t, 2> size = PairOr(Required(output_size, "output_size"), {});
    ReturnTensor(out, qtensor::ops::AdaptiveAvgPool2d(TensorOf(input), size[0], size[1]));
  });
}

}  // extern "C"
