#include "core/tensor_ops.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/block_quantize.h"
#include "core/dtype_conversion.h"
#include "core/element_parts.h"
#include "core/error.h"
#include "core/float_qparams_rows.h"
#include "core/gguf_rounding.h"
#include "core/onnx_rounding.h"
#include "core/print.h"
#include "core/shape.h"
#include "core/strided_copy.h"
#include "core/view_walk.h"
#include "kernels/float_qparams.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::core {
namespace {

StridedLayout LayoutOf(const Tensor& tensor) {
  return {ElementSize(tensor.dtype()), tensor.shape(), tensor.strides()};
}

// The bytes of the view's int_repr.
size_t ByteSize(const Tensor& tensor) {
  return static_cast<size_t>(tensor.numel()) * ElementSize(tensor.dtype());
}

// IntRepr and WriteIntRepr of a packed dtype's view.
void UnpackView(const Tensor& tensor, uint8_t* out) {
  const uint8_t* bytes = tensor.storage()->bytes();
  ForEachRow(tensor, [&](int64_t position, size_t count, int64_t step) {
    if (step == 1) {
      UnpackElements(tensor.dtype(), bytes, position, count, out);
    } else {
      for (size_t k = 0; k < count; ++k) {
        UnpackElements(tensor.dtype(), bytes, position + static_cast<int64_t>(k) * step, 1,
                       out + k);
      }
    }
    out += count;
  });
}

void PackView(const Tensor& dst, const uint8_t* in) {
  uint8_t* bytes = dst.storage()->mutable_bytes();
  ForEachRow(dst, [&](int64_t position, size_t count, int64_t step) {
    if (step == 1) {
      PackElements(dst.dtype(), in, count, bytes, position);
    } else {
      for (size_t k = 0; k < count; ++k) {
        PackElements(dst.dtype(), in + k, 1, bytes, position + static_cast<int64_t>(k) * step);
      }
    }
    in += count;
  });
}

// The view's integers in its compute dtype's form, row-major.
std::vector<uint8_t> ComputeInts(const Tensor& tensor) {
  const auto numel = static_cast<size_t>(tensor.numel());
  std::vector<uint8_t> ints(ByteSize(tensor));
  IntRepr(tensor, ints.data());
  const DType compute = ComputeDType(tensor.dtype());
  if (ElementSize(compute) == ElementSize(tensor.dtype())) return ints;
  std::vector<uint8_t> wide(numel * ElementSize(compute));
  WidenToCompute(tensor.dtype(), ints.data(), numel, wide.data());
  return wide;
}

template <typename T>
void QuantizeRows(const float* in, const ElementParams& params, T* out) {
  if (params.float_zero_points != nullptr) {
    ForEachPart(params, [&](size_t first, size_t outer, size_t c, size_t channels, size_t inner) {
      QuantizeFloatQParamsRows(in + first, params, c, {outer, channels, inner}, out + first);
    });
    return;
  }
  if (params.channels == 1) {
    const float inv_scale = params.channel.inv_scales[0];
    const int64_t zero_point = params.zero_point(0);
    ForEachPart(params, [&](size_t first, size_t outer, size_t, size_t, size_t inner) {
      kernels::QuantizePerTensor(in + first, outer * inner, inv_scale, zero_point, out + first);
    });
    return;
  }
  ForEachPart(params, [&](size_t first, size_t outer, size_t c, size_t channels, size_t inner) {
    kernels::QuantizePerChannel(in + first, outer, channels, inner, params.channel.From(c),
                                out + first);
  });
}

bool OnnxRounding(const Tensor& tensor) {
  return tensor.storage()->quantizer().rounding() == Rounding::kOnnx;
}

template <typename T>
void DequantizeRows(const T* in, const ElementParams& params, float* out) {
  if (params.float_zero_points != nullptr) {
    ForEachPart(params, [&](size_t first, size_t outer, size_t c, size_t channels, size_t inner) {
      DequantizeFloatQParamsRows(in + first, params, c, {outer, channels, inner}, out + first);
    });
    return;
  }
  if (!params.per_channel_arithmetic) {
    const float scale = params.channel.float_scales[0];
    const int64_t zero_point = params.zero_point(0);
    ForEachPart(params, [&](size_t first, size_t outer, size_t, size_t, size_t inner) {
      kernels::DequantizePerTensor(in + first, outer * inner, scale, zero_point, out + first);
    });
    return;
  }
  ForEachPart(params, [&](size_t first, size_t outer, size_t c, size_t channels, size_t inner) {
    kernels::DequantizePerChannel(in + first, outer, channels, inner, params.channel.From(c),
                                  out + first);
  });
}

// Whether a whole-storage dst can hand its storage quantizer over: a
// per-channel quantizer's axis must be a dim of the storage's own shape,
// walked one by one (a view() or unsqueeze() of the storage may have its
// channel dim on a size-1 dim of its own, or on merged dims).
bool StorageCanTake(const Tensor& dst, const Quantizer& quantizer) {
  if (quantizer.per_block()) return dst.shape() == dst.storage()->shape();
  if (!quantizer.per_channel()) return true;
  if (quantizer.axis() == Quantizer::kNoAxis) return false;
  const int64_t b = dst.base_dim(quantizer.axis());
  return b >= 0 && dst.storage()->shape()[b] == dst.shape()[quantizer.axis()];
}

bool SameElementParams(const ElementParams& a, const ElementParams& b) {
  const size_t n = a.channels;
  return a.per_channel_arithmetic == b.per_channel_arithmetic && a.outer == b.outer &&
         a.channels == b.channels && a.inner == b.inner &&
         std::equal(a.channel.scales, a.channel.scales + n, b.channel.scales) &&
         std::equal(a.channel.zero_points, a.channel.zero_points + n, b.channel.zero_points) &&
         (a.float_zero_points == nullptr) == (b.float_zero_points == nullptr) &&
         (a.float_zero_points == nullptr ||
          std::equal(a.float_zero_points, a.float_zero_points + n, b.float_zero_points));
}

// Quantizes mapped values into dst: with its own parameters, or for a
// contiguous per-tensor dst with the given inverse scale (MapInto).
void QuantizeMapped(const Tensor& dst, const float* values, const float* inverse_scale) {
  if (inverse_scale == nullptr) {
    QuantizeInto(dst, values);
    return;
  }
  const int64_t zero_point = dst.Params().zero_point(0);
  VisitDType(dst.dtype(), [&](auto t) {
    using T = decltype(t);
    kernels::QuantizePerTensor(values, static_cast<size_t>(dst.numel()), *inverse_scale, zero_point,
                               reinterpret_cast<T*>(MutableFirstElement(dst)));
  });
}

// Maps src into dst (same shape, different storages) through the buffer of
// `capacity` floats: at once if src fits, else in slices of the leading dim,
// recursing into one leading index at a time while even one index is larger
// than the buffer.
void MapThrough(const Tensor& dst, const Tensor& src, const FloatMap& map,
                const float* inverse_scale, float* buffer, int64_t capacity) {
  const int64_t numel = src.numel();
  if (numel <= capacity || src.ndim() == 0) {
    Dequantize(src, buffer);
    if (map) map(buffer, static_cast<size_t>(numel));
    QuantizeMapped(dst, buffer, inverse_scale);
    return;
  }
  const int64_t rows = src.shape()[0];
  const int64_t row_numel = numel / rows;
  if (row_numel > capacity) {
    for (int64_t i = 0; i < rows; ++i) {
      MapThrough(dst.Select(0, i), src.Select(0, i), map, inverse_scale, buffer, capacity);
    }
    return;
  }
  const int64_t step = capacity / row_numel;
  for (int64_t start = 0; start < rows; start += step) {
    const int64_t stop = std::min(rows, start + step);
    MapThrough(dst.Slice(0, start, stop, 1), src.Slice(0, start, stop, 1), map, inverse_scale,
               buffer, capacity);
  }
}

}  // namespace

Tensor Quantize(const float* data, const std::vector<int64_t>& shape, const Quantizer& quantizer) {
  Tensor tensor = Tensor::ForOverwrite(shape, quantizer);
  QuantizeInto(tensor, data);
  return tensor;
}

Tensor FromIntRepr(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                   const Quantizer& quantizer) {
  const int64_t numel = CheckedNumel(shape, quantizer.dtype());
  const size_t expected = static_cast<size_t>(numel) * ElementSize(quantizer.dtype());
  if (bytes != expected) {
    Fail(ErrorKind::kShapeMismatch, "integer data has " + std::to_string(bytes) +
                                        " bytes but shape " + ShapeText(shape, ShapeStyle::kTuple) +
                                        " of " + DTypeName(quantizer.dtype()) + " needs " +
                                        std::to_string(expected));
  }
  CheckIntReprRange(quantizer.dtype(), data, static_cast<size_t>(numel));
  Tensor tensor = Tensor::ForOverwrite(shape, quantizer);
  if (expected > 0) WriteIntRepr(tensor, data);
  return tensor;
}

namespace {

// FromStorageRepr's and BorrowStorageRepr's checks: the length, and a
// packed dtype's unused high bits of the last byte.
void CheckStorageRepr(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                      DType dtype) {
  const int64_t numel = CheckedNumel(shape, dtype);
  const size_t expected = StorageBytes(dtype, numel);
  if (bytes != expected) {
    Fail(ErrorKind::kShapeMismatch, std::string(IsPacked(dtype) ? "packed" : "integer") +
                                        " data has " + std::to_string(bytes) + " bytes but shape " +
                                        ShapeText(shape, ShapeStyle::kTuple) + " of " +
                                        DTypeName(dtype) + " needs " + std::to_string(expected));
  }
  const auto used_bits = static_cast<unsigned>(numel * ElementBits(dtype) % 8);
  const auto* in = static_cast<const uint8_t*>(data);
  if (used_bits != 0 && (in[expected - 1] >> used_bits) != 0) {
    Fail(ErrorKind::kCorruptData, std::string("the unused high bits of the last byte of ") +
                                      DTypeName(dtype) + " data are not 0");
  }
}

}  // namespace

Tensor FromStorageRepr(const void* data, size_t bytes, const std::vector<int64_t>& shape,
                       const Quantizer& quantizer) {
  const DType dtype = quantizer.dtype();
  if (!IsPacked(dtype)) return FromIntRepr(data, bytes, shape, quantizer);
  CheckStorageRepr(data, bytes, shape, dtype);
  Tensor tensor = Tensor::ForOverwrite(shape, quantizer);
  if (bytes > 0) std::memcpy(MutableFirstElement(tensor), data, bytes);
  return tensor;
}

Tensor BorrowStorageRepr(const uint8_t* data, size_t bytes, const std::vector<int64_t>& shape,
                         const Quantizer& quantizer, std::shared_ptr<const void> owner) {
  CheckStorageRepr(data, bytes, shape, quantizer.dtype());
  return Tensor(std::make_shared<Storage>(shape, quantizer, data, std::move(owner)));
}

void StorageRepr(const Tensor& tensor, void* out) {
  const DType dtype = tensor.dtype();
  if (!IsPacked(dtype)) {
    IntRepr(tensor, out);
    return;
  }
  const size_t bytes = StorageBytes(dtype, tensor.numel());
  if (bytes == 0) return;
  auto* packed = static_cast<uint8_t*>(out);
  std::memset(packed, 0, bytes);
  std::vector<uint8_t> ints(ByteSize(tensor));
  IntRepr(tensor, ints.data());
  PackElements(dtype, ints.data(), ints.size(), packed, 0);
}

void IntRepr(const Tensor& tensor, void* out) {
  if (tensor.numel() == 0) return;
  if (IsPacked(tensor.dtype())) {
    UnpackView(tensor, static_cast<uint8_t*>(out));
  } else if (tensor.IsContiguous()) {
    std::memcpy(out, FirstElement(tensor), ByteSize(tensor));
  } else {
    GatherStrided(LayoutOf(tensor), FirstElement(tensor), static_cast<uint8_t*>(out));
  }
}

namespace {

int64_t FirstByte(const Tensor& tensor) {
  const int bits = ElementBits(tensor.dtype());
  if (tensor.offset() * bits % 8 != 0) {
    throw std::logic_error("FirstElement: a packed view starting inside a byte");
  }
  return tensor.offset() * bits / 8;
}

}  // namespace

const uint8_t* FirstElement(const Tensor& tensor) {
  const Storage& storage = *tensor.storage();
  return storage.bytes() + FirstByte(tensor);
}

uint8_t* MutableFirstElement(const Tensor& tensor) {
  return tensor.storage()->mutable_bytes() + FirstByte(tensor);
}

void WriteIntRepr(const Tensor& dst, const void* data) {
  if (dst.numel() == 0) return;
  const auto* packed = static_cast<const uint8_t*>(data);
  if (IsPacked(dst.dtype())) {
    PackView(dst, packed);
  } else if (dst.IsContiguous()) {
    std::memcpy(MutableFirstElement(dst), packed, ByteSize(dst));
  } else {
    ScatterStrided(LayoutOf(dst), packed, MutableFirstElement(dst));
  }
}

namespace {
bool PerBlock(const Tensor& tensor) { return tensor.storage()->quantizer().per_block(); }
}  // namespace

void Dequantize(const Tensor& tensor, float* out) {
  if (tensor.numel() == 0) return;
  if (PerBlock(tensor)) {
    if (!DequantizeRowBlocks(tensor, out))
      DequantizeBlocks(tensor, ComputeInts(tensor).data(), out);
    return;
  }
  std::vector<uint8_t> packed;
  const bool direct = tensor.IsContiguous() && IsComputeDType(tensor.dtype());
  if (!direct) packed = ComputeInts(tensor);
  const uint8_t* ints = direct ? FirstElement(tensor) : packed.data();
  const ElementParams params = tensor.Params();
  VisitComputeType(tensor.dtype(), [&](auto t) {
    using T = decltype(t);
    DequantizeRows(reinterpret_cast<const T*>(ints), params, out);
  });
}

void QuantizeInto(const Tensor& dst, const float* data) {
  if (dst.numel() == 0) return;
  // Whole rows of a per-block storage, any rounding: the row kernels.
  if (PerBlock(dst) && QuantizeRowBlocks(dst, data)) return;
  if (UsesGgufRounding(dst)) {
    WriteIntRepr(dst, QuantizeGguf(dst, data).data());
    return;
  }
  if (PerBlock(dst)) {
    std::vector<uint8_t> ints(ByteSize(dst));
    QuantizeBlocks(dst, data, ints.data());
    WriteIntRepr(dst, ints.data());
    return;
  }
  const ElementParams params = dst.Params();
  const DType dtype = dst.dtype();
  if (OnnxRounding(dst)) {
    const bool direct = dst.IsContiguous() && !IsPacked(dtype);
    std::vector<uint8_t> ints(direct ? 0 : ByteSize(dst));
    QuantizeOnnx(data, params, dtype, direct ? MutableFirstElement(dst) : ints.data());
    if (!direct) WriteIntRepr(dst, ints.data());
    return;
  }
  const bool direct = dst.IsContiguous() && IsComputeDType(dtype);
  const auto numel = static_cast<size_t>(dst.numel());
  std::vector<uint8_t> packed(direct ? 0 : numel * ElementSize(ComputeDType(dtype)));
  uint8_t* ints = direct ? MutableFirstElement(dst) : packed.data();
  VisitComputeType(dtype, [&](auto t) {
    using T = decltype(t);
    QuantizeRows(data, params, reinterpret_cast<T*>(ints));
  });
  if (direct) return;
  NarrowFromCompute(dtype, packed.data(), numel, packed.data());
  WriteIntRepr(dst, packed.data());
}

void Fill(const Tensor& dst, float value) {
  if (dst.numel() == 0) return;
  if (OnnxRounding(dst) || PerBlock(dst) || UsesGgufRounding(dst)) {
    QuantizeInto(dst, std::vector<float>(static_cast<size_t>(dst.numel()), value).data());
    return;
  }
  const ElementParams params = dst.Params();
  if (params.float_zero_points != nullptr) {
    QuantizeInto(dst, std::vector<float>(static_cast<size_t>(dst.numel()), value).data());
    return;
  }
  const auto numel = static_cast<size_t>(dst.numel());
  std::vector<uint8_t> packed(numel * ElementSize(ComputeDType(dst.dtype())));
  VisitComputeType(dst.dtype(), [&](auto t) {
    using T = decltype(t);
    T* out = reinterpret_cast<T*>(packed.data());
    for (size_t o = 0; o < params.outer; ++o) {
      for (size_t c = 0; c < params.channels; ++c) {
        const T q = kernels::scalar::QuantizeValue<T>(value, params.channel.inv_scales[c],
                                                      params.zero_point(c));
        for (size_t i = 0; i < params.inner; ++i) *out++ = q;
      }
    }
  });
  NarrowFromCompute(dst.dtype(), packed.data(), numel, packed.data());
  WriteIntRepr(dst, packed.data());
}

void Copy(const Tensor& dst, const Tensor& src) {
  if (dst.shape() != src.shape()) {
    Fail(ErrorKind::kShapeMismatch, "copy_: shapes differ: destination " +
                                        ShapeText(dst.shape(), ShapeStyle::kTuple) + ", source " +
                                        ShapeText(src.shape(), ShapeStyle::kTuple));
  }
  if (dst.dtype() != src.dtype()) {
    Fail(ErrorKind::kTypeMismatch, std::string("copy_: dtypes differ: destination ") +
                                       DTypeName(dst.dtype()) + ", source " +
                                       DTypeName(src.dtype()));
  }
  // A whole storage takes src's parameters; otherwise they must be dst's
  // own for the integers to be copied, else the values are requantized.
  Quantizer quantizer = src.EffectiveQuantizer();
  const bool takes_quantizer = dst.IsWholeStorage() && StorageCanTake(dst, quantizer);
  const bool blocks = PerBlock(dst) || PerBlock(src);
  if (!takes_quantizer && (blocks || !SameElementParams(dst.Params(), src.Params()))) {
    RequantizeInto(dst, src);
    return;
  }
  if (takes_quantizer && quantizer.per_channel()) {
    quantizer = quantizer.WithAxis(dst.base_dim(quantizer.axis()));
  }
  if (src.numel() == 0) {
    if (takes_quantizer) dst.storage()->set_quantizer(quantizer);
    return;
  }
  // The integers go straight across where the two share no storage; where
  // they do, src is read completely (into a buffer) before dst is written.
  const bool shared = src.storage() == dst.storage();
  if (!shared && dst.IsContiguous() && !IsPacked(dst.dtype())) {
    if (takes_quantizer) dst.storage()->set_quantizer(quantizer);
    IntRepr(src, MutableFirstElement(dst));
    return;
  }
  std::unique_ptr<uint8_t[]> packed;
  const bool direct = !shared && src.IsContiguous() && !IsPacked(src.dtype());
  const uint8_t* ints = direct ? FirstElement(src) : nullptr;
  if (!direct) {
    packed.reset(new uint8_t[ByteSize(src)]);
    IntRepr(src, packed.get());
    ints = packed.get();
  }
  if (takes_quantizer) dst.storage()->set_quantizer(quantizer);
  WriteIntRepr(dst, ints);
}

void RequantizeInto(const Tensor& dst, const Tensor& src) { MapInto(dst, src, nullptr); }

void MapInto(const Tensor& dst, const Tensor& src, const FloatMap& map,
             const float* inverse_scale) {
  if (inverse_scale != nullptr &&
      (!dst.IsContiguous() || dst.Params().channels != 1 || dst.Params().per_channel_arithmetic)) {
    throw std::logic_error("MapInto: an inverse scale needs a contiguous per-tensor result");
  }
  // 16 Ki floats (64 KiB) stay in the L2 cache between the passes.
  constexpr int64_t kChunkElements = int64_t{1} << 14;
  const int64_t numel = src.numel();
  if (numel == 0) return;
  if (src.storage() == dst.storage()) {  // src is read whole before any write
    std::unique_ptr<float[]> values(new float[static_cast<size_t>(numel)]);
    Dequantize(src, values.get());
    if (map) map(values.get(), static_cast<size_t>(numel));
    QuantizeMapped(dst, values.get(), inverse_scale);
    return;
  }
  const int64_t capacity = std::min(numel, kChunkElements);
  std::unique_ptr<float[]> buffer(new float[static_cast<size_t>(capacity)]);
  MapThrough(dst, src, map, inverse_scale, buffer.get(), capacity);
}

Tensor Contiguous(const Tensor& tensor) {
  const bool starts_on_a_byte = tensor.offset() * ElementBits(tensor.dtype()) % 8 == 0;
  return tensor.IsContiguous() && starts_on_a_byte ? tensor : Clone(tensor);
}

Tensor Clone(const Tensor& tensor) {
  Tensor copy = [&] {
    if (PerBlock(tensor)) return Tensor::ForOverwrite(tensor.shape(), tensor.EffectiveQuantizer());
    const ElementParams params = tensor.Params();
    if (params.per_channel_arithmetic && params.channel_dim < 0) {
      // The view selected away the channel axis. Keep that one channel as a
      // size-1 base dim, selected away again, so the copy dequantizes with
      // the per-channel formula exactly like the view.
      std::vector<int64_t> base_shape = tensor.shape();
      base_shape.insert(base_shape.begin(), 1);
      const auto channel = tensor.ChannelOf(std::vector<int64_t>(tensor.ndim(), 0));
      const Quantizer one_channel =
          tensor.storage()->quantizer().OneChannel(static_cast<size_t>(channel)).WithAxis(0);
      return Tensor::ForOverwrite(base_shape, one_channel).Select(0, 0);
    }
    return Tensor::ForOverwrite(tensor.shape(), tensor.EffectiveQuantizer());
  }();
  if (IsPacked(tensor.dtype())) {
    std::vector<uint8_t> ints(ByteSize(tensor));
    IntRepr(tensor, ints.data());
    WriteIntRepr(copy, ints.data());
  } else {
    IntRepr(tensor, MutableFirstElement(copy));
  }
  return copy;
}

std::vector<int64_t> CheckedIndex(const Tensor& tensor, const std::vector<int64_t>& index) {
  if (index.size() != tensor.ndim()) {
    Fail(ErrorKind::kOutOfRange, "an index of " + std::to_string(index.size()) +
                                     " entries for a tensor of rank " +
                                     std::to_string(tensor.ndim()));
  }
  std::vector<int64_t> wrapped = index;
  for (size_t d = 0; d < index.size(); ++d) {
    const int64_t size = tensor.shape()[d];
    if (index[d] < -size || index[d] >= size) {
      Fail(ErrorKind::kOutOfRange, "index " + std::to_string(index[d]) +
                                       " is out of bounds for dimension " + std::to_string(d) +
                                       " with size " + std::to_string(size));
    }
    if (wrapped[d] < 0) wrapped[d] += size;
  }
  return wrapped;
}

namespace {

// One element's integer at a storage position: read in its compute dtype's
// form, written from its int_repr form (at most 4 bytes each).
void ReadElement(const Tensor& tensor, int64_t position, uint8_t* compute) {
  const DType dtype = tensor.dtype();
  alignas(4) uint8_t repr[4] = {};
  if (IsPacked(dtype)) {
    UnpackElements(dtype, tensor.storage()->bytes(), position, 1, repr);
  } else {
    std::memcpy(repr, tensor.storage()->bytes() + position * ElementSize(dtype),
                ElementSize(dtype));
  }
  WidenToCompute(dtype, repr, 1, compute);
}

void WriteElement(const Tensor& tensor, int64_t position, const uint8_t* repr) {
  const DType dtype = tensor.dtype();
  if (IsPacked(dtype)) {
    PackElements(dtype, repr, 1, tensor.storage()->mutable_bytes(), position);
  } else {
    std::memcpy(tensor.storage()->mutable_bytes() + position * ElementSize(dtype), repr,
                ElementSize(dtype));
  }
}

}  // namespace

float GetElement(const Tensor& tensor, const std::vector<int64_t>& index) {
  const std::vector<int64_t> at = CheckedIndex(tensor, index);
  const Quantizer& quantizer = tensor.storage()->quantizer();
  const kernels::ChannelParams channel =
      quantizer.KernelParams().From(static_cast<size_t>(tensor.ChannelOf(at)));
  alignas(4) uint8_t element[4] = {};
  ReadElement(tensor, tensor.PositionOf(at), element);
  float value = 0.0f;
  VisitComputeType(tensor.dtype(), [&](auto t) {
    using T = decltype(t);
    T q;
    std::memcpy(&q, element, sizeof q);
    if (quantizer.float_qparams()) {
      const auto c = static_cast<size_t>(tensor.ChannelOf(at));
      value = kernels::DequantizeFloatQParams(q, channel.float_scales[0],
                                              quantizer.float_zero_points()[c]);
    } else if (quantizer.per_channel()) {
      kernels::scalar::DequantizePerChannel(&q, 1, 1, 1, channel, &value);
    } else {
      kernels::scalar::DequantizePerTensor(&q, 1, channel.float_scales[0], channel.zero_points[0],
                                           &value);
    }
  });
  return value;
}

void SetElement(const Tensor& tensor, const std::vector<int64_t>& index, float value) {
  const std::vector<int64_t> at = CheckedIndex(tensor, index);
  const Quantizer& quantizer = tensor.storage()->quantizer();
  const auto c = static_cast<size_t>(tensor.ChannelOf(at));
  const kernels::ChannelParams channel = quantizer.KernelParams().From(c);
  alignas(4) uint8_t element[4] = {};
  if (UsesGgufRounding(tensor)) {
    element[0] = QuantizeGgufValue(tensor.dtype(), value, channel.float_scales[0]);
  } else if (quantizer.float_qparams()) {
    ElementParams one;
    one.channel = channel;
    one.float_zero_points = quantizer.float_zero_points().data() + c;
    VisitComputeType(tensor.dtype(), [&](auto t) {
      using T = decltype(t);
      T q;
      QuantizeFloatQParamsRows(&value, one, &q);
      std::memcpy(element, &q, sizeof q);
    });
    NarrowFromCompute(tensor.dtype(), element, 1, element);
  } else if (OnnxRounding(tensor)) {
    ElementParams one;
    one.channel = channel;
    QuantizeOnnx(&value, one, tensor.dtype(), element);
  } else {
    VisitComputeType(tensor.dtype(), [&](auto t) {
      using T = decltype(t);
      const T q =
          kernels::scalar::QuantizeValue<T>(value, channel.inv_scales[0], channel.zero_points[0]);
      std::memcpy(element, &q, sizeof q);
    });
    NarrowFromCompute(tensor.dtype(), element, 1, element);
  }
  WriteElement(tensor, tensor.PositionOf(at), element);
}

float Item(const Tensor& tensor) {
  if (tensor.numel() != 1) {
    Fail(ErrorKind::kShapeMismatch, "item(): a tensor with " + std::to_string(tensor.numel()) +
                                        " elements cannot be converted to a scalar");
  }
  return GetElement(tensor, std::vector<int64_t>(tensor.ndim(), 0));
}

namespace {

// The dequantized values of the elements repr shows, row-major: the whole
// tensor when it shows every element, else one element at a time, so that
// memory and time follow what is printed, not the tensor's size.
std::vector<float> ShownValues(const Tensor& tensor) {
  const std::vector<std::vector<int64_t>> indices = ShownIndices(tensor.shape());
  size_t count = 1;
  for (const std::vector<int64_t>& dim : indices) count *= dim.size();
  std::vector<float> values(count);
  if (count == static_cast<size_t>(tensor.numel())) {
    Dequantize(tensor, values.data());
    return values;
  }
  std::vector<size_t> odometer(indices.size(), 0);  // count > 0 here: no dim is empty
  std::vector<int64_t> index(indices.size());
  for (float& value : values) {
    for (size_t d = 0; d < indices.size(); ++d) index[d] = indices[d][odometer[d]];
    value = GetElement(tensor, index);
    for (size_t d = indices.size(); d-- > 0;) {
      if (++odometer[d] < indices[d].size()) break;
      odometer[d] = 0;
    }
  }
  return values;
}

}  // namespace

std::string ToString(const Tensor& tensor) {
  PrintableTensor printable;
  printable.shape = tensor.shape();
  printable.shown_values = ShownValues(tensor);
  printable.dtype_name = DTypeName(tensor.dtype());
  const Quantizer quantizer = tensor.EffectiveQuantizer();
  printable.per_channel = quantizer.per_channel() || quantizer.per_block();
  printable.block_size = quantizer.block_size();
  printable.float_zero_points = quantizer.float_zero_points();
  if (printable.per_channel) {
    printable.scales = quantizer.scales();
    printable.zero_points = quantizer.zero_points();
    printable.axis = quantizer.axis();
  } else {
    printable.scale = quantizer.scales()[0];
    printable.zero_point = quantizer.zero_points()[0];
  }
  return FormatQuantizedTensor(printable);
}

}  // namespace qtensor::core
