// Bit-exact agreement with PyTorch 1.13 on the golden cases of
// tests/data/golden.txt (written by tests/data/make_golden.py): every tensor
// is built through the C ABI only, and its integers, dequantized values
// (compared as bit patterns), shape, dtype, scheme, parameters and printed
// form must be exactly PyTorch's.
#include <doctest/doctest.h>

#include <qtensor/qtensor.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "golden_file.h"

#ifndef QTENSOR_TEST_DATA_DIR
#error "QTENSOR_TEST_DATA_DIR must name the tests/data directory"
#endif

namespace {

using qtensor::testing::GoldenCase;
using qtensor::testing::GoldenNumel;
using qtensor::testing::GoldenOp;

const char* const kGoldenPath = QTENSOR_TEST_DATA_DIR "/golden.txt";

struct TensorFree {
  void operator()(qt_tensor* t) const { qt_tensor_free(t); }
};
using TensorPtr = std::unique_ptr<qt_tensor, TensorFree>;

struct StringFree {
  void operator()(char* s) const { qt_string_free(s); }
};

// The cases, read once. Throws (failing the calling test) if the file is
// missing or malformed.
const std::vector<GoldenCase>& Cases() {
  static const std::vector<GoldenCase> cases = qtensor::testing::ReadGoldenFile(kGoldenPath);
  return cases;
}

// Checks a status; on failure records the call, status and message.
bool Ok(qt_status status, const char* call) {
  if (status == QT_OK) return true;
  const std::string message = qt_last_error_message();  // copy before the next qt_* call
  FAIL_CHECK(std::string(call) << " failed: " << qt_status_name(status) << ": " << message);
  return false;
}
#define QTENSOR_OK_OR_RETURN(call, ret) \
  do {                                  \
    if (!Ok((call), #call)) {           \
      return ret;                       \
    }                                   \
  } while (0)

// CHECK, then leave the case (not the whole test) if it failed, so one bad
// case does not hide the others.
#define QTENSOR_CHECK_OR_RETURN(cond, ret)       \
  do {                                           \
    const bool qt_ok_ = static_cast<bool>(cond); \
    CHECK_MESSAGE(qt_ok_, #cond);                \
    if (!qt_ok_) {                               \
      return ret;                                \
    }                                            \
  } while (0)
#define QTENSOR_CHECK_EQ_OR_RETURN(a, b, ret) \
  do {                                        \
    CHECK_EQ(a, b);                           \
    if (!((a) == (b))) {                      \
      return ret;                             \
    }                                         \
  } while (0)

std::optional<qt_dtype> DtypeFromName(const std::string& name) {
  if (name == "qint8") return QT_QINT8;
  if (name == "quint8") return QT_QUINT8;
  if (name == "qint32") return QT_QINT32;
  return std::nullopt;
}

std::string HexFloat(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", value);
  return buffer;
}

uint32_t FloatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

uint64_t DoubleBits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// Exact comparisons of arrays that report the first difference and how many
// there are (not thousands of lines).
void CheckInts(const std::string& what, const std::vector<int64_t>& got,
               const std::vector<int64_t>& want) {
  QTENSOR_CHECK_EQ_OR_RETURN(got.size(), want.size(), );
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] != want[i] && bad++ == 0) first = i;
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " of " << got.size() << " differ; first at "
                               << first << ": got " << (bad ? got[first] : 0) << ", PyTorch "
                               << (bad ? want[first] : 0));
}

void CheckFloatBits(const std::string& what, const std::vector<float>& got,
                    const std::vector<float>& want) {
  QTENSOR_CHECK_EQ_OR_RETURN(got.size(), want.size(), );
  size_t bad = 0, first = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (FloatBits(got[i]) != FloatBits(want[i]) && bad++ == 0) first = i;
  }
  CHECK_MESSAGE(bad == 0, what << ": " << bad << " of " << got.size()
                               << " differ (bit patterns); first at " << first << ": got "
                               << (bad ? HexFloat(got[first]) : "") << ", PyTorch "
                               << (bad ? HexFloat(want[first]) : ""));
}

void CheckDoubleBits(const std::string& what, const std::vector<double>& got,
                     const std::vector<double>& want) {
  QTENSOR_CHECK_EQ_OR_RETURN(got.size(), want.size(), );
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK_MESSAGE(
        DoubleBits(got[i]) == DoubleBits(want[i]),
        what << "[" << i << "]: got " << HexFloat(got[i]) << ", PyTorch " << HexFloat(want[i]));
  }
}

// ---------------------------------------------------------------- building

// make_per_tensor from integers of the case's dtype.
TensorPtr MakePerTensor(const std::string& dtype_name, const std::vector<int64_t>& ints,
                        const std::vector<int64_t>& shape, double scale, int64_t zero_point) {
  const auto dtype = DtypeFromName(dtype_name);
  QTENSOR_CHECK_OR_RETURN(dtype.has_value(), nullptr);
  QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int64_t>(ints.size()), GoldenNumel(shape), nullptr);
  qt_tensor* out = nullptr;
  if (*dtype == QT_QINT8) {
    std::vector<int8_t> data(ints.begin(), ints.end());
    QTENSOR_OK_OR_RETURN(qt_make_per_tensor_quantized_int8(&out, data.data(), shape.data(),
                                                           shape.size(), scale, zero_point),
                         nullptr);
  } else if (*dtype == QT_QUINT8) {
    std::vector<uint8_t> data(ints.begin(), ints.end());
    QTENSOR_OK_OR_RETURN(qt_make_per_tensor_quantized_uint8(&out, data.data(), shape.data(),
                                                            shape.size(), scale, zero_point),
                         nullptr);
  } else {
    std::vector<int32_t> data(ints.begin(), ints.end());
    QTENSOR_OK_OR_RETURN(qt_make_per_tensor_quantized_int32(&out, data.data(), shape.data(),
                                                            shape.size(), scale, zero_point),
                         nullptr);
  }
  QTENSOR_CHECK_OR_RETURN(out != nullptr, nullptr);
  return TensorPtr(out);
}

TensorPtr QuantizePerTensor(const GoldenCase& c) {
  const auto dtype = DtypeFromName(c.dtype);
  QTENSOR_CHECK_OR_RETURN(dtype.has_value(), nullptr);
  QTENSOR_CHECK_OR_RETURN(c.has_scale, nullptr);
  QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int64_t>(c.input_float.size()), GoldenNumel(c.shape),
                             nullptr);
  qt_tensor* out = nullptr;
  QTENSOR_OK_OR_RETURN(qt_quantize_per_tensor(&out, c.input_float.data(), c.shape.data(),
                                              c.shape.size(), c.scale, c.zero_point, *dtype),
                       nullptr);
  QTENSOR_CHECK_OR_RETURN(out != nullptr, nullptr);
  return TensorPtr(out);
}

TensorPtr QuantizePerChannel(const GoldenCase& c) {
  const auto dtype = DtypeFromName(c.dtype);
  QTENSOR_CHECK_OR_RETURN(dtype.has_value(), nullptr);
  QTENSOR_CHECK_OR_RETURN(c.has_per_channel, nullptr);
  QTENSOR_CHECK_EQ_OR_RETURN(c.scales.size(), c.zero_points.size(), nullptr);
  QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int64_t>(c.input_float.size()), GoldenNumel(c.shape),
                             nullptr);
  qt_tensor* out = nullptr;
  QTENSOR_OK_OR_RETURN(qt_quantize_per_channel(
                           &out, c.input_float.data(), c.shape.data(), c.shape.size(),
                           c.scales.data(), c.zero_points.data(), c.scales.size(), c.axis, *dtype),
                       nullptr);
  QTENSOR_CHECK_OR_RETURN(out != nullptr, nullptr);
  return TensorPtr(out);
}

// Only a slice's start and stop may be "none".
bool ArgsPresent(const GoldenOp& op) {
  for (size_t i = 0; i < op.args.size(); ++i) {
    const bool may_be_none = op.name == "slice" && (i == 1 || i == 2);
    if (!may_be_none && !op.args[i].has_value()) return false;
  }
  return true;
}

TensorPtr ApplyOp(const qt_tensor* t, const GoldenOp& op) {
  INFO("op ", op.name);
  const size_t n = op.args.size();
  QTENSOR_CHECK_OR_RETURN(ArgsPresent(op), nullptr);
  auto arg = [&op](size_t i) { return op.args[i].value_or(0); };
  qt_tensor* out = nullptr;
  if (op.name == "select") {
    QTENSOR_CHECK_EQ_OR_RETURN(n, 2u, nullptr);
    QTENSOR_OK_OR_RETURN(qt_select(&out, t, arg(0), arg(1)), nullptr);
  } else if (op.name == "slice") {
    QTENSOR_CHECK_EQ_OR_RETURN(n, 4u, nullptr);
    const int64_t step = arg(3);
    // Open ends as the header asks: INT64_MIN / INT64_MAX, swapped for a
    // negative step.
    const int64_t open_start = step > 0 ? INT64_MIN : INT64_MAX;
    const int64_t open_stop = step > 0 ? INT64_MAX : INT64_MIN;
    QTENSOR_OK_OR_RETURN(qt_slice(&out, t, arg(0), op.args[1].value_or(open_start),
                                  op.args[2].value_or(open_stop), step),
                         nullptr);
  } else if (op.name == "narrow") {
    QTENSOR_CHECK_EQ_OR_RETURN(n, 3u, nullptr);
    QTENSOR_OK_OR_RETURN(qt_narrow(&out, t, arg(0), arg(1), arg(2)), nullptr);
  } else if (op.name == "transpose") {
    QTENSOR_CHECK_EQ_OR_RETURN(n, 2u, nullptr);
    QTENSOR_OK_OR_RETURN(qt_transpose(&out, t, arg(0), arg(1)), nullptr);
  } else if (op.name == "permute") {
    std::vector<int64_t> dims;
    for (size_t i = 0; i < n; ++i) dims.push_back(arg(i));
    QTENSOR_OK_OR_RETURN(qt_permute(&out, t, dims.data(), dims.size()), nullptr);
  } else if (op.name == "contiguous") {
    QTENSOR_CHECK_EQ_OR_RETURN(n, 0u, nullptr);
    QTENSOR_OK_OR_RETURN(qt_contiguous(&out, t), nullptr);
  } else {
    FAIL_CHECK("unknown op " << op.name);
    return nullptr;
  }
  QTENSOR_CHECK_OR_RETURN(out != nullptr, nullptr);
  return TensorPtr(out);
}

// The tensor a case describes, or null after recording the failure.
TensorPtr Build(const GoldenCase& c) {
  if (c.kind == "quantize_per_tensor") return QuantizePerTensor(c);
  if (c.kind == "quantize_per_channel") return QuantizePerChannel(c);
  if (c.kind == "make_per_tensor") {
    QTENSOR_CHECK_OR_RETURN(c.has_scale, nullptr);
    return MakePerTensor(c.dtype, c.input_int, c.shape, c.scale, c.zero_point);
  }
  if (c.kind == "view") {
    TensorPtr t;
    if (c.base == "quantize_per_tensor") {
      t = QuantizePerTensor(c);
    } else {
      QTENSOR_CHECK_EQ_OR_RETURN(c.base, "make_per_tensor", nullptr);
      QTENSOR_CHECK_OR_RETURN(c.has_scale, nullptr);
      t = MakePerTensor(c.dtype, c.input_int, c.shape, c.scale, c.zero_point);
    }
    // Each view is freed once the next is made: views keep the storage alive.
    for (const GoldenOp& op : c.ops) {
      if (!t) return nullptr;
      t = ApplyOp(t.get(), op);
    }
    return t;
  }
  if (c.kind == "copy") {
    QTENSOR_CHECK_OR_RETURN(c.has_scale, nullptr);
    TensorPtr dst = MakePerTensor(c.dtype, c.input_int, c.shape, c.scale, c.zero_point);
    TensorPtr src = MakePerTensor(c.dtype, c.src_input_int, c.shape, c.src_scale, c.src_zero_point);
    if (!dst || !src) return nullptr;
    QTENSOR_OK_OR_RETURN(qt_copy(dst.get(), src.get()), nullptr);
    return dst;
  }
  FAIL_CHECK("unknown kind " << c.kind);
  return nullptr;
}

// --------------------------------------------------------------- checking

void CheckResult(const GoldenCase& c, const qt_tensor* t) {
  // Shape.
  size_t ndim = 0;
  QTENSOR_OK_OR_RETURN(qt_tensor_ndim(&ndim, t), );
  QTENSOR_CHECK_EQ_OR_RETURN(ndim, c.expect_shape.size(), );
  std::vector<int64_t> shape(QTENSOR_MAX_DIMS);
  QTENSOR_OK_OR_RETURN(qt_tensor_shape(shape.data(), shape.size(), t), );
  shape.resize(ndim);
  CHECK(shape == c.expect_shape);
  const int64_t numel = GoldenNumel(c.expect_shape);
  size_t got_numel = 0;
  QTENSOR_OK_OR_RETURN(qt_tensor_numel(&got_numel, t), );
  QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int64_t>(got_numel), numel, );
  QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int64_t>(c.expect_int_repr.size()), numel, );
  QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int64_t>(c.expect_dequantize.size()), numel, );

  // dtype and scheme.
  const auto want_dtype = DtypeFromName(c.expect_dtype);
  QTENSOR_CHECK_OR_RETURN(want_dtype.has_value(), );
  qt_dtype dtype{};
  QTENSOR_OK_OR_RETURN(qt_tensor_dtype(&dtype, t), );
  QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int>(dtype), static_cast<int>(*want_dtype), );
  qt_qscheme qscheme{};
  QTENSOR_OK_OR_RETURN(qt_tensor_qscheme(&qscheme, t), );
  const char* scheme_name = qt_qscheme_name(qscheme);
  CHECK_EQ(std::string(scheme_name ? scheme_name : "(null)"), c.expect_qscheme);

  // Parameters.
  size_t num_channels = 0;
  QTENSOR_OK_OR_RETURN(qt_tensor_q_num_channels(&num_channels, t), );
  if (c.expect_qscheme == "per_tensor_affine") {
    QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int>(qscheme), static_cast<int>(QT_PER_TENSOR_AFFINE), );
    double scale = 0.0;
    int64_t zero_point = 0;
    QTENSOR_OK_OR_RETURN(qt_tensor_q_scale(&scale, t), );
    QTENSOR_OK_OR_RETURN(qt_tensor_q_zero_point(&zero_point, t), );
    CheckDoubleBits("q_scale", {scale}, {c.expect_scale});
    CHECK_EQ(zero_point, c.expect_zero_point);
    CHECK_EQ(num_channels, 1u);
  } else {
    QTENSOR_CHECK_EQ_OR_RETURN(c.expect_qscheme, "per_channel_affine", );
    QTENSOR_CHECK_EQ_OR_RETURN(static_cast<int>(qscheme),
                               static_cast<int>(QT_PER_CHANNEL_AFFINE), );
    int64_t axis = -1;
    QTENSOR_OK_OR_RETURN(qt_tensor_q_per_channel_axis(&axis, t), );
    CHECK_EQ(axis, c.expect_axis);
    QTENSOR_CHECK_EQ_OR_RETURN(num_channels, c.expect_scales.size(), );
    QTENSOR_CHECK_EQ_OR_RETURN(c.expect_zero_points.size(), c.expect_scales.size(), );
    std::vector<double> scales(num_channels + 1);
    std::vector<int64_t> zero_points(num_channels + 1);
    QTENSOR_OK_OR_RETURN(qt_tensor_q_per_channel_scales(scales.data(), scales.size(), t), );
    QTENSOR_OK_OR_RETURN(
        qt_tensor_q_per_channel_zero_points(zero_points.data(), zero_points.size(), t), );
    scales.resize(num_channels);
    zero_points.resize(num_channels);
    CheckDoubleBits("q_per_channel_scales", scales, c.expect_scales);
    CheckInts("q_per_channel_zero_points", zero_points, c.expect_zero_points);
    double scale = 0.0;
    CHECK_EQ(qt_tensor_q_scale(&scale, t), QT_ERR_TYPE_MISMATCH);
  }

  // int_repr.
  const size_t element_size = qt_dtype_size(dtype);
  QTENSOR_CHECK_OR_RETURN(element_size > 0, );
  std::vector<unsigned char> raw(static_cast<size_t>(numel) * element_size + 1);
  QTENSOR_OK_OR_RETURN(qt_int_repr(raw.data(), raw.size(), t), );
  std::vector<int64_t> ints(static_cast<size_t>(numel));
  for (size_t i = 0; i < ints.size(); ++i) {
    const unsigned char* p = raw.data() + i * element_size;
    if (dtype == QT_QINT8) {
      int8_t v;
      std::memcpy(&v, p, sizeof v);
      ints[i] = v;
    } else if (dtype == QT_QUINT8) {
      ints[i] = *p;
    } else {
      int32_t v;
      std::memcpy(&v, p, sizeof v);
      ints[i] = v;
    }
  }
  CheckInts("int_repr", ints, c.expect_int_repr);

  // dequantize, bit for bit.
  std::vector<float> values(static_cast<size_t>(numel) + 1);
  QTENSOR_OK_OR_RETURN(qt_dequantize(values.data(), values.size(), t), );
  values.resize(static_cast<size_t>(numel));
  CheckFloatBits("dequantize", values, c.expect_dequantize);
  if (numel == 1) {
    float item = 0.0f;
    QTENSOR_OK_OR_RETURN(qt_tensor_item(&item, t), );
    CheckFloatBits("item", {item}, {c.expect_dequantize[0]});
  }

  // repr.
  char* text = nullptr;
  QTENSOR_OK_OR_RETURN(qt_to_string(&text, t), );
  QTENSOR_CHECK_OR_RETURN(text != nullptr, );
  const std::unique_ptr<char, StringFree> owned(text);
  CHECK_EQ(std::string(text), c.expect_repr);
}

// Runs every case of one kind; there must be some.
void RunKind(const std::string& kind) {
  const auto& cases = Cases();
  REQUIRE_FALSE(cases.empty());
  int count = 0;
  for (const GoldenCase& c : cases) {
    if (c.kind != kind) continue;
    ++count;
    CAPTURE(c.name);
    INFO(std::string(kGoldenPath), ":", c.line);
    TensorPtr t = Build(c);
    if (!t) continue;  // the failure is recorded
    CheckResult(c, t.get());
  }
  REQUIRE_MESSAGE(count > 0, "no golden cases of kind " << kind);
}

}  // namespace

TEST_CASE("golden: the file is present and well formed") {
  std::vector<GoldenCase> cases;
  REQUIRE_NOTHROW(cases = qtensor::testing::ReadGoldenFile(kGoldenPath));
  REQUIRE_FALSE(cases.empty());
  std::map<std::string, int> kinds;
  for (const GoldenCase& c : cases) ++kinds[c.kind];
  for (const auto& entry : kinds) {
    const std::string& kind = entry.first;
    const int count = entry.second;
    CAPTURE(kind);
    const bool known = kind == "quantize_per_tensor" || kind == "quantize_per_channel" ||
                       kind == "make_per_tensor" || kind == "view" || kind == "copy";
    CHECK_MESSAGE(known, "unknown kind " << kind << " (" << count << " cases)");
  }
}

TEST_CASE("golden: the parser reads the format exactly") {
  const std::string text =
      "# comment\n"
      "case one\nkind view\nbase make_per_tensor\ndtype qint8\nshape\ninput_int -3\n"
      "scale 0x1.999999999999ap-4\nzero_point -1\nop slice 0 none 5 2\nop contiguous\n"
      "expect_shape\nexpect_dtype qint8\nexpect_qscheme per_tensor_affine\n"
      "expect_scale 0x1.999999999999ap-4\nexpect_zero_point -1\nexpect_int_repr -3\n"
      "expect_dequantize -0x1.99999a0000000p-3\n"
      "expect_repr \"a\\nb \\\"c\\\" \\\\ \\u00e9\"\nend\n";
  std::istringstream in(text);
  const auto cases = qtensor::testing::ReadGolden(in, "inline");
  REQUIRE_EQ(cases.size(), 1u);
  const GoldenCase& c = cases[0];
  CHECK_EQ(c.name, "one");
  CHECK_EQ(c.line, 2);
  CHECK(c.shape.empty());
  CHECK_EQ(c.scale, 0.1);
  CHECK_EQ(c.zero_point, -1);
  REQUIRE_EQ(c.ops.size(), 2u);
  CHECK_EQ(c.ops[0].name, "slice");
  REQUIRE_EQ(c.ops[0].args.size(), 4u);
  CHECK_FALSE(c.ops[0].args[1].has_value());
  CHECK_EQ(c.ops[0].args[2].value_or(0), 5);
  CHECK(c.ops[1].args.empty());
  REQUIRE_EQ(c.expect_dequantize.size(), 1u);
  CHECK_EQ(c.expect_dequantize[0], -0.2f);
  CHECK_EQ(c.expect_repr, "a\nb \"c\" \\ \xc3\xa9");

  std::istringstream unterminated("case x\nkind view\n");
  CHECK_THROWS_AS(qtensor::testing::ReadGolden(unterminated, "bad"), std::runtime_error);
  std::istringstream unknown("case x\nbogus 1\nend\n");
  CHECK_THROWS_AS(qtensor::testing::ReadGolden(unknown, "bad"), std::runtime_error);
  std::istringstream not_float32("case x\ninput_float 0x1.999999999999ap-4\nend\n");
  CHECK_THROWS_AS(qtensor::testing::ReadGolden(not_float32, "bad"), std::runtime_error);
  CHECK_THROWS_AS(qtensor::testing::ReadGoldenFile(QTENSOR_TEST_DATA_DIR "/no-such-file.txt"),
                  std::runtime_error);
}

TEST_CASE("golden: quantize_per_tensor matches PyTorch 1.13") { RunKind("quantize_per_tensor"); }

TEST_CASE("golden: quantize_per_channel matches PyTorch 1.13") { RunKind("quantize_per_channel"); }

TEST_CASE("golden: make_per_tensor matches PyTorch 1.13") { RunKind("make_per_tensor"); }

TEST_CASE("golden: views of per-tensor tensors match PyTorch 1.13") { RunKind("view"); }

TEST_CASE("golden: copy_ matches PyTorch 1.13") { RunKind("copy"); }
