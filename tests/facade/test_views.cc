// Views of per-tensor and per-channel tensors: every element keeps its own
// parameters through any chain of views, and writes reach the base.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

using qtensor::Quantizer;
using qtensor::Tensor;

namespace {

// Which base element (row-major position) each element of a view is, kept
// beside each qtensor view as an explicit array, so that a reshape is a new
// shape over the same list.
struct ReferenceView {
  std::vector<int64_t> shape;
  std::vector<int64_t> positions;  // row-major over shape

  static ReferenceView Of(const std::vector<int64_t>& shape) {
    ReferenceView view{shape, std::vector<int64_t>(Count(shape))};
    for (size_t i = 0; i < view.positions.size(); ++i) view.positions[i] = static_cast<int64_t>(i);
    return view;
  }

  static int64_t Count(const std::vector<int64_t>& shape) {
    int64_t count = 1;
    for (int64_t s : shape) count *= s;
    return count;
  }

  // The element at a full index of this view.
  int64_t At(const std::vector<int64_t>& index) const {
    int64_t flat = 0;
    for (size_t d = 0; d < shape.size(); ++d) flat = flat * shape[d] + index[d];
    return positions[flat];
  }

  // A view of new_shape whose element at index is this view's element at
  // source(index).
  template <typename Source>
  ReferenceView Gather(const std::vector<int64_t>& new_shape, Source source) const {
    ReferenceView view{new_shape, {}};
    const int64_t count = Count(new_shape);
    std::vector<int64_t> index(new_shape.size(), 0);
    for (int64_t i = 0; i < count; ++i) {
      view.positions.push_back(At(source(index)));
      for (size_t d = new_shape.size(); d-- > 0;) {
        if (++index[d] < new_shape[d]) break;
        index[d] = 0;
      }
    }
    return view;
  }

  ReferenceView Select(int64_t d, int64_t at) const {
    std::vector<int64_t> new_shape = shape;
    new_shape.erase(new_shape.begin() + d);
    return Gather(new_shape, [&](std::vector<int64_t> index) {
      index.insert(index.begin() + d, at);
      return index;
    });
  }

  // Indices walked by Python's range(len)[start:stop:step], listed directly.
  ReferenceView Slice(int64_t d, int64_t start, int64_t stop, int64_t step) const {
    const int64_t length = shape[d];
    std::vector<int64_t> walked;
    auto normalize = [&](int64_t i) {
      if (i < 0) i += length;
      if (step > 0) return std::clamp<int64_t>(i, 0, length);
      return std::clamp<int64_t>(i, -1, length - 1);
    };
    const int64_t first = normalize(start);
    const int64_t last = normalize(stop);
    for (int64_t i = first; step > 0 ? i < last : i > last; i += step) walked.push_back(i);
    std::vector<int64_t> new_shape = shape;
    new_shape[d] = static_cast<int64_t>(walked.size());
    return Gather(new_shape, [&](std::vector<int64_t> index) {
      index[d] = walked[index[d]];
      return index;
    });
  }

  ReferenceView Permute(const std::vector<int64_t>& dims) const {
    std::vector<int64_t> new_shape(dims.size());
    for (size_t i = 0; i < dims.size(); ++i) new_shape[i] = shape[dims[i]];
    return Gather(new_shape, [&](const std::vector<int64_t>& index) {
      std::vector<int64_t> old(dims.size());
      for (size_t i = 0; i < dims.size(); ++i) old[dims[i]] = index[i];
      return old;
    });
  }

  // view / reshape / flatten / squeeze / unsqueeze: the same elements in the
  // same order under another shape.
  ReferenceView Reshape(const std::vector<int64_t>& new_shape) const {
    return ReferenceView{new_shape, positions};
  }

  std::vector<int64_t> Positions() const { return positions; }
};

// A view's int_repr as int64 values, whatever the dtype's int_repr type.
std::vector<int64_t> IntValues(const Tensor& view) {
  auto widen = [](const auto& ints) { return std::vector<int64_t>(ints.begin(), ints.end()); };
  switch (view.dtype()) {
    case QT_QINT32:
      return widen(view.int_repr<int32_t>());
    case QT_QINT16:
      return widen(view.int_repr<int16_t>());
    case QT_QINT4:
    case QT_QINT8:
      return widen(view.int_repr<int8_t>());
    default:
      return widen(view.int_repr<uint8_t>());
  }
}

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!SameBits(a[i], b[i])) return false;
  }
  return true;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string text;
  for (int64_t s : shape) text += (text.empty() ? "" : ",") + std::to_string(s);
  return text;
}

// A random shape holding the same elements: adjacent dims merged, a dim
// split by one of its divisors, size-1 dims added or removed, and maybe one
// size written as -1.
std::vector<int64_t> RandomReshape(std::mt19937& rng, std::vector<int64_t> shape) {
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int64_t changes = pick(1, 3); changes > 0; --changes) {
    const int64_t ndim = static_cast<int64_t>(shape.size());
    const int64_t kind = pick(0, 3);
    if (kind == 0 && ndim >= 2) {
      const int64_t d = pick(0, ndim - 2);
      shape[d] *= shape[d + 1];
      shape.erase(shape.begin() + d + 1);
    } else if (kind == 1 && ndim >= 1) {
      const int64_t d = pick(0, ndim - 1);
      std::vector<int64_t> divisors;
      for (int64_t k = 2; k < shape[d]; ++k) {
        if (shape[d] % k == 0) divisors.push_back(k);
      }
      if (divisors.empty()) continue;
      const int64_t k = divisors[pick(0, static_cast<int64_t>(divisors.size()) - 1)];
      shape[d] /= k;
      shape.insert(shape.begin() + d, k);
    } else if (kind == 2 && ndim < 6) {
      shape.insert(shape.begin() + pick(0, ndim), 1);
    } else if (ndim >= 1) {
      const int64_t d = pick(0, ndim - 1);
      if (shape[d] == 1) shape.erase(shape.begin() + d);
    }
  }
  bool empty = false;
  for (int64_t s : shape) empty = empty || s == 0;
  if (!shape.empty() && !empty && pick(0, 2) == 0) shape[pick(0, shape.size() - 1)] = -1;
  return shape;
}

// view, reshape, flatten, unsqueeze or squeeze, applied to both. A view that
// torch cannot make (strides) must fail with QT_ERR_SHAPE_MISMATCH and
// reshape then copies; merging or splitting a per-channel view's channel
// dim fails with QT_ERR_INVALID_ARGUMENT. Either leaves the view as it was.
void ShapeViewStep(std::mt19937& rng, Tensor& tensor, ReferenceView& ref, std::string& trail) {
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const int64_t ndim = static_cast<int64_t>(ref.shape.size());
  const int64_t kind = ndim == 0 ? 0 : pick(0, 4);
  if (kind == 0) {
    if (ndim >= 6) return;
    const int64_t d = pick(-ndim - 1, ndim);
    tensor = tensor.unsqueeze(d);
    std::vector<int64_t> shape = ref.shape;
    shape.insert(shape.begin() + (d < 0 ? d + ndim + 1 : d), 1);
    ref = ref.Reshape(shape);
    trail += " unsqueeze(" + std::to_string(d) + ")";
    return;
  }
  if (kind == 1) {
    std::vector<int64_t> shape;
    if (pick(0, 1) == 0) {
      for (int64_t s : ref.shape) {
        if (s != 1) shape.push_back(s);
      }
      tensor = tensor.squeeze();
      trail += " squeeze()";
    } else {
      const int64_t d = pick(0, ndim - 1);
      shape = ref.shape;
      if (shape[d] == 1) shape.erase(shape.begin() + d);
      tensor = tensor.squeeze(d - (pick(0, 1) ? ndim : 0));
      trail += " squeeze(" + std::to_string(d) + ")";
    }
    ref = ref.Reshape(shape);
    return;
  }
  std::vector<int64_t> requested;
  std::string call;
  int64_t start = 0, end = 0;
  if (kind == 2) {
    start = pick(0, ndim - 1);
    end = pick(start, ndim - 1);
    requested.assign(ref.shape.begin(), ref.shape.begin() + start);
    int64_t merged = 1;
    for (int64_t d = start; d <= end; ++d) merged *= ref.shape[d];
    requested.push_back(merged);
    requested.insert(requested.end(), ref.shape.begin() + end + 1, ref.shape.end());
    call = " flatten(" + std::to_string(start) + "," + std::to_string(end) + ")";
  } else {
    requested = RandomReshape(rng, ref.shape);
    call = " view(" + ShapeString(requested) + ")";
  }
  std::vector<int64_t> shape = requested;
  int64_t known = 1, unknown = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] < 0)
      unknown = static_cast<int64_t>(d);
    else
      known *= shape[d];
  }
  if (unknown >= 0) shape[unknown] = ReferenceView::Count(ref.shape) / known;
  const int64_t flatten_start = start - (pick(0, 1) ? ndim : 0);
  try {
    Tensor view = tensor.view(kind == 2 ? shape : requested);
    if (kind == 2) view = tensor.flatten(flatten_start, end);
    CHECK(view.shares_storage_with(tensor));
    CHECK(tensor.reshape(requested).shares_storage_with(tensor));
    tensor = view;
    ref = ref.Reshape(shape);
    trail += call;
  } catch (const qtensor::Error& e) {
    CAPTURE(trail + call);
    if (e.status() == QT_ERR_SHAPE_MISMATCH) {
      const Tensor copy = tensor.reshape(requested);
      CHECK_FALSE(copy.shares_storage_with(tensor));
      CHECK(copy.sizes() == shape);
      CHECK(IntValues(copy) == IntValues(tensor));
      CHECK(SameBits(copy.dequantize(), tensor.dequantize()));
      if (kind == 2) {
        const Tensor flat = tensor.flatten(flatten_start, end);
        CHECK_FALSE(flat.shares_storage_with(tensor));
        CHECK(IntValues(flat) == IntValues(tensor));
      }
    } else {
      CHECK(e.status() == QT_ERR_INVALID_ARGUMENT);
      CHECK((tensor.qscheme() == QT_PER_CHANNEL_AFFINE ||
             tensor.qscheme() == QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS));
      CHECK_THROWS_AS(tensor.reshape(requested), qtensor::Error);
    }
  }
}

// Applies one random view op to both the tensor and its reference.
void RandomViewStep(std::mt19937& rng, Tensor& tensor, ReferenceView& ref, std::string& trail) {
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const int64_t ndim = static_cast<int64_t>(ref.shape.size());
  if (ndim == 0 || pick(0, 9) < 4) {
    ShapeViewStep(rng, tensor, ref, trail);
    return;
  }
  const int64_t d = pick(0, ndim - 1);
  switch (pick(0, 4)) {
    case 0: {
      if (ref.shape[d] == 0 || ndim == 1) return;
      const int64_t index = pick(-ref.shape[d], ref.shape[d] - 1);
      tensor = tensor.select(d - (pick(0, 1) ? ndim : 0), index);
      ref = ref.Select(d, index < 0 ? index + ref.shape[d] : index);
      trail += " select(" + std::to_string(d) + "," + std::to_string(index) + ")";
      return;
    }
    case 1:
    case 2: {
      int64_t step = pick(-3, 3);
      if (step == 0) step = 1;
      const int64_t start = pick(-ref.shape[d] - 2, ref.shape[d] + 2);
      const int64_t stop = pick(-ref.shape[d] - 2, ref.shape[d] + 2);
      tensor = tensor.slice(d, start, stop, step);
      ref = ref.Slice(d, start, stop, step);
      trail += " slice(" + std::to_string(d) + "," + std::to_string(start) + "," +
               std::to_string(stop) + "," + std::to_string(step) + ")";
      return;
    }
    case 3: {
      const int64_t e = pick(0, ndim - 1);
      std::vector<int64_t> dims(ndim);
      for (int64_t i = 0; i < ndim; ++i) dims[i] = i;
      std::swap(dims[d], dims[e]);
      tensor = tensor.transpose(d, e);
      ref = ref.Permute(dims);
      trail += " transpose(" + std::to_string(d) + "," + std::to_string(e) + ")";
      return;
    }
    default: {
      std::vector<int64_t> dims(ndim);
      for (int64_t i = 0; i < ndim; ++i) dims[i] = i;
      std::shuffle(dims.begin(), dims.end(), rng);
      tensor = tensor.permute(dims);
      ref = ref.Permute(dims);
      trail += " permute";
      return;
    }
  }
}

std::vector<float> RandomFloats(std::mt19937& rng, size_t n) {
  std::normal_distribution<float> normal(0.0f, 3.0f);
  std::vector<float> values(n);
  for (float& v : values) v = normal(rng);
  return values;
}

// What each element of a view dequantizes to, recomputed from its int_repr
// and its effective quantizer with docs/numerics.md's formulas (per block:
// the per-tensor formula with the element's block's parameters, laid out
// as ONNX lays them out; float qparams: PyTorch's float formula, and a
// view that selected the channel axis away has one channel and no axis).
std::vector<float> DequantizeByQuantizer(const Tensor& view, bool per_channel_arithmetic) {
  const std::vector<int64_t> ints = IntValues(view);
  const Quantizer quantizer = view.quantizer();
  const std::vector<int64_t> shape = view.sizes();
  std::vector<float> values(ints.size());
  int64_t inner = 1, axis = -1, block = 1;
  const bool float_qparams = quantizer.qscheme() == QT_PER_CHANNEL_AFFINE_FLOAT_QPARAMS;
  const bool no_axis =
      float_qparams && view.q_num_channels() == 1 && quantizer.num_channels() == 1 && [&] {
        try {
          quantizer.axis();
          return false;
        } catch (const qtensor::Error&) {
          return true;
        }
      }();
  if (quantizer.qscheme() != QT_PER_TENSOR_AFFINE && !no_axis) {
    axis = quantizer.axis();
    for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  }
  if (quantizer.qscheme() == QT_PER_BLOCK_AFFINE) block = quantizer.block_size();
  const std::vector<double> scales = quantizer.scales();
  const std::vector<int64_t> zero_points =
      float_qparams ? std::vector<int64_t>(scales.size()) : quantizer.zero_points();
  const std::vector<float> float_zero_points =
      float_qparams ? quantizer.float_zero_points() : std::vector<float>();
  for (size_t i = 0; i < ints.size(); ++i) {
    size_t p = 0;
    if (axis >= 0) {
      const auto k = static_cast<int64_t>(i);
      const int64_t size = shape[axis], blocks = (size + block - 1) / block;
      const int64_t o = k / (size * inner), a = k / inner % size, r = k % inner;
      p = static_cast<size_t>((o * blocks + a / block) * inner + r);
      if (quantizer.qscheme() != QT_PER_BLOCK_AFFINE) p = static_cast<size_t>(a);
    }
    if (float_qparams) {
      const float centered = static_cast<float>(ints[i]) - float_zero_points[p];
      values[i] = centered * static_cast<float>(scales[p]);
      continue;
    }
    const int64_t centered = ints[i] - zero_points[p];
    values[i] = per_channel_arithmetic
                    ? static_cast<float>(static_cast<double>(centered) * scales[p])
                    : static_cast<float>(centered) * static_cast<float>(scales[p]);
  }
  return values;
}

}  // namespace

TEST_CASE("every chain of views dequantizes bit for bit like its base") {
  std::mt19937 rng(1234);
  const std::vector<std::vector<int64_t>> shapes = {{5}, {4, 6}, {3, 5, 4}, {2, 3, 4, 5}};
  for (int trial = 0; trial < 1000; ++trial) {
    const std::vector<int64_t>& shape = shapes[trial % shapes.size()];
    int64_t numel = 1;
    for (int64_t s : shape) numel *= s;
    const std::vector<float> data = RandomFloats(rng, numel);
    // Every fourth trial per block, a third per channel (a fifth of those
    // with PyTorch's float qparams), the rest per tensor; the dtypes rotate
    // through 32-, 16- and 4-bit ones (float qparams: its four).
    const bool per_block = trial % 4 == 3;
    const bool per_channel = !per_block && trial % 3 != 0;
    const bool float_qparams = per_channel && trial % 5 == 1;
    const qt_dtype dtypes[] = {QT_QINT32, QT_QINT16, QT_QUINT4X2, QT_QINT4};
    const qt_dtype float_dtypes[] = {QT_QUINT8, QT_QINT8, QT_QUINT4X2, QT_QUINT2X4};
    const qt_dtype dtype = (float_qparams ? float_dtypes : dtypes)[(trial / 5) % 4];
    const int64_t axis = static_cast<int64_t>(trial % shape.size());
    const int64_t block = 1 + trial % 3;
    const int64_t blocks = (shape[axis] + block - 1) / block;
    const int64_t count = per_block ? numel / shape[axis] * blocks : shape[axis];
    std::vector<double> scales;
    std::vector<int64_t> zero_points;
    for (int64_t c = 0; c < count; ++c) {
      scales.push_back(0.01 * (c % 7 + 1) + 0.003 * c * c);
      zero_points.push_back(dtype == QT_QUINT4X2 ? c % 16
                            : dtype == QT_QINT4  ? c % 8 - 4
                                                 : c * 7 - 10);
    }
    std::vector<float> float_scales, float_zero_points;
    for (int64_t c = 0; c < count; ++c) {
      float_scales.push_back(static_cast<float>(scales[c]));
      float_zero_points.push_back(static_cast<float>(c) * 2.75f - 3.5f);
    }
    const Tensor base =
        float_qparams ? Tensor::Quantize(data, shape,
                                         Quantizer::PerChannelFloatQParams(dtype, float_scales,
                                                                           float_zero_points, axis))
        : per_block   ? Tensor::Quantize(data, shape,
                                         Quantizer::PerBlock(dtype, scales, zero_points, axis, block))
        : per_channel
            ? Tensor::QuantizePerChannel(data, shape, scales, zero_points, axis, dtype)
            : Tensor::QuantizePerTensor(data, shape, 0.037, dtype == QT_QUINT4X2 ? 3 : -3, dtype);
    const std::vector<float> base_values = base.dequantize();

    Tensor view = base;
    ReferenceView ref = ReferenceView::Of(shape);
    std::string trail = std::string(qt_dtype_name(dtype)) +
                        (float_qparams ? " float_qparams axis " + std::to_string(axis)
                         : per_block   ? " per_block axis " + std::to_string(axis)
                         : per_channel ? " per_channel axis " + std::to_string(axis)
                                       : " per_tensor");
    const int steps = 1 + trial % 7;
    for (int s = 0; s < steps; ++s) RandomViewStep(rng, view, ref, trail);
    CAPTURE(trail);

    REQUIRE(view.sizes() == ref.shape);
    CHECK(view.shares_storage_with(base));
    const std::vector<int64_t> positions = ref.Positions();
    const std::vector<float> view_values = view.dequantize();
    REQUIRE(view_values.size() == positions.size());
    const std::vector<int64_t> base_ints = IntValues(base);
    const std::vector<int64_t> view_ints = IntValues(view);
    bool same = true;
    for (size_t i = 0; i < positions.size(); ++i) {
      same = same && SameBits(view_values[i], base_values[positions[i]]) &&
             view_ints[i] == base_ints[positions[i]];
    }
    CHECK(same);

    // The effective quantizer explains every value of the view.
    const std::vector<float> explained = DequantizeByQuantizer(view, per_channel);
    CHECK(SameBits(explained, view_values));

    // contiguous() and clone() keep the values, bit for bit.
    const std::vector<float> copied = view.contiguous().dequantize();
    const std::vector<float> cloned = view.clone().dequantize();
    CHECK(SameBits(copied, view_values));
    CHECK(SameBits(cloned, view_values));
    CHECK(view.clone().is_contiguous());
    CHECK_FALSE(view.clone().shares_storage_with(base));
  }
}

TEST_CASE("per-channel views report their own channel axis and parameters") {
  std::mt19937 rng(7);
  const std::vector<float> data = RandomFloats(rng, 2 * 3 * 4);
  const std::vector<double> scales = {0.1, 0.2, 0.3, 0.4};
  const std::vector<int64_t> zero_points = {1, 2, 3, 4};
  const Tensor q = Tensor::QuantizePerChannel(data, {2, 3, 4}, scales, zero_points, 2, QT_QINT8);

  SUBCASE("select before the axis shifts it down") {
    const Tensor s = q.select(0, 1);
    CHECK(s.qscheme() == QT_PER_CHANNEL_AFFINE);
    CHECK(s.q_per_channel_axis() == 1);
    CHECK(s.q_per_channel_scales() == scales);
  }
  SUBCASE("select after the axis keeps it (PyTorch 1.13 reports -1)") {
    const Tensor s =
        Tensor::QuantizePerChannel(data, {2, 3, 4}, {0.5, 0.25}, {0, 0}, 0, QT_QINT8).select(1, 2);
    CHECK(s.q_per_channel_axis() == 0);
    CHECK(s.q_per_channel_scales() == std::vector<double>{0.5, 0.25});
  }
  SUBCASE("transpose and permute move the axis") {
    CHECK(q.transpose(0, 2).q_per_channel_axis() == 0);
    CHECK(q.permute({2, 0, 1}).q_per_channel_axis() == 0);
    CHECK(q.permute({1, 2, 0}).q_per_channel_axis() == 1);
  }
  SUBCASE("a stepped, reversed slice of the channel axis picks those channels") {
    const Tensor s = q.slice(2, INT64_MAX, INT64_MIN, -2);
    CHECK(s.q_num_channels() == 2);
    CHECK(q.q_num_channels() == 4);
    CHECK(s.q_per_channel_scales() == std::vector<double>{0.4, 0.2});
    CHECK(s.q_per_channel_zero_points() == std::vector<int64_t>{4, 2});
  }
  SUBCASE("one channel left by slicing stays per-channel") {
    const Tensor s = q.narrow(2, 1, 1);
    CHECK(s.qscheme() == QT_PER_CHANNEL_AFFINE);
    CHECK(s.q_per_channel_scales() == std::vector<double>{0.2});
  }
  SUBCASE("selecting the channel axis away leaves a per-tensor view of that channel") {
    const Tensor s = q.select(2, -1);
    CHECK(s.qscheme() == QT_PER_TENSOR_AFFINE);
    CHECK(s.q_scale() == 0.4);
    CHECK(s.q_zero_point() == 4);
    CHECK_THROWS_AS(s.q_per_channel_axis(), qtensor::Error);
  }
}

TEST_CASE("writes through a view reach the base and nothing else") {
  const std::vector<float> data(12, 0.0f);
  const Tensor base =
      Tensor::QuantizePerChannel(data, {3, 4}, {0.5, 0.25, 0.125}, {0, 1, 2}, 0, QT_QUINT8);
  const Tensor column = base.select(1, 2);  // one element of each channel
  column.fill_(1.0f);
  const std::vector<uint8_t> ints = base.int_repr<uint8_t>();
  // 1.0 quantized with each row's own scale and zero point.
  CHECK(ints == std::vector<uint8_t>{0, 0, 2, 0, 1, 1, 5, 1, 2, 2, 10, 2});

  base.transpose(0, 1).set({3, 1}, 0.5f);
  CHECK(base.at({1, 3}) == 0.5f);
  CHECK(base.int_repr<uint8_t>()[7] == 3);

  base.slice(1, 0, 4, 2).fill_(-1.0f);  // saturates at 0 in every channel
  CHECK(base.int_repr<uint8_t>()[0] == 0);
  CHECK(base.int_repr<uint8_t>()[2] == 0);
  CHECK(base.int_repr<uint8_t>()[3] == 0);
}

TEST_CASE("copy_ follows docs/design.md") {
  const std::vector<float> values = {-1.6f, 4.0f, 7.0f, 3.3f, 6.6f, 8.6f};
  const Tensor q1 = Tensor::QuantizePerTensor(values, {2, 3}, 0.1, 0, QT_QINT8);

  SUBCASE("a whole contiguous destination takes the integers and parameters exactly") {
    const Tensor q2 = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 1.0, -1));
    const Tensor other_view = q2.transpose(0, 1);
    q2.copy_(q1);
    CHECK(q2.q_scale() == 0.1);
    CHECK(q2.q_zero_point() == 0);
    CHECK(q2.int_repr<int8_t>() == q1.int_repr<int8_t>());
    // Another view of the same storage sees the new meaning too.
    CHECK(other_view.q_scale() == 0.1);
    CHECK(other_view.at({2, 1}) == q1.at({1, 2}));
  }
  SUBCASE("a whole destination takes a per-channel source's parameters in its own numbering") {
    const Tensor pc =
        Tensor::QuantizePerChannel(values, {3, 2}, {0.1, 0.2, 0.3}, {0, 1, 2}, 0, QT_QINT8)
            .transpose(0, 1);
    const Tensor dst = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QINT8, 1.0, 0));
    dst.copy_(pc);
    CHECK(dst.qscheme() == QT_PER_CHANNEL_AFFINE);
    CHECK(dst.q_per_channel_axis() == 1);
    const std::vector<float> a = dst.dequantize();
    const std::vector<float> b = pc.dequantize();
    CHECK(SameBits(a, b));
  }
  SUBCASE("a partial view requantizes into its own parameters; the rest keeps its meaning") {
    const Tensor big =
        Tensor::QuantizePerTensor(std::vector<float>(12, 2.0f), {4, 3}, 0.5, 0, QT_QINT8);
    const Tensor rows = big.slice(0, 1, 3);
    rows.copy_(q1);
    CHECK(big.q_scale() == 0.5);
    CHECK(rows.q_scale() == 0.5);
    // -1.6 -> -1.5 (nearest multiple of 0.5 from q1's -1.6), 3.3 -> 3.5, 8.6 -> 8.5.
    CHECK(big.dequantize() == std::vector<float>{2, 2, 2, -1.5f, 4, 7, 3.5f, 6.5f, 8.5f, 2, 2, 2});
  }
  SUBCASE("a large partial view is requantized chunk by chunk, each element right") {
    std::vector<float> values(300 * 301);
    for (size_t i = 0; i < values.size(); ++i) values[i] = 0.013f * static_cast<float>(i % 977) - 6;
    const Tensor src = Tensor::QuantizePerTensor(values, {300, 301}, 0.1, 3, QT_QINT8);
    const Tensor big = Tensor::QuantizePerTensor(std::vector<float>(600 * 301, 1.0f), {600, 301},
                                                 0.37, -2, QT_QINT8);
    big.slice(0, 1, 600, 2).copy_(src);
    const Tensor expected =
        Tensor::QuantizePerTensor(src.dequantize(), {300, 301}, 0.37, -2, QT_QINT8);
    CHECK(big.slice(0, 1, 600, 2).int_repr<int8_t>() == expected.int_repr<int8_t>());
    const std::vector<int8_t> untouched = big.slice(0, 0, 600, 2).int_repr<int8_t>();
    CHECK(std::all_of(untouched.begin(), untouched.end(), [](int8_t q) { return q == 1; }));
  }
  SUBCASE("a per-channel partial view requantizes per channel") {
    const Tensor pc = Tensor::QuantizePerChannel(std::vector<float>(6, 0.0f), {2, 3},
                                                 {0.1, 1.0, 10.0}, {0, 0, 0}, 1, QT_QINT32);
    pc.select(0, 1).copy_(
        Tensor::QuantizePerTensor({12.34f, 12.34f, 12.34f}, {3}, 0.01, 0, QT_QINT32));
    CHECK(pc.int_repr<int32_t>() == std::vector<int32_t>{0, 0, 0, 123, 12, 1});
    CHECK(pc.q_per_channel_scales() == std::vector<double>{0.1, 1.0, 10.0});
  }
  SUBCASE("source and destination may overlap") {
    const Tensor square = Tensor::QuantizePerTensor({1, 2, 3, 4}, {2, 2}, 1.0, 0, QT_QINT8);
    square.slice(0, 0, 2).copy_(square.transpose(0, 1));
    CHECK(square.int_repr<int8_t>() == std::vector<int8_t>{1, 3, 2, 4});
  }
  SUBCASE("from float data, quantized with the destination's parameters") {
    const Tensor dst = Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QUINT8, 0.5, 10));
    dst.copy_(std::vector<float>{0, 1, 2, 3, -100, 1000});
    CHECK(dst.int_repr<uint8_t>() == std::vector<uint8_t>{10, 12, 14, 16, 0, 255});
  }
  SUBCASE("shape and dtype must match") {
    const Tensor wrong_shape = Tensor::EmptyQuantized({3, 2}, Quantizer::PerTensor(QT_QINT8, 1, 0));
    const Tensor wrong_dtype =
        Tensor::EmptyQuantized({2, 3}, Quantizer::PerTensor(QT_QUINT8, 1, 0));
    try {
      wrong_shape.copy_(q1);
      FAIL("no error");
    } catch (const qtensor::Error& e) {
      CHECK(e.status() == QT_ERR_SHAPE_MISMATCH);
    }
    try {
      wrong_dtype.copy_(q1);
      FAIL("no error");
    } catch (const qtensor::Error& e) {
      CHECK(e.status() == QT_ERR_TYPE_MISMATCH);
    }
  }
}

TEST_CASE("slicing clamps like Python and steps like NumPy") {
  const Tensor q = Tensor::MakePerTensorQuantized(std::vector<int8_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9},
                                                  {10}, 1.0, 0);
  auto ints = [](const Tensor& t) { return t.int_repr<int8_t>(); };
  CHECK(ints(q.slice(0, -3, 100)) == std::vector<int8_t>{7, 8, 9});
  CHECK(ints(q.slice(0, -100, 2)) == std::vector<int8_t>{0, 1});
  CHECK(ints(q.slice(0, 1, 9, 3)) == std::vector<int8_t>{1, 4, 7});
  CHECK(ints(q.slice(0, INT64_MAX, INT64_MIN, -1)) ==
        std::vector<int8_t>{9, 8, 7, 6, 5, 4, 3, 2, 1, 0});
  CHECK(ints(q.slice(0, 8, 2, -3)) == std::vector<int8_t>{8, 5});
  CHECK(q.slice(0, 5, 2).numel() == 0);
  CHECK(q.slice(0, 0, 10, INT64_MAX).numel() == 1);
  CHECK(ints(q.narrow(0, -4, 2)) == std::vector<int8_t>{6, 7});
  CHECK(q.slice(0, 0, 10, 2).strides() == std::vector<int64_t>{2});
  CHECK(q.slice(0, 3, 10).storage_offset() == 3);
  CHECK_THROWS_AS(q.slice(0, 0, 1, 0), qtensor::Error);
  CHECK_THROWS_AS(q.narrow(0, 8, 3), qtensor::Error);
  CHECK_THROWS_AS(q.select(0, 10), qtensor::Error);
  CHECK_THROWS_AS(q.select(1, 0), qtensor::Error);
}

TEST_CASE("contiguous() of a contiguous view shares it; of a strided one copies") {
  const Tensor q = Tensor::QuantizePerTensor({1, 2, 3, 4, 5, 6}, {2, 3}, 1.0, 0, QT_QINT8);
  CHECK(q.contiguous().shares_storage_with(q));
  CHECK(q[1].contiguous().shares_storage_with(q));
  const Tensor t = q.transpose(0, 1);
  CHECK_FALSE(t.is_contiguous());
  const Tensor c = t.contiguous();
  CHECK(c.is_contiguous());
  CHECK_FALSE(c.shares_storage_with(q));
  CHECK(c.int_repr<int8_t>() == std::vector<int8_t>{1, 4, 2, 5, 3, 6});
  CHECK(c.strides() == std::vector<int64_t>{2, 1});
}
