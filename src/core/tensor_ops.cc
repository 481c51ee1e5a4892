#include "core/tensor_ops.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/error.h"
#include "core/parallel.h"
#include "core/print.h"
#include "core/shape.h"
#include "core/strided_copy.h"
#include "kernels/quantize_kernels.h"

namespace qtensor::core {
namespace {

StridedLayout LayoutOf(const Tensor& tensor) {
  return {ElementSize(tensor.dtype()), tensor.shape(), tensor.strides()};
}

size_t ByteSize(const Tensor& tensor) {
  return static_cast<size_t>(tensor.numel()) * ElementSize(tensor.dtype());
}

// Calls run(first, outer, first_channel, channels, inner) on parts of
// params' [outer][channels][inner] block that together cover it (first is a
// part's first element). That is the whole block at once, unless it is large
// and qt_set_num_threads asked for more threads (core/parallel.h): then the
// parts are rows of the outer dim, or with one row its channels, or with
// one channel runs of whole cache lines of its elements, each on a thread.
template <class Run>
void ForEachPart(const ElementParams& p, const Run& run) {
  const size_t n = p.outer * p.channels * p.inner;
  if (p.outer > 1) {
    const size_t parts = PartsFor(n, p.outer);
    RunParts(parts, [&](size_t k) {
      const size_t begin = Share(p.outer, k, parts), end = Share(p.outer, k + 1, parts);
      run(begin * p.channels * p.inner, end - begin, 0, p.channels, p.inner);
    });
  } else if (p.channels > 1) {
    const size_t parts = PartsFor(n, p.channels);
    RunParts(parts, [&](size_t k) {
      const size_t begin = Share(p.channels, k, parts), end = Share(p.channels, k + 1, parts);
      run(begin * p.inner, 1, begin, end - begin, p.inner);
    });
  } else {
    constexpr size_t kLine = 64;  // elements: whole lines of any output
    const size_t lines = (p.inner + kLine - 1) / kLine;
    const size_t parts = PartsFor(n, lines);
    RunParts(parts, [&](size_t k) {
      const size_t begin = std::min(p.inner, Share(lines, k, parts) * kLine);
      const size_t end = std::min(p.inner, Share(lines, k + 1, parts) * kLine);
      run(begin, 1, 0, 1, end - begin);
    });
  }
}

template <typename T>
void QuantizeRows(const float* in, const ElementParams& params, T* out) {
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

template <typename T>
void DequantizeRows(const T* in, const ElementParams& params, float* out) {
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
  if (!quantizer.per_channel()) return true;
  const int64_t b = dst.base_dim(quantizer.axis());
  return b >= 0 && dst.storage()->shape()[b] == dst.shape()[quantizer.axis()];
}

bool SameElementParams(const ElementParams& a, const ElementParams& b) {
  const size_t n = a.channels;
  return a.per_channel_arithmetic == b.per_channel_arithmetic && a.outer == b.outer &&
         a.channels == b.channels && a.inner == b.inner &&
         std::equal(a.channel.scales, a.channel.scales + n, b.channel.scales) &&
         std::equal(a.channel.zero_points, a.channel.zero_points + n, b.channel.zero_points);
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
                               reinterpret_cast<T*>(FirstElement(dst)));
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
  Tensor tensor = Tensor::ForOverwrite(shape, quantizer);
  if (expected > 0) std::memcpy(FirstElement(tensor), data, expected);
  return tensor;
}

void IntRepr(const Tensor& tensor, void* out) {
  if (tensor.numel() == 0) return;
  if (tensor.IsContiguous()) {
    std::memcpy(out, FirstElement(tensor), ByteSize(tensor));
  } else {
    GatherStrided(LayoutOf(tensor), FirstElement(tensor), static_cast<uint8_t*>(out));
  }
}

uint8_t* FirstElement(const Tensor& tensor) {
  return tensor.storage()->bytes() + tensor.offset() * ElementSize(tensor.dtype());
}

void WriteIntRepr(const Tensor& dst, const void* data) {
  if (dst.numel() == 0) return;
  const auto* packed = static_cast<const uint8_t*>(data);
  if (dst.IsContiguous()) {
    std::memcpy(FirstElement(dst), packed, ByteSize(dst));
  } else {
    ScatterStrided(LayoutOf(dst), packed, FirstElement(dst));
  }
}

void Dequantize(const Tensor& tensor, float* out) {
  if (tensor.numel() == 0) return;
  std::vector<uint8_t> packed;
  const uint8_t* ints = FirstElement(tensor);
  if (!tensor.IsContiguous()) {
    packed.resize(ByteSize(tensor));
    IntRepr(tensor, packed.data());
    ints = packed.data();
  }
  const ElementParams params = tensor.Params();
  VisitDType(tensor.dtype(), [&](auto t) {
    using T = decltype(t);
    DequantizeRows(reinterpret_cast<const T*>(ints), params, out);
  });
}

void QuantizeInto(const Tensor& dst, const float* data) {
  if (dst.numel() == 0) return;
  const ElementParams params = dst.Params();
  const bool direct = dst.IsContiguous();
  std::vector<uint8_t> packed(direct ? 0 : ByteSize(dst));
  uint8_t* ints = direct ? FirstElement(dst) : packed.data();
  VisitDType(dst.dtype(), [&](auto t) {
    using T = decltype(t);
    QuantizeRows(data, params, reinterpret_cast<T*>(ints));
  });
  if (!direct) ScatterStrided(LayoutOf(dst), packed.data(), FirstElement(dst));
}

void Fill(const Tensor& dst, float value) {
  if (dst.numel() == 0) return;
  const ElementParams params = dst.Params();
  std::vector<uint8_t> packed(ByteSize(dst));
  VisitDType(dst.dtype(), [&](auto t) {
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
  if (!takes_quantizer && !SameElementParams(dst.Params(), src.Params())) {
    RequantizeInto(dst, src);
    return;
  }
  if (takes_quantizer && quantizer.per_channel()) {
    quantizer = Quantizer::PerChannel(quantizer.dtype(), quantizer.scales(),
                                      quantizer.zero_points(), dst.base_dim(quantizer.axis()));
  }
  if (src.numel() == 0) {
    if (takes_quantizer) dst.storage()->set_quantizer(quantizer);
    return;
  }
  // The integers go straight across where the two share no storage; where
  // they do, src is read completely (into a buffer) before dst is written.
  const bool shared = src.storage() == dst.storage();
  if (!shared && dst.IsContiguous()) {
    if (takes_quantizer) dst.storage()->set_quantizer(quantizer);
    IntRepr(src, FirstElement(dst));
    return;
  }
  std::unique_ptr<uint8_t[]> packed;
  const uint8_t* ints = FirstElement(src);
  if (shared || !src.IsContiguous()) {
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

Tensor Contiguous(const Tensor& tensor) { return tensor.IsContiguous() ? tensor : Clone(tensor); }

Tensor Clone(const Tensor& tensor) {
  const ElementParams params = tensor.Params();
  Tensor copy = [&] {
    if (params.per_channel_arithmetic && params.channel_dim < 0) {
      // The view selected away the channel axis. Keep that one channel as a
      // size-1 base dim, selected away again, so the copy dequantizes with
      // the per-channel formula exactly like the view.
      std::vector<int64_t> base_shape = tensor.shape();
      base_shape.insert(base_shape.begin(), 1);
      const Quantizer one_channel =
          Quantizer::PerChannel(tensor.dtype(), params.Scales(), params.ZeroPoints(), 0);
      return Tensor::ForOverwrite(base_shape, one_channel).Select(0, 0);
    }
    return Tensor::ForOverwrite(tensor.shape(), tensor.EffectiveQuantizer());
  }();
  IntRepr(tensor, FirstElement(copy));
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

float GetElement(const Tensor& tensor, const std::vector<int64_t>& index) {
  const std::vector<int64_t> at = CheckedIndex(tensor, index);
  const Quantizer& quantizer = tensor.storage()->quantizer();
  const kernels::ChannelParams channel =
      quantizer.KernelParams().From(static_cast<size_t>(tensor.ChannelOf(at)));
  const uint8_t* element =
      tensor.storage()->bytes() + tensor.PositionOf(at) * ElementSize(tensor.dtype());
  float value = 0.0f;
  VisitDType(tensor.dtype(), [&](auto t) {
    using T = decltype(t);
    const T* q = reinterpret_cast<const T*>(element);
    if (quantizer.per_channel()) {
      kernels::scalar::DequantizePerChannel(q, 1, 1, 1, channel, &value);
    } else {
      kernels::scalar::DequantizePerTensor(q, 1, channel.float_scales[0], channel.zero_points[0],
                                           &value);
    }
  });
  return value;
}

void SetElement(const Tensor& tensor, const std::vector<int64_t>& index, float value) {
  const std::vector<int64_t> at = CheckedIndex(tensor, index);
  const kernels::ChannelParams channel =
      tensor.storage()->quantizer().KernelParams().From(static_cast<size_t>(tensor.ChannelOf(at)));
  uint8_t* element =
      tensor.storage()->bytes() + tensor.PositionOf(at) * ElementSize(tensor.dtype());
  VisitDType(tensor.dtype(), [&](auto t) {
    using T = decltype(t);
    *reinterpret_cast<T*>(element) =
        kernels::scalar::QuantizeValue<T>(value, channel.inv_scales[0], channel.zero_points[0]);
  });
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
  printable.per_channel = quantizer.per_channel();
  if (quantizer.per_channel()) {
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
