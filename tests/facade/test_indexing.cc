// index_select, repeat, empty_like, masked_fill_ and index_put_ through the
// facade: PyTorch 1.13's results (tests/data/index_golden.txt, written by
// tests/data/make_index_golden.py) bit for bit, then what PyTorch refuses:
// per-channel tensors (each element keeps its own channel), storage dtypes,
// views, and bad input.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "qtensor/qtensor.hpp"

using qtensor::Quantizer;
using qtensor::Tensor;

namespace {

// The integers of any dtype, widened.
std::vector<int64_t> Ints(const Tensor& t) {
  const size_t width = qtensor::dtype_size(t.dtype());
  std::vector<uint8_t> bytes(static_cast<size_t>(t.numel()) * width);
  if (!bytes.empty()) t.int_repr_into(bytes.data(), bytes.size());
  std::vector<int64_t> out;
  for (size_t i = 0; i < bytes.size(); i += width) {
    const uint8_t* p = &bytes[i];
    switch (t.dtype()) {
      case QT_QINT8:
      case QT_QINT4:
        out.push_back(static_cast<int8_t>(*p));
        break;
      case QT_QINT16: {
        int16_t v;
        std::memcpy(&v, p, 2);
        out.push_back(v);
        break;
      }
      case QT_QUINT16: {
        uint16_t v;
        std::memcpy(&v, p, 2);
        out.push_back(v);
        break;
      }
      case QT_QINT32: {
        int32_t v;
        std::memcpy(&v, p, 4);
        out.push_back(v);
        break;
      }
      default:
        out.push_back(*p);
    }
  }
  return out;
}

qt_dtype DTypeNamed(const std::string& name) {
  if (name == "qint8") return QT_QINT8;
  if (name == "quint8") return QT_QUINT8;
  REQUIRE(name == "qint32");
  return QT_QINT32;
}

// "QUANT RANK DIMS" of the golden file, then its data line.
struct GoldenTensor {
  qt_dtype dtype = QT_QINT8;
  double scale = 0;
  int64_t zero_point = 0;
  std::vector<int64_t> shape;
  std::vector<int64_t> ints;

  void Read(std::istringstream& fields, std::istream& file) {
    std::string dtype_name, scale_text;
    size_t rank = 0;
    fields >> dtype_name >> scale_text >> zero_point >> rank;
    dtype = DTypeNamed(dtype_name);
    scale = std::strtod(scale_text.c_str(), nullptr);
    shape.resize(rank);
    for (int64_t& size : shape) fields >> size;
    std::string line, keyword;
    std::getline(file, line);
    std::istringstream data(line);
    data >> keyword;
    REQUIRE(keyword == "data");
    int64_t value = 0;
    while (data >> value) ints.push_back(value);
  }

  Tensor Make() const {
    std::vector<uint8_t> bytes;
    const size_t width = qtensor::dtype_size(dtype);
    for (int64_t v : ints) {
      uint8_t raw[4];
      const auto narrow = static_cast<int32_t>(v);
      std::memcpy(raw, &narrow, 4);  // little-endian: the low bytes first
      bytes.insert(bytes.end(), raw, raw + width);
    }
    return Tensor::FromIntRepr(bytes.data(), bytes.size(), shape,
                               Quantizer::PerTensor(dtype, scale, zero_point));
  }
};

std::vector<int64_t> ReadInts(std::istringstream& fields, size_t count) {
  std::vector<int64_t> values(count);
  for (int64_t& v : values) fields >> v;
  return values;
}

}  // namespace

TEST_CASE("index_select, repeat, masked_fill_ and index_put_ give PyTorch 1.13's integers") {
  std::ifstream file(QTENSOR_TEST_DATA_DIR "/index_golden.txt");
  REQUIRE(file.good());
  std::string line, name, op;
  GoldenTensor input, output;
  int cases = 0;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    std::string keyword;
    fields >> keyword;
    if (keyword == "case") {
      fields >> name;
      input = GoldenTensor{};
      output = GoldenTensor{};
    } else if (keyword == "input") {
      input.Read(fields, file);
    } else if (keyword == "output") {
      output.Read(fields, file);
    } else if (keyword == "index_select" || keyword == "repeat" || keyword == "masked_fill" ||
               keyword == "index_put") {
      op = line;
    } else if (keyword == "end") {
      CAPTURE(name);
      const Tensor q = input.Make();
      std::istringstream args(op);
      args >> keyword;
      Tensor result = q;
      if (keyword == "index_select") {
        int64_t dim = 0;
        size_t count = 0;
        args >> dim >> count;
        result = q.index_select(dim, ReadInts(args, count));
      } else if (keyword == "repeat") {
        size_t count = 0;
        args >> count;
        result = q.repeat(ReadInts(args, count));
      } else if (keyword == "masked_fill") {
        std::string value;
        args >> value;
        std::vector<int64_t> bits = ReadInts(args, static_cast<size_t>(q.numel()));
        std::unique_ptr<bool[]> mask(new bool[bits.size()]);
        for (size_t i = 0; i < bits.size(); ++i) mask[i] = bits[i] != 0;
        result = q.clone();
        result.masked_fill_(mask.get(), bits.size(),
                            static_cast<float>(std::strtod(value.c_str(), nullptr)));
      } else {
        int64_t dim = 0;
        size_t count = 0;
        args >> dim >> count;
        const std::vector<int64_t> indices = ReadInts(args, count);
        std::vector<float> values;
        std::string value;
        while (args >> value)
          values.push_back(static_cast<float>(std::strtod(value.c_str(), nullptr)));
        result = q.clone();
        result.index_put_(dim, indices, values);
      }
      CHECK(result.sizes() == output.shape);
      CHECK(result.dtype() == output.dtype);
      CHECK(result.q_scale() == output.scale);
      CHECK(result.q_zero_point() == output.zero_point);
      CHECK(Ints(result) == output.ints);
      ++cases;
    }
  }
  CHECK(cases == 45);
}

namespace {

// A 3x4x5 per-channel tensor along axis, with distinct parameters per channel.
Tensor PerChannel(int64_t axis, qt_dtype dtype = QT_QINT8) {
  const std::vector<int64_t> shape{3, 4, 5};
  std::vector<float> data(60);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 13) * 0.37f - 2.0f;
  const auto channels = static_cast<size_t>(shape[static_cast<size_t>(axis)]);
  std::vector<double> scales;
  std::vector<int64_t> zero_points;
  for (size_t c = 0; c < channels; ++c) {
    scales.push_back(0.01 + 0.013 * static_cast<double>(c));
    zero_points.push_back(static_cast<int64_t>(c * 3 % 7));
  }
  return Tensor::QuantizePerChannel(data, shape, scales, zero_points, axis, dtype);
}

}  // namespace

TEST_CASE("index_select along a per-channel axis picks the channels' parameters") {
  const Tensor q = PerChannel(1);
  const Tensor r = q.index_select(1, {3, 0, 3});
  CHECK(r.sizes() == std::vector<int64_t>{3, 3, 5});
  CHECK(r.q_per_channel_axis() == 1);
  CHECK(r.q_per_channel_scales() == std::vector<double>{0.01 + 0.013 * 3, 0.01, 0.01 + 0.013 * 3});
  CHECK(r.q_per_channel_zero_points() == std::vector<int64_t>{2, 0, 2});
  // Every element is the source element, integer and value.
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t k = 0; k < 5; ++k) {
      CHECK(r.at({i, 0, k}) == q.at({i, 3, k}));
      CHECK(r.at({i, 1, k}) == q.at({i, 0, k}));
    }
  }
  CHECK(Ints(q.index_select(1, {})).empty());
  CHECK(q.index_select(1, {}).q_per_channel_scales().empty());
}

TEST_CASE("index_select and repeat off the channel axis keep every channel") {
  const Tensor q = PerChannel(2);
  const Tensor r = q.index_select(0, {2, 2});
  CHECK(r.q_per_channel_scales() == q.q_per_channel_scales());
  for (int64_t j = 0; j < 4; ++j) {
    for (int64_t k = 0; k < 5; ++k) CHECK(r.at({1, j, k}) == q.at({2, j, k}));
  }
  const Tensor tiled = q.repeat({1, 1, 2});
  CHECK(tiled.sizes() == std::vector<int64_t>{3, 4, 10});
  CHECK(tiled.q_per_channel_scales().size() == 10);
  for (int64_t k = 0; k < 5; ++k) CHECK(tiled.at({2, 3, k + 5}) == q.at({2, 3, k}));
  // A view without its channel dim keeps its channel and formula.
  const Tensor row = q.select(2, 4);
  const Tensor copy = row.repeat({2, 1, 1});
  for (int64_t i = 0; i < 3; ++i) CHECK(copy.at({1, i, 0}) == row.at({i, 0}));
}

TEST_CASE("masked_fill_ and index_put_ quantize with each element's own channel") {
  const Tensor q = PerChannel(1);
  const Tensor reference = q.clone();
  std::unique_ptr<bool[]> mask(new bool[60]);
  for (size_t i = 0; i < 60; ++i) mask[i] = i % 3 == 0;
  q.masked_fill_(mask.get(), 60, 0.77f);
  for (int64_t i = 0; i < 60; ++i) {
    const std::vector<int64_t> index{i / 20, i / 5 % 4, i % 5};
    if (i % 3 == 0) reference.set(index, 0.77f);
  }
  CHECK(Ints(q) == Ints(reference));
  std::vector<float> values(30);  // 3 x 2 x 5
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i) * 0.11f - 1.5f;
  q.index_put_(1, {2, -1}, values);
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t k = 0; k < 5; ++k) {
      reference.set({i, 2, k}, values[static_cast<size_t>(i * 10 + k)]);
      reference.set({i, 3, k}, values[static_cast<size_t>(i * 10 + 5 + k)]);
    }
  }
  CHECK(Ints(q) == Ints(reference));
}

TEST_CASE("the operators work on views and write through them") {
  const Tensor q = PerChannel(0, QT_QUINT8);
  const Tensor view = q.transpose(0, 2).slice(1, 3, INT64_MIN, -2);  // 5x2x3
  const Tensor r = view.index_select(2, {1});
  for (int64_t i = 0; i < 5; ++i) {
    for (int64_t j = 0; j < 2; ++j) CHECK(r.at({i, j, 0}) == view.at({i, j, 1}));
  }
  std::vector<float> values(10, 0.5f);  // 5 x 2 x 1
  view.index_put_(2, {1}, values);
  CHECK(q.at({1, 3, 0}) == view.at({0, 0, 1}));
  // 0.5 in channel 1 (scale 0.023, zero point 3): round(21.7) = 22 steps.
  CHECK(view.at({0, 0, 1}) == static_cast<float>(22 * 0.023));
  const Tensor empty = qtensor::empty_like(view);
  CHECK(empty.sizes() == view.sizes());
  CHECK(empty.q_per_channel_axis() == 2);
  CHECK(empty.q_per_channel_scales() == view.q_per_channel_scales());
  for (int64_t v : Ints(empty)) CHECK(v == 0);
}

TEST_CASE("storage dtypes take the same paths") {
  for (qt_dtype dtype : {QT_QINT16, QT_QUINT16, QT_QUINT4X2, QT_QUINT2X4, QT_QINT4, QT_QUINT4}) {
    CAPTURE(qtensor::dtype_name(dtype));
    std::vector<float> data(12);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>(i % 5);
    const Tensor q = Tensor::QuantizePerTensor(data, {3, 4}, 1.0, 0, dtype);
    const std::vector<int64_t> ints = Ints(q);
    const std::vector<int64_t> picked = Ints(q.index_select(1, {3, 0}));
    for (size_t i = 0; i < 3; ++i) {
      CHECK(picked[i * 2] == ints[i * 4 + 3]);
      CHECK(picked[i * 2 + 1] == ints[i * 4]);
    }
    const std::vector<int64_t> tiled = Ints(q.repeat({2, 1}));
    CHECK(std::vector<int64_t>(tiled.begin() + 12, tiled.end()) == ints);
    const Tensor filled = q.clone();
    bool mask[12] = {true};
    filled.masked_fill_(mask, 12, 1.0f);
    const std::vector<int64_t> filled_ints = Ints(filled);
    CHECK(filled_ints[0] == 1);
    CHECK(std::vector<int64_t>(filled_ints.begin() + 1, filled_ints.end()) ==
          std::vector<int64_t>(ints.begin() + 1, ints.end()));
    CHECK(Ints(qtensor::empty_like(q)) == std::vector<int64_t>(12, 0));
  }
}

TEST_CASE("bad input is an error with a message, and nothing is written") {
  const Tensor q = PerChannel(1);
  const std::vector<int64_t> before = Ints(q);
  auto status_of = [](auto call) {
    try {
      call();
    } catch (const qtensor::Error& error) {
      CHECK(std::string(error.what()).size() > 10);
      return error.status();
    }
    return QT_OK;
  };
  CHECK(status_of([&] { q.index_select(1, {4}); }) == QT_ERR_OUT_OF_RANGE);
  CHECK(status_of([&] { q.index_select(1, {-1}); }) == QT_ERR_OUT_OF_RANGE);
  CHECK(status_of([&] { q.index_select(3, {0}); }) == QT_ERR_OUT_OF_RANGE);
  CHECK(status_of([&] { q.repeat({2, 2}); }) == QT_ERR_INVALID_ARGUMENT);
  CHECK(status_of([&] { q.repeat({1, -1, 1}); }) == QT_ERR_INVALID_ARGUMENT);
  CHECK(status_of([&] { q.repeat({INT64_MAX, 1, 1}); }) == QT_ERR_OUT_OF_MEMORY);
  bool mask[59] = {};
  CHECK(status_of([&] { q.masked_fill_(mask, 59, 1.0f); }) == QT_ERR_SHAPE_MISMATCH);
  CHECK(status_of([&] { q.index_put_(1, {4}, std::vector<float>(15)); }) == QT_ERR_OUT_OF_RANGE);
  CHECK(status_of([&] { q.index_put_(1, {0}, std::vector<float>(14)); }) == QT_ERR_SHAPE_MISMATCH);
  CHECK(Ints(q) == before);
}
