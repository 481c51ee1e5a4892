// qt_* creation, inspection, read-out and printing of tensors.
#include <algorithm>

#include "capi/handles.h"
#include "core/tensor_ops.h"

using qtensor::capi::ArrayArgument;
using qtensor::capi::CheckCapacity;
using qtensor::capi::CopyOut;
using qtensor::capi::DTypeArgument;
using qtensor::capi::Guard;
using qtensor::capi::QuantizerOf;
using qtensor::capi::Required;
using qtensor::capi::ReturnTensor;
using qtensor::capi::ShapeArgument;
using qtensor::capi::TensorOf;
using qtensor::core::DType;
using qtensor::core::ErrorKind;
using qtensor::core::Fail;
using qtensor::core::Quantizer;
using qtensor::core::Tensor;

namespace {

// Quantizes after checking that data is there when elements are.
Tensor QuantizeArgument(const float* data, const std::vector<int64_t>& shape,
                        const Quantizer& quantizer) {
  if (qtensor::core::CheckedNumel(shape, quantizer.dtype()) > 0) Required(data, "data");
  return qtensor::core::Quantize(data, shape, quantizer);
}

Tensor FromIntArgument(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                       const Quantizer& quantizer) {
  if (bytes > 0) Required(data, "int_data");
  return qtensor::core::FromIntRepr(data, bytes, shape, quantizer);
}

template <typename T>
qt_status MakePerTensor(qt_tensor** out, const T* int_data, const int64_t* shape, size_t ndim,
                        double scale, int64_t zero_point, DType dtype) {
  return Guard([&] {
    Required(out, "out");
    const std::vector<int64_t> dims = ShapeArgument(shape, ndim);
    const size_t bytes = static_cast<size_t>(qtensor::core::CheckedNumel(dims, dtype)) * sizeof(T);
    ReturnTensor(out, FromIntArgument(int_data, bytes, dims,
                                      Quantizer::PerTensor(dtype, scale, zero_point)));
  });
}

// The per-tensor parameters of a view; per-channel views have none.
Quantizer PerTensorQuantizerOf(const qt_tensor* tensor) {
  Quantizer quantizer = TensorOf(tensor).EffectiveQuantizer();
  if (quantizer.per_channel()) {
    Fail(ErrorKind::kTypeMismatch,
         "the tensor is per-channel quantized: use the per-channel scales and zero points");
  }
  if (quantizer.per_block()) {
    Fail(ErrorKind::kTypeMismatch,
         "the tensor is per-block quantized: read its parameters from qt_tensor_quantizer");
  }
  return quantizer;
}

Quantizer PerChannelQuantizerOf(const qt_tensor* tensor) {
  Quantizer quantizer = TensorOf(tensor).EffectiveQuantizer();
  if (!quantizer.per_channel()) {
    Fail(ErrorKind::kTypeMismatch, std::string("the tensor is ") +
                                       (quantizer.per_block() ? "per-block" : "per-tensor") +
                                       " quantized: it has no channel axis");
  }
  return quantizer;
}

// For the integer zero points: per channel, not float qparams.
Quantizer IntegerPerChannelQuantizerOf(const qt_tensor* tensor) {
  Quantizer quantizer = PerChannelQuantizerOf(tensor);
  if (quantizer.float_qparams()) {
    Fail(ErrorKind::kTypeMismatch,
         "the tensor is per_channel_affine_float_qparams quantized: its zero points are floats "
         "(read them with qt_tensor_q_per_channel_float_zero_points)");
  }
  return quantizer;
}

}  // namespace

extern "C" {

qt_status qt_quantize(qt_tensor** out, const float* data, const int64_t* shape, size_t ndim,
                      const qt_quantizer* quantizer) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, QuantizeArgument(data, ShapeArgument(shape, ndim), QuantizerOf(quantizer)));
  });
}

qt_status qt_quantize_per_tensor(qt_tensor** out, const float* data, const int64_t* shape,
                                 size_t ndim, double scale, int64_t zero_point, qt_dtype dtype) {
  return Guard([&] {
    Required(out, "out");
    const Quantizer quantizer = Quantizer::PerTensor(DTypeArgument(dtype), scale, zero_point);
    ReturnTensor(out, QuantizeArgument(data, ShapeArgument(shape, ndim), quantizer));
  });
}

qt_status qt_quantize_per_channel(qt_tensor** out, const float* data, const int64_t* shape,
                                  size_t ndim, const double* scales, const int64_t* zero_points,
                                  size_t num_channels, int64_t axis, qt_dtype dtype) {
  return Guard([&] {
    Required(out, "out");
    const Quantizer quantizer =
        Quantizer::PerChannel(DTypeArgument(dtype), ArrayArgument(scales, num_channels, "scales"),
                              ArrayArgument(zero_points, num_channels, "zero_points"), axis);
    ReturnTensor(out, QuantizeArgument(data, ShapeArgument(shape, ndim), quantizer));
  });
}

qt_status qt_empty_quantized(qt_tensor** out, const int64_t* shape, size_t ndim,
                             const qt_quantizer* quantizer) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, Tensor::Empty(ShapeArgument(shape, ndim), QuantizerOf(quantizer)));
  });
}

qt_status qt_from_int_repr(qt_tensor** out, const void* int_data, size_t data_bytes,
                           const int64_t* shape, size_t ndim, const qt_quantizer* quantizer) {
  return Guard([&] {
    Required(out, "out");
    ReturnTensor(out, FromIntArgument(int_data, data_bytes, ShapeArgument(shape, ndim),
                                      QuantizerOf(quantizer)));
  });
}

qt_status qt_from_packed(qt_tensor** out, const void* data, size_t data_bytes, const int64_t* shape,
                         size_t ndim, const qt_quantizer* quantizer) {
  return Guard([&] {
    Required(out, "out");
    if (data_bytes > 0) Required(data, "data");
    ReturnTensor(out, qtensor::core::FromStorageRepr(data, data_bytes, ShapeArgument(shape, ndim),
                                                     QuantizerOf(quantizer)));
  });
}

qt_status qt_make_per_tensor_quantized_uint8(qt_tensor** out, const uint8_t* int_data,
                                             const int64_t* shape, size_t ndim, double scale,
                                             int64_t zero_point) {
  return MakePerTensor(out, int_data, shape, ndim, scale, zero_point, DType::kQUInt8);
}

qt_status qt_make_per_tensor_quantized_int8(qt_tensor** out, const int8_t* int_data,
                                            const int64_t* shape, size_t ndim, double scale,
                                            int64_t zero_point) {
  return MakePerTensor(out, int_data, shape, ndim, scale, zero_point, DType::kQInt8);
}

qt_status qt_make_per_tensor_quantized_int32(qt_tensor** out, const int32_t* int_data,
                                             const int64_t* shape, size_t ndim, double scale,
                                             int64_t zero_point) {
  return MakePerTensor(out, int_data, shape, ndim, scale, zero_point, DType::kQInt32);
}

void qt_tensor_free(qt_tensor* tensor) { delete tensor; }

qt_status qt_tensor_share(qt_tensor** out, const qt_tensor* tensor) {
  return Guard([&] {
    const Tensor& view = TensorOf(tensor);
    ReturnTensor(Required(out, "out"), view);
  });
}

qt_status qt_tensor_ndim(size_t* out, const qt_tensor* tensor) {
  return Guard([&] {
    const size_t ndim = TensorOf(tensor).ndim();
    *Required(out, "out") = ndim;
  });
}

qt_status qt_tensor_numel(size_t* out, const qt_tensor* tensor) {
  return Guard([&] {
    const auto numel = static_cast<size_t>(TensorOf(tensor).numel());
    *Required(out, "out") = numel;
  });
}

qt_status qt_tensor_shape(int64_t* out, size_t capacity, const qt_tensor* tensor) {
  return Guard([&] { CopyOut(TensorOf(tensor).shape(), out, capacity); });
}

qt_status qt_tensor_strides(int64_t* out, size_t capacity, const qt_tensor* tensor) {
  return Guard([&] { CopyOut(TensorOf(tensor).strides(), out, capacity); });
}

qt_status qt_tensor_storage_offset(int64_t* out, const qt_tensor* tensor) {
  return Guard([&] {
    const int64_t offset = TensorOf(tensor).offset();
    *Required(out, "out") = offset;
  });
}

qt_status qt_tensor_dtype(qt_dtype* out, const qt_tensor* tensor) {
  return Guard([&] {
    const qt_dtype dtype = static_cast<qt_dtype>(TensorOf(tensor).dtype());
    *Required(out, "out") = dtype;
  });
}

qt_status qt_tensor_qscheme(qt_qscheme* out, const qt_tensor* tensor) {
  return Guard([&] {
    const qtensor::core::Tensor& view = TensorOf(tensor);
    // A 0-dim view of a per-block storage is per tensor, as its quantizer.
    const bool per_block = view.storage()->quantizer().per_block() && view.ndim() > 0;
    // Float qparams stay so without the channel dim too: no per-tensor
    // scheme has a float zero point.
    const bool float_qparams = view.storage()->quantizer().float_qparams();
    const qt_qscheme scheme = per_block                 ? QT_PER_BLOCK_AFFINE
                              : float_qparams           ? QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS
                              : view.channel_dim() >= 0 ? QT_PER_CHANNEL_AFFINE
                                                        : QT_PER_TENSOR_AFFINE;
    *Required(out, "out") = scheme;
  });
}

qt_status qt_tensor_is_quantized(bool* out, const qt_tensor* tensor) {
  return Guard([&] {
    TensorOf(tensor);
    *Required(out, "out") = true;
  });
}

qt_status qt_tensor_is_contiguous(bool* out, const qt_tensor* tensor) {
  return Guard([&] {
    const bool contiguous = TensorOf(tensor).IsContiguous();
    *Required(out, "out") = contiguous;
  });
}

qt_status qt_tensor_is_read_only(bool* out, const qt_tensor* tensor) {
  return Guard([&] {
    const bool read_only = TensorOf(tensor).storage()->read_only();
    *Required(out, "out") = read_only;
  });
}

qt_status qt_tensor_data(void** data, size_t* bytes, const qt_tensor* tensor) {
  return Guard([&] {
    Required(data, "data");
    Required(bytes, "bytes");
    const qtensor::core::Tensor& view = TensorOf(tensor);
    if (!view.IsContiguous()) {
      qtensor::core::Fail(qtensor::core::ErrorKind::kInvalidArgument,
                          "data: the view is not contiguous (call contiguous() first)");
    }
    if (view.offset() * qtensor::core::ElementBits(view.dtype()) % 8 != 0) {
      qtensor::core::Fail(qtensor::core::ErrorKind::kInvalidArgument,
                          "data: the packed view starts inside a byte (call contiguous() first)");
    }
    const size_t size = qtensor::core::StorageBytes(view.dtype(), view.numel());
    // A read-only (mapped) storage's pointer too: the header tells callers
    // not to write through it.
    *data = const_cast<uint8_t*>(qtensor::core::FirstElement(view));
    *bytes = size;
  });
}

qt_status qt_tensor_shares_storage(bool* out, const qt_tensor* a, const qt_tensor* b) {
  return Guard([&] {
    const bool shared = TensorOf(a).storage() == TensorOf(b).storage();
    *Required(out, "out") = shared;
  });
}

qt_status qt_tensor_quantizer(qt_quantizer** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    Quantizer quantizer = TensorOf(tensor).EffectiveQuantizer();
    *out = new qt_quantizer{std::move(quantizer)};
  });
}

qt_status qt_tensor_q_scale(double* out, const qt_tensor* tensor) {
  return Guard([&] {
    const double scale = PerTensorQuantizerOf(tensor).scales()[0];
    *Required(out, "out") = scale;
  });
}

qt_status qt_tensor_q_zero_point(int64_t* out, const qt_tensor* tensor) {
  return Guard([&] {
    const int64_t zero_point = PerTensorQuantizerOf(tensor).zero_points()[0];
    *Required(out, "out") = zero_point;
  });
}

qt_status qt_tensor_q_per_channel_axis(int64_t* out, const qt_tensor* tensor) {
  return Guard([&] {
    const int64_t axis = PerChannelQuantizerOf(tensor).axis();
    if (axis == Quantizer::kNoAxis) {
      Fail(ErrorKind::kTypeMismatch,
           "the view selected its float-qparams channel axis away: it has no channel axis");
    }
    *Required(out, "out") = axis;
  });
}

qt_status qt_tensor_q_num_channels(size_t* out, const qt_tensor* tensor) {
  return Guard([&] {
    const Tensor& view = TensorOf(tensor);
    const int64_t dim = view.channel_dim();
    const size_t count = dim < 0 ? 1 : static_cast<size_t>(view.shape()[dim]);
    *Required(out, "out") = count;
  });
}

qt_status qt_tensor_q_per_channel_scales(double* out, size_t capacity, const qt_tensor* tensor) {
  return Guard([&] { CopyOut(PerChannelQuantizerOf(tensor).scales(), out, capacity); });
}

qt_status qt_tensor_q_per_channel_zero_points(int64_t* out, size_t capacity,
                                              const qt_tensor* tensor) {
  return Guard([&] { CopyOut(IntegerPerChannelQuantizerOf(tensor).zero_points(), out, capacity); });
}

qt_status qt_tensor_q_per_channel_float_zero_points(float* out, size_t capacity,
                                                    const qt_tensor* tensor) {
  return Guard([&] {
    const Quantizer quantizer = PerChannelQuantizerOf(tensor);
    if (!quantizer.float_qparams()) {
      Fail(ErrorKind::kTypeMismatch,
           "the tensor is per_channel_affine quantized: its zero points are integers "
           "(qt_tensor_q_per_channel_zero_points)");
    }
    CopyOut(quantizer.float_zero_points(), out, capacity);
  });
}

qt_status qt_dequantize(float* out, size_t capacity, const qt_tensor* tensor) {
  return Guard([&] {
    const Tensor& view = TensorOf(tensor);
    const size_t numel = static_cast<size_t>(view.numel());
    CheckCapacity(capacity, numel, "out");
    if (numel > 0) qtensor::core::Dequantize(view, Required(out, "out"));
  });
}

qt_status qt_int_repr(void* out, size_t capacity_bytes, const qt_tensor* tensor) {
  return Guard([&] {
    const Tensor& view = TensorOf(tensor);
    const size_t bytes =
        static_cast<size_t>(view.numel()) * qtensor::core::ElementSize(view.dtype());
    CheckCapacity(capacity_bytes, bytes, "out (bytes)");
    if (bytes > 0) qtensor::core::IntRepr(view, Required(out, "out"));
  });
}

qt_status qt_packed_repr(void* out, size_t capacity_bytes, const qt_tensor* tensor) {
  return Guard([&] {
    const Tensor& view = TensorOf(tensor);
    const size_t bytes = qtensor::core::StorageBytes(view.dtype(), view.numel());
    CheckCapacity(capacity_bytes, bytes, "out (bytes)");
    if (bytes > 0) qtensor::core::StorageRepr(view, Required(out, "out"));
  });
}

qt_status qt_to_string(char** out, const qt_tensor* tensor) {
  return Guard([&] {
    Required(out, "out");
    qtensor::capi::ReturnString(out, qtensor::core::ToString(TensorOf(tensor)));
  });
}

void qt_string_free(char* str) { delete[] str; }

}  // extern "C"
