// Bundles as ONNX models (src/io/onnx*.cc, docs/onnx.md): round trips of
// every dtype, scheme and scale type, views, 0-dim and empty tensors, the
// export's refusals, models built by hand (typed fields, packed and unpacked
// encodings, the forms ONNX allows that qtensor does not write), the corrupt
// files of tests/data/onnx_corrupt, and every truncation of a valid model.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "capi/handles.h"
#include "core/error.h"
#include "io/onnx.h"
#include "qtensor/qtensor.hpp"
#include "wire_builder.h"

using qtensor::Bundle;
using qtensor::Quantizer;
using qtensor::Tensor;

namespace {

int64_t QMin(qt_dtype dtype) {
  switch (dtype) {
    case QT_QINT8:
      return -128;
    case QT_QINT16:
      return -32768;
    case QT_QINT32:
      return -2147483647 - 1;
    case QT_QINT4:
      return -8;
    default:
      return 0;
  }
}

int64_t QMax(qt_dtype dtype) {
  switch (dtype) {
    case QT_QINT8:
      return 127;
    case QT_QUINT8:
      return 255;
    case QT_QINT16:
      return 32767;
    case QT_QUINT16:
      return 65535;
    case QT_QINT32:
      return 2147483647;
    case QT_QUINT2X4:
      return 3;
    case QT_QINT4:
      return 7;
    default:
      return 15;
  }
}

// Random integers over the dtype's range (qint32 within +-2^24, which ONNX
// dequantizes as qtensor does per channel too), the extremes first.
Tensor RandomTensor(qt_dtype dtype, const std::vector<int64_t>& shape, const Quantizer& q,
                    unsigned seed) {
  int64_t numel = 1;
  for (int64_t d : shape) numel *= d;
  const int64_t lo = dtype == QT_QINT32 ? -(1 << 24) : QMin(dtype);
  const int64_t hi = dtype == QT_QINT32 ? 1 << 24 : QMax(dtype);
  std::mt19937 rng(seed);
  std::vector<int64_t> values(static_cast<size_t>(numel));
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = i == 0 ? lo : i == 1 ? hi : lo + static_cast<int64_t>(rng() % (hi - lo + 1));
  }
  const size_t size = qt_dtype_size(dtype);
  std::vector<uint8_t> bytes(values.size() * size);
  for (size_t i = 0; i < values.size(); ++i) std::memcpy(&bytes[i * size], &values[i], size);
  return Tensor::FromIntRepr(bytes.data(), bytes.size(), shape, q);
}

std::vector<uint8_t> IntBytes(const Tensor& t) {
  std::vector<uint8_t> bytes(static_cast<size_t>(t.numel()) * qt_dtype_size(t.dtype()));
  t.int_repr_into(bytes.data(), bytes.size());
  return bytes;
}

// Bit patterns, so that -0 and NaN compare as ONNX Runtime's outputs would.
std::vector<uint32_t> Bits(const std::vector<float>& values) {
  std::vector<uint32_t> bits(values.size());
  if (!values.empty()) std::memcpy(bits.data(), values.data(), values.size() * 4);
  return bits;
}

Tensor RoundTrip(const Tensor& t) {
  Bundle bundle;
  bundle.set("t", t);
  const Bundle back = Bundle::deserialize_onnx(bundle.serialize_onnx());
  REQUIRE(back.size() == 1);
  REQUIRE(back.name(0) == "t");
  return back.get("t");
}

// What an export and import keeps: the integers, every parameter, the
// dequantized bits; the dtype and scale type as docs/onnx.md maps them, the
// rounding ONNX's (PyTorch's for qint32).
void CheckRoundTrip(const Tensor& t) {
  const Tensor back = RoundTrip(t);
  const Quantizer q = t.quantizer();
  const Quantizer got = back.quantizer();
  CHECK(back.sizes() == t.sizes());
  CHECK(back.dtype() == (t.dtype() == QT_QUINT4X2 ? QT_QUINT4 : t.dtype()));
  CHECK(IntBytes(back) == IntBytes(t));
  CHECK(got.qscheme() == q.qscheme());
  CHECK(got.scales() == q.scales());
  CHECK(got.zero_points() == q.zero_points());
  if (q.qscheme() != QT_PER_TENSOR_AFFINE) CHECK(got.axis() == q.axis());
  if (q.qscheme() == QT_PER_BLOCK_AFFINE) CHECK(got.block_size() == q.block_size());
  CHECK(got.scale_type() ==
        (q.scale_type() == QT_SCALE_FLOAT64 ? QT_SCALE_FLOAT32 : q.scale_type()));
  CHECK(got.rounding() == (t.dtype() == QT_QINT32 ? QT_ROUNDING_PYTORCH : QT_ROUNDING_ONNX));
  CHECK(Bits(back.dequantize()) == Bits(t.dequantize()));
}

// Scales exact in bfloat16 (so in every scale type) and zero points in range.
std::vector<double> Scales(size_t count) {
  std::vector<double> scales;
  for (size_t i = 0; i < count; ++i) scales.push_back(0.0078125 * static_cast<double>(i % 50 + 1));
  return scales;
}

std::vector<int64_t> ZeroPoints(qt_dtype dtype, size_t count) {
  std::vector<int64_t> zero_points;
  for (size_t i = 0; i < count; ++i) {
    zero_points.push_back(dtype == QT_QINT32 ? 0
                                             : QMin(dtype) + static_cast<int64_t>(i * 7) %
                                                                 (QMax(dtype) - QMin(dtype) + 1));
  }
  return zero_points;
}

const qt_dtype kDTypes[] = {QT_QINT8,  QT_QUINT8, QT_QINT16, QT_QUINT16,
                            QT_QINT32, QT_QINT4,  QT_QUINT4, QT_QUINT4X2};
const qt_scale_type kScaleTypes[] = {QT_SCALE_FLOAT64, QT_SCALE_FLOAT32, QT_SCALE_FLOAT16,
                                     QT_SCALE_BFLOAT16};

std::string ExportError(const Bundle& bundle) {
  try {
    bundle.serialize_onnx();
  } catch (const qtensor::Error& error) {
    CHECK(error.status() == QT_ERR_INVALID_ARGUMENT);
    return error.what();
  }
  return "(no error)";
}

std::string ImportError(const std::string& bytes) {
  try {
    qtensor::io::DecodeOnnxModel(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  } catch (const qtensor::core::Error& error) {
    CHECK(error.kind() == qtensor::core::ErrorKind::kCorruptData);
    return error.what();
  }
  return "(no error)";
}

// ---------------------------------------------------------------- models by hand
// Field numbers written out as literals (onnx.proto), independent of
// src/io/onnx_model.h.

std::string Dims(const std::vector<int64_t>& dims) {
  std::string out;
  for (int64_t d : dims) out += wire::VarintField(1, static_cast<uint64_t>(d));
  return out;
}

std::string RawInitializer(const std::string& name, int type, const std::vector<int64_t>& dims,
                           const std::string& raw) {
  return wire::BytesField(5, Dims(dims) + wire::VarintField(2, type) + wire::BytesField(8, name) +
                                 wire::BytesField(9, raw));
}

std::string IntAttribute(const std::string& name, int64_t value) {
  return wire::BytesField(5, wire::BytesField(1, name) +
                                 wire::VarintField(3, static_cast<uint64_t>(value)) +
                                 wire::VarintField(20, 2));
}

std::string Node(const std::string& op, const std::vector<std::string>& inputs,
                 const std::string& output, const std::string& attributes = "") {
  std::string node;
  for (const std::string& input : inputs) node += wire::BytesField(1, input);
  return wire::BytesField(
      1, node + wire::BytesField(2, output) + wire::BytesField(4, op) + attributes);
}

std::string Model(const std::string& graph, const std::string& extra = "") {
  return wire::VarintField(1, 10) + wire::BytesField(7, graph) +
         wire::BytesField(8, wire::VarintField(2, 21)) + extra;
}

std::string Floats(const std::vector<float>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * 4);
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("onnx: every dtype, scheme and scale type round-trips bit for bit") {
  for (qt_dtype dtype : kDTypes) {
    for (qt_scale_type scale_type : kScaleTypes) {
      CAPTURE(qt_dtype_name(dtype));
      CAPTURE(scale_type);
      const std::vector<int64_t> shape = {3, 5, 4};
      SUBCASE("per tensor") {
        const Quantizer q = Quantizer::PerTensor(dtype, 0.375, ZeroPoints(dtype, 3)[2]);
        CheckRoundTrip(RandomTensor(dtype, shape, q.with_scale_type(scale_type), 1));
      }
      for (int64_t axis : {0, 1, 2}) {
        CAPTURE(axis);
        const auto channels = static_cast<size_t>(shape[static_cast<size_t>(axis)]);
        const Quantizer q =
            Quantizer::PerChannel(dtype, Scales(channels), ZeroPoints(dtype, channels), axis);
        CheckRoundTrip(RandomTensor(dtype, shape, q.with_scale_type(scale_type), 2));
      }
      for (auto [axis, block] : {std::pair{1, 2}, std::pair{2, 4}, std::pair{0, 5}}) {
        CAPTURE(axis);
        CAPTURE(block);
        std::vector<int64_t> param_shape = shape;
        param_shape[static_cast<size_t>(axis)] =
            (shape[static_cast<size_t>(axis)] + block - 1) / block;
        const size_t count = static_cast<size_t>(param_shape[0] * param_shape[1] * param_shape[2]);
        const Quantizer q =
            Quantizer::PerBlock(dtype, Scales(count), ZeroPoints(dtype, count), axis, block);
        CheckRoundTrip(RandomTensor(dtype, shape, q.with_scale_type(scale_type), 3));
      }
    }
  }
}

TEST_CASE("onnx: float32 scales that bfloat16 cannot hold, and odd 4-bit lengths") {
  const Quantizer q = Quantizer::PerTensor(QT_QINT4, static_cast<double>(0.1F), -3);
  CheckRoundTrip(RandomTensor(QT_QINT4, {7}, q, 4));
  CheckRoundTrip(
      RandomTensor(QT_QUINT4, {3, 3},
                   Quantizer::PerChannel(QT_QUINT4, {0.1F, 1e-30F, 3e30F}, {1, 2, 15}, 1), 5));
}

TEST_CASE("onnx: views export their own elements with their own parameters") {
  const Tensor base =
      RandomTensor(QT_QINT8, {4, 5, 3},
                   Quantizer::PerChannel(QT_QINT8, Scales(5), ZeroPoints(QT_QINT8, 5), 1), 6);
  CheckRoundTrip(base.transpose(0, 1));
  CheckRoundTrip(base.slice(1, 4, INT64_MIN, -2));
  const Tensor selected = base.select(1, 2).slice(0, 1, 4, 2);
  CHECK(selected.qscheme() == QT_PER_TENSOR_AFFINE);
  CheckRoundTrip(selected);
  const Tensor blocked =
      RandomTensor(QT_QUINT4, {2, 9},
                   Quantizer::PerBlock(QT_QUINT4, Scales(6), ZeroPoints(QT_QUINT4, 6), 1, 4), 7);
  CheckRoundTrip(blocked.slice(1, 4, 9, 1));          // from a block boundary: blocks kept
  CheckRoundTrip(blocked.slice(1, 1, 8, 3));          // blocks of one
  CheckRoundTrip(blocked.select(0, 1).select(0, 5));  // 0-dim
  const Tensor int16 = RandomTensor(QT_QUINT16, {3, 4}, Quantizer::PerTensor(QT_QUINT16, 2, 7), 8);
  CheckRoundTrip(int16.transpose(0, 1).narrow(0, 1, 2));
}

TEST_CASE("onnx: 0-dim and empty tensors, metadata, order and names") {
  Bundle bundle;
  bundle.set("scalar", Tensor::MakePerTensorQuantized<int8_t>({-7}, {}, 0.25, 3));
  bundle.set("empty", Tensor::EmptyQuantized({0, 3}, Quantizer::PerTensor(QT_QUINT4, 1.0, 2)));
  bundle.set("no channels",
             Tensor::EmptyQuantized({0, 5}, Quantizer::PerChannel(QT_QINT8, {}, {}, 0)));
  bundle.set("a/b.weight", RandomTensor(QT_QINT8, {2}, Quantizer::PerTensor(QT_QINT8, 1, 0), 9));
  bundle.set_metadata("producer", "test");
  bundle.set_metadata("empty value", "");
  const Bundle back = Bundle::deserialize_onnx(bundle.serialize_onnx());
  REQUIRE(back.size() == 4);
  CHECK(back.name(0) == "scalar");
  CHECK(back.name(1) == "empty");
  CHECK(back.name(2) == "no channels");
  CHECK(back.name(3) == "a/b.weight");
  CHECK(back.get("scalar").dim() == 0);
  CHECK(back.get("scalar").int_repr<int8_t>() == std::vector<int8_t>{-7});
  CHECK(back.get("empty").sizes() == std::vector<int64_t>{0, 3});
  CHECK(back.get("empty").quantizer().zero_point() == 2);
  CHECK(back.get("no channels").qscheme() == QT_PER_CHANNEL_AFFINE);
  CHECK(back.metadata("producer") == "test");
  CHECK(back.metadata("empty value").empty());
  CHECK(back.metadata_size() == 2);
  CHECK(Bundle::deserialize_onnx(Bundle().serialize_onnx()).size() == 0);
}

TEST_CASE("onnx: float entries are initializers given as graph outputs, bit for bit, in order") {
  // float32: a NaN with a payload, -0.0, a subnormal; float16 and bfloat16
  // signalling NaNs and -0.0.
  const std::vector<uint32_t> f32 = {0x7fc00123u, 0x80000000u, 0x00000001u, 0x3fc00000u};
  const std::vector<uint16_t> f16 = {0x7c01, 0x8000, 0x0001}, bf16 = {0x7f81, 0x8000};
  Bundle bundle;
  bundle.set("q0", RandomTensor(QT_QINT8, {2}, Quantizer::PerTensor(QT_QINT8, 1, 0), 1));
  bundle.set_float("norm", f32.data(), 16, {2, 2}, QT_FLOAT32);
  bundle.set_float("emb", f16.data(), 6, {3}, QT_FLOAT16);
  bundle.set("q1", RandomTensor(QT_QUINT4, {3}, Quantizer::PerTensor(QT_QUINT4, 1, 2), 2));
  bundle.set_float("bf", bf16.data(), 4, {2}, QT_BFLOAT16);
  const Bundle back = Bundle::deserialize_onnx(bundle.serialize_onnx());
  REQUIRE(back.size() == 5);
  CHECK(back.names() == std::vector<std::string>{"q0", "norm", "emb", "q1", "bf"});
  for (const char* name : {"norm", "emb", "bf"}) {
    CAPTURE(name);
    REQUIRE(back.is_float(name));
    CHECK(back.float_dtype(name) == bundle.float_dtype(name));
    CHECK(back.float_shape(name) == bundle.float_shape(name));
    CHECK(back.float_data(name) == bundle.float_data(name));
  }
  CHECK(back.get("q1").int_repr<uint8_t>() == bundle.get("q1").int_repr<uint8_t>());
  CHECK(back.serialize_onnx() == bundle.serialize_onnx());

  // Float initializers that are not graph outputs are not entries; FLOAT in
  // float_data reads as raw_data does; a name clash with a DequantizeLinear
  // output is refused.
  const std::string output = wire::BytesField(12, wire::BytesField(1, "f"));
  const std::string typed =
      wire::BytesField(5, Dims({2}) + wire::VarintField(2, 1) + wire::BytesField(8, "f") +
                              wire::BytesField(4, Floats({1.5F, -2.0F})));
  const Bundle read =
      Bundle::deserialize_onnx(Model(typed + RawInitializer("g", 1, {1}, Floats({3.0F})) + output));
  REQUIRE(read.size() == 1);
  CHECK(read.float_values("f") == std::vector<float>{1.5F, -2.0F});
  const std::string x = RawInitializer("x", 3, {1}, std::string("\x01", 1));
  const std::string s = RawInitializer("s", 1, {}, Floats({0.5F}));
  CHECK_THROWS_WITH(
      Bundle::deserialize_onnx(Model(x + s + RawInitializer("f", 1, {1}, Floats({1})) +
                                     Node("DequantizeLinear", {"x", "s"}, "f") + output)),
      "ONNX model initializer \"f\": its name is also a DequantizeLinear output");
  CHECK_THROWS_WITH(
      Bundle::deserialize_onnx(Model(RawInitializer("f", 10, {3}, Floats({1})) + output)),
      "ONNX model initializer \"f\": raw_data has 4 bytes, expected 6 for 3 FLOAT16 values");
}

TEST_CASE("onnx: export refuses what ONNX cannot hold or would dequantize otherwise") {
  Bundle bundle;
  SUBCASE("quint2x4") {
    bundle.set("w", Tensor::EmptyQuantized({4}, Quantizer::PerTensor(QT_QUINT2X4, 1.0, 0)));
    CHECK(ExportError(bundle) ==
          "cannot export tensor 'w' to ONNX: ONNX has no type for quint2x4 (2-bit values)");
  }
  SUBCASE("a float64 scale that is not a float32 value") {
    bundle.set("w",
               Tensor::EmptyQuantized({2}, Quantizer::PerChannel(QT_QINT8, {0.5, 0.1}, {0, 0}, 0)));
    CHECK(ExportError(bundle).find("scale 1 (0.1) is not a float32 value") != std::string::npos);
  }
  SUBCASE("a qint32 zero point") {
    bundle.set("w", Tensor::EmptyQuantized({2}, Quantizer::PerTensor(QT_QINT32, 1.0, 1)));
    CHECK(ExportError(bundle).find("zero points must be 0") != std::string::npos);
  }
  SUBCASE("per-channel qint32 beyond 2^24") {
    const Tensor t = Tensor::FromIntRepr(std::vector<int32_t>{1, (1 << 24) + 1}, {2},
                                         Quantizer::PerChannel(QT_QINT32, {1, 1}, {0, 0}, 0));
    bundle.set("w", t);
    CHECK(ExportError(bundle).find("element 1 is 16777217, beyond 2^24") != std::string::npos);
    // The same value per tensor dequantizes alike in both.
    bundle.set("w", Tensor::FromIntRepr(std::vector<int32_t>{(1 << 24) + 1}, {1},
                                        Quantizer::PerTensor(QT_QINT32, 1, 0)));
    CHECK(Bundle::deserialize_onnx(bundle.serialize_onnx()).get("w").int_repr<int32_t>() ==
          std::vector<int32_t>{(1 << 24) + 1});
  }
  SUBCASE("names that clash") {
    const Tensor t = Tensor::EmptyQuantized({1}, Quantizer::PerTensor(QT_QINT8, 1.0, 0));
    bundle.set("w", t);
    bundle.set("w_scale", t);
    CHECK(ExportError(bundle) ==
          "cannot export tensor 'w_scale' to ONNX: its ONNX name 'w_scale' is also one of tensor "
          "'w' (the model names values N, N_quantized, N_scale, N_scale_float and N_zero_point "
          "for a tensor N)");
  }
}

TEST_CASE("onnx: a model over the size limit is refused before it is written") {
  Bundle bundle;
  bundle.set("w", RandomTensor(QT_QINT8, {100}, Quantizer::PerTensor(QT_QINT8, 1, 0), 12));
  const qtensor::io::Bundle& inner = bundle.get()->bundle;
  const uint64_t size = qtensor::io::EncodeOnnxModel(inner, UINT64_MAX).size;
  CHECK(qtensor::io::EncodeOnnxModel(inner, size).size == size);
  try {
    qtensor::io::EncodeOnnxModel(inner, size - 1);
    FAIL("no error");
  } catch (const qtensor::core::Error& error) {
    CHECK(error.kind() == qtensor::core::ErrorKind::kOutOfMemory);
    CHECK(std::string(error.what()).find("would be " + std::to_string(size) + " bytes") !=
          std::string::npos);
  }
}

TEST_CASE("onnx: models ONNX allows that qtensor does not write") {
  SUBCASE("raw_data, no zero point, scale of shape [1]") {
    const Bundle b = Bundle::deserialize_onnx(Model(RawInitializer("x", 2, {3}, "\x01\x02\xff") +
                                                    RawInitializer("s", 1, {1}, Floats({0.25F})) +
                                                    Node("DequantizeLinear", {"x", "s"}, "w")));
    const Tensor w = b.get("w");
    CHECK(w.qscheme() == QT_PER_TENSOR_AFFINE);
    CHECK(w.q_zero_point() == 0);
    CHECK(w.dequantize() == std::vector<float>{0.25F, 0.5F, 63.75F});
  }
  SUBCASE("typed fields, packed and unpacked, negative axis, activations skipped") {
    // int8 x [2, 2] in int32_data (negative values as 10-byte varints),
    // per channel along axis -1; scales in float_data, one unpacked.
    std::string x =
        Dims({2, 2}) + wire::VarintField(2, 3) + wire::BytesField(8, "x") +
        wire::BytesField(5, wire::Varint(static_cast<uint64_t>(-128)) + wire::Varint(127)) +
        wire::VarintField(5, 1) + wire::VarintField(5, static_cast<uint64_t>(-1));
    std::string s = wire::BytesField(1, wire::Varint(2)) + wire::VarintField(2, 1) +
                    wire::BytesField(8, "s") + wire::BytesField(4, Floats({0.5F})) +
                    wire::Tag(4, 5) + Floats({2.0F});
    std::string z = Dims({2}) + wire::VarintField(2, 3) + wire::BytesField(8, "z") +
                    wire::VarintField(5, 0) + wire::VarintField(5, static_cast<uint64_t>(-2));
    const Bundle b = Bundle::deserialize_onnx(
        Model(wire::BytesField(5, x) + wire::BytesField(5, s) + wire::BytesField(5, z) +
              Node("DequantizeLinear", {"x", "s", "z"}, "w", IntAttribute("axis", -1)) +
              Node("DequantizeLinear", {"activation", "s", "z"}, "y")));
    REQUIRE(b.size() == 1);
    const Tensor w = b.get("w");
    CHECK(w.qscheme() == QT_PER_CHANNEL_AFFINE);
    CHECK(w.q_per_channel_axis() == 1);
    CHECK(w.int_repr<int8_t>() == std::vector<int8_t>{-128, 127, 1, -1});
    CHECK(w.dequantize() == std::vector<float>{-64.0F, 258.0F, 0.5F, 2.0F});
  }
  SUBCASE("float16 scales in int32_data, 4-bit integers in int32_data, blocked") {
    // uint4 x [1, 3] = {1, 2, 15}: packed bytes 0x21, 0x0f; blocks of 2 on axis 1.
    std::string x = Dims({1, 3}) + wire::VarintField(2, 21) + wire::BytesField(8, "x") +
                    wire::BytesField(5, wire::Varint(0x21) + wire::Varint(0x0f));
    std::string s = Dims({1, 2}) + wire::VarintField(2, 10) + wire::BytesField(8, "s") +
                    wire::BytesField(5, wire::Varint(0x3c00) + wire::Varint(0x3800));
    const Bundle b = Bundle::deserialize_onnx(
        Model(wire::BytesField(5, x) + wire::BytesField(5, s) +
              Node("DequantizeLinear", {"x", "s", ""}, "w",
                   IntAttribute("axis", 1) + IntAttribute("block_size", 2))));
    const Tensor w = b.get("w");
    CHECK(w.dtype() == QT_QUINT4);
    CHECK(w.quantizer().block_size() == 2);
    CHECK(w.quantizer().scale_type() == QT_SCALE_FLOAT16);
    CHECK(w.dequantize() == std::vector<float>{1.0F, 2.0F, 7.5F});
  }
}

TEST_CASE("onnx: import refuses what qtensor cannot hold, naming it") {
  const std::string x = RawInitializer("x", 3, {2}, std::string("\xfd\x05", 2));
  const std::string s = RawInitializer("s", 1, {}, Floats({0.5F}));
  const std::string dq = Node("DequantizeLinear", {"x", "s"}, "w");
  CHECK(
      ImportError(Model(RawInitializer("x", 1, {2}, Floats({1, 2})) + s + dq)) ==
      "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x \"x\": has type FLOAT; qtensor "
      "holds INT8, UINT8, INT16, UINT16, INT32, INT4 and UINT4");
  CHECK(ImportError(Model(x + RawInitializer("s", 1, {}, Floats({-0.5F})) + dq)) ==
        "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x_scale \"s\": scale 0 is -0.5: "
        "qtensor holds finite scales above 0");
  CHECK(ImportError(Model(x + RawInitializer("s", 1, {}, Floats({NAN})) + dq))
            .find("scale 0 is nan") != std::string::npos);
  CHECK(ImportError(Model(x + RawInitializer("s", 11, {}, std::string(8, '\0')) + dq))
            .find("has type DOUBLE; qtensor reads FLOAT, FLOAT16 and BFLOAT16 scales") !=
        std::string::npos);
  CHECK(ImportError(Model(x + RawInitializer("s", 1, {3}, Floats({1, 2, 3})) +
                          Node("DequantizeLinear", {"x", "s"}, "w", IntAttribute("axis", 0)))) ==
        "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x_scale has dims [3]: expected "
        "one value, or [2] for axis 0");
  CHECK(ImportError(Model(x + s + Node("DequantizeLinear", {"x", "t"}, "w"))) ==
        "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x_scale \"t\" is neither an "
        "initializer nor a Cast to FLOAT of one");
  CHECK(ImportError(Model(x + s + Node("DequantizeLinear", {"x", "s", "z"}, "w"))) ==
        "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x_zero_point \"z\" is not an "
        "initializer");
  CHECK(ImportError(Model(x + s + RawInitializer("z", 2, {}, "\x01") +
                          Node("DequantizeLinear", {"x", "s", "z"}, "w"))) ==
        "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x_zero_point \"z\": has type "
        "UINT8, not x's INT8");
  CHECK(ImportError(Model(RawInitializer("x", 3, {3}, "\x01\x02") + s + dq)) ==
        "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x \"x\": raw_data has 2 bytes, "
        "expected 3 for 3 INT8 values");
  CHECK(
      ImportError(
          Model(wire::BytesField(5, Dims({1}) + wire::VarintField(2, 3) + wire::BytesField(8, "x") +
                                        wire::VarintField(14, 1)) +
                s + dq)) ==
      "ONNX model graph.node[0] (DequantizeLinear) output \"w\": x \"x\": its data is external (in "
      "another file): not supported");
  CHECK(ImportError(Model(RawInitializer("x", 3, {-2}, "") + s + dq))
            .find("dims[0] = -2 is negative") != std::string::npos);
  CHECK(ImportError(Model(x + s +
                          Node("DequantizeLinear", {"x", "s"}, "w",
                               IntAttribute("block_size", 1) + IntAttribute("axis", 1)))) ==
        "ONNX model graph.node[0] (DequantizeLinear) output \"w\": axis 1 is out of range for x of "
        "rank 1");
  CHECK(ImportError(Model(x + s + dq + x)) == "ONNX model graph: two initializers are named \"x\"");
  CHECK(ImportError(Model(x + s + dq + dq)) ==
        "ONNX model graph.node[1] (DequantizeLinear): a second node with output \"w\"");
  CHECK(ImportError(Model(x + s + Node("DequantizeLinear", {"x"}, "w"))) ==
        "ONNX model graph.node[0] (DequantizeLinear): has 1 inputs and 1 outputs "
        "(DequantizeLinear takes 2 or 3 and gives 1)");
  CHECK(ImportError(Model(x + s + Node("DequantizeLinear", {"x", "s"}, std::string("a\0b", 3)))) ==
        "ONNX model graph.node[0] (DequantizeLinear): the output name \"a\\x00b\" contains a NUL "
        "byte");
  CHECK(ImportError(Model(x + s + dq, wire::BytesField(14, wire::BytesField(2, "v")))) ==
        "ONNX model metadata_props[0]: has an empty key");
  CHECK(ImportError(wire::VarintField(1, 10)) == "ONNX model ModelProto: has no graph");
  CHECK(ImportError(wire::VarintField(7, 10)) ==
        "ONNX model ModelProto: graph (field 7) has wire type varint, expected length-delimited");
}

TEST_CASE("onnx: every truncation of a valid model is refused or a valid prefix") {
  Bundle bundle;
  bundle.set("w",
             RandomTensor(QT_QINT4, {3, 5},
                          Quantizer::PerBlock(QT_QINT4, Scales(9), ZeroPoints(QT_QINT4, 9), 1, 2)
                              .with_scale_type(QT_SCALE_FLOAT16),
                          10));
  bundle.set_metadata("k", "v");
  const std::string bytes = bundle.serialize_onnx();
  CHECK(Bundle::deserialize_onnx(bytes).size() == 1);
  size_t refused = 0;
  for (size_t n = 0; n < bytes.size(); ++n) {
    try {
      qtensor::io::DecodeOnnxModel(reinterpret_cast<const uint8_t*>(bytes.data()), n);
    } catch (const qtensor::core::Error& error) {
      CHECK(error.kind() == qtensor::core::ErrorKind::kCorruptData);
      ++refused;
    }
  }
  // A cut between the model's top-level fields leaves a valid model.
  CHECK(refused >= bytes.size() - 4);
}

TEST_CASE("onnx: the corrupt files of tests/data/onnx_corrupt get their MANIFEST's message") {
  const std::string dir = QTENSOR_TEST_DATA_DIR "/onnx_corrupt";
  std::istringstream manifest(ReadBytes(dir + "/MANIFEST"));
  std::string line;
  size_t files = 0;
  while (std::getline(manifest, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string name = line.substr(0, tab);
    const std::string expected = line.substr(tab + 1);
    CAPTURE(name);
    const std::string bytes = ReadBytes(dir + "/" + name);
    if (expected == "valid") {
      CHECK(Bundle::deserialize_onnx(bytes).size() == 1);
    } else {
      const std::string message = ImportError(bytes);
      CAPTURE(message);
      CHECK(message.find(expected) != std::string::npos);
    }
    ++files;
  }
  CHECK(files >= 40);
}

TEST_CASE("onnx: save and load files") {
  char pattern[] = "/tmp/qtensor_test_onnx_XXXXXX";
  REQUIRE(mkdtemp(pattern) != nullptr);
  const std::string path = std::string(pattern) + "/model.onnx";
  Bundle bundle;
  bundle.set("w", RandomTensor(QT_QINT8, {2, 3}, Quantizer::PerTensor(QT_QINT8, 0.5, 1), 11));
  bundle.save_onnx(path);
  CHECK(ReadBytes(path) == bundle.serialize_onnx());
  CHECK(IntBytes(Bundle::load_onnx(path).get("w")) == IntBytes(bundle.get("w")));
  std::ofstream(path, std::ios::binary | std::ios::app) << "\x07";  // a stray tag, truncated
  try {
    Bundle::load_onnx(path);
    FAIL("a corrupt file loaded");
  } catch (const qtensor::Error& error) {
    CHECK(error.status() == QT_ERR_CORRUPT_DATA);
    CHECK(std::string(error.what()).rfind("'" + path + "': ONNX model", 0) == 0);
  }
  try {
    Bundle::load_onnx(std::string(pattern) + "/missing.onnx");
    FAIL("a missing file loaded");
  } catch (const qtensor::Error& error) {
    CHECK(error.status() == QT_ERR_IO);
  }
  std::filesystem::remove_all(pattern);
}
