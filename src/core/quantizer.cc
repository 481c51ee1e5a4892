#include "core/quantizer.h"

#include <cmath>
#include <cstring>
#include <string>

#include "core/error.h"
#include "core/print.h"
#include "core/shape.h"
#include "kernels/half_float.h"

namespace qtensor::core {
namespace {

void CheckDType(DType dtype) {
  if (!IsValidDType(static_cast<int>(dtype))) {
    Fail(ErrorKind::kInvalidArgument, "unknown dtype " + std::to_string(static_cast<int>(dtype)) +
                                          " (expected qint8 = 1 to quint4 = 9)");
  }
}

// Names a parameter in messages: "scale", or "scales[3]" for a channel's.
// The text is made only for a message: every per-channel quantize call
// checks its quantizer's parameters, and most calls pass.
struct ParamName {
  const char* name;
  int64_t index = -1;

  std::string Text() const {
    return index < 0 ? name : std::string(name) + "[" + std::to_string(index) + "]";
  }
};

void CheckScale(double scale, Rounding rounding, const ParamName& param) {
  if (rounding == Rounding::kGguf) {
    // GGUF's block scales d: any finite value, 0 and negative ones too
    // (Q4_0's d = max / -8 is negative for about half of the blocks).
    if (!std::isfinite(scale)) {
      Fail(ErrorKind::kInvalidArgument,
           param.Text() + " must be finite, got " + FormatPythonFloat(scale));
    }
    return;
  }
  if (!(scale > 0.0) || !std::isfinite(scale)) {
    Fail(ErrorKind::kInvalidArgument,
         param.Text() + " must be positive and finite, got " + FormatPythonFloat(scale));
  }
  if (!std::isfinite(static_cast<float>(scale))) {
    Fail(ErrorKind::kInvalidArgument,
         param.Text() + " = " + FormatPythonFloat(scale) + " is too large: it overflows float32");
  }
  if (!std::isfinite(kernels::InverseScale(scale))) {
    Fail(ErrorKind::kInvalidArgument, param.Text() + " = " + FormatPythonFloat(scale) +
                                          " is too small: its float32 reciprocal is not finite");
  }
}

void CheckZeroPoint(DType dtype, int64_t zero_point, const ParamName& param) {
  if (zero_point < QMin(dtype) || zero_point > QMax(dtype)) {
    Fail(ErrorKind::kInvalidArgument, param.Text() + " = " + std::to_string(zero_point) +
                                          " is outside the range of " + DTypeName(dtype) + " [" +
                                          std::to_string(QMin(dtype)) + ", " +
                                          std::to_string(QMax(dtype)) + "]");
  }
}

}  // namespace

const char* QSchemeName(QScheme scheme) {
  switch (scheme) {
    case QScheme::kPerChannelAffine:
      return "per_channel_affine";
    case QScheme::kPerBlockAffine:
      return "per_block_affine";
    case QScheme::kPerChannelAffineFloatQParams:
      return "per_channel_affine_float_qparams";
    default:
      return "per_tensor_affine";
  }
}

const char* RoundingName(Rounding rounding) {
  switch (rounding) {
    case Rounding::kOnnx:
      return "onnx";
    case Rounding::kGguf:
      return "gguf";
    default:
      return "pytorch";
  }
}

bool IsValidRounding(int value) {
  return value >= static_cast<int>(Rounding::kPyTorch) &&
         value <= static_cast<int>(Rounding::kGguf);
}

const char* ScaleTypeName(ScaleType type) {
  switch (type) {
    case ScaleType::kFloat32:
      return "float32";
    case ScaleType::kFloat16:
      return "float16";
    case ScaleType::kBFloat16:
      return "bfloat16";
    default:
      return "float64";
  }
}

bool IsValidScaleType(int value) {
  return value >= static_cast<int>(ScaleType::kFloat64) &&
         value <= static_cast<int>(ScaleType::kBFloat16);
}

namespace {

// The scale as the nearest value of type (round half to even).
double AsScaleType(double scale, ScaleType type) {
  const auto single = static_cast<float>(scale);
  switch (type) {
    case ScaleType::kFloat32:
      return single;
    case ScaleType::kFloat16:
      return kernels::HalfBitsToFloat(kernels::FloatToHalfBits(single));
    case ScaleType::kBFloat16:
      return kernels::BFloat16BitsToFloat(kernels::FloatToBFloat16Bits(single));
    default:
      return scale;
  }
}

}  // namespace

Quantizer Quantizer::WithRounding(Rounding rounding) const {
  return WithForms({rounding, scale_type()});
}

Quantizer Quantizer::WithScaleType(ScaleType type) const { return WithForms({rounding(), type}); }

Quantizer Quantizer::WithForms(QuantizerForms forms) const {
  Quantizer q = *this;
  q.forms_ = forms;
  q.CheckParams();
  return q;
}

namespace {

void CheckForms(DType dtype, const QuantizerForms& forms) {
  const auto rounding = static_cast<int>(forms.rounding);
  if (!IsValidRounding(rounding)) {
    Fail(ErrorKind::kInvalidArgument, "unknown rounding " + std::to_string(rounding) +
                                          " (expected pytorch = 1, onnx = 2 or gguf = 3)");
  }
  const auto type = static_cast<int>(forms.scale_type);
  if (!IsValidScaleType(type)) {
    Fail(ErrorKind::kInvalidArgument,
         "unknown scale type " + std::to_string(type) + " (expected float64 = 1 to bfloat16 = 4)");
  }
  const bool onnx_type =
      dtype != DType::kQInt32 && dtype != DType::kQUInt4x2 && dtype != DType::kQUInt2x4;
  if (forms.rounding == Rounding::kOnnx && !onnx_type) {
    Fail(ErrorKind::kInvalidArgument,
         std::string("ONNX rounding needs a dtype ONNX's QuantizeLinear gives (qint8, quint8, "
                     "qint16, quint16, qint4, quint4), not ") +
             DTypeName(dtype));
  }
  if (forms.rounding == Rounding::kGguf) {
    if (dtype != DType::kQInt8 && dtype != DType::kQUInt4) {
      Fail(ErrorKind::kInvalidArgument,
           std::string("GGUF rounding needs qint8 (Q8_0) or quint4 (Q4_0), not ") +
               DTypeName(dtype));
    }
    if (forms.scale_type != ScaleType::kFloat16) {
      Fail(ErrorKind::kInvalidArgument,
           std::string("GGUF rounding needs float16 scales (GGUF's d), not ") +
               ScaleTypeName(forms.scale_type));
    }
  }
}

}  // namespace

void Quantizer::CheckParams() const {
  CheckForms(dtype_, forms_);
  if (float_qparams() &&
      (rounding() != Rounding::kPyTorch || scale_type() != ScaleType::kFloat32)) {
    Fail(ErrorKind::kInvalidArgument,
         "a quantizer with float zero points (per_channel_affine_float_qparams) rounds "
         "PyTorch's way with float32 scales only, as PyTorch keeps them");
  }
  // GGUF's value formulas fix the zero point: Q8_0's values are q * d and
  // Q4_0's are (q - 8) * d.
  const int64_t gguf_zero_point = dtype_ == DType::kQUInt4 ? 8 : 0;
  for (size_t c = 0; c < scales().size(); ++c) {
    const ParamName scale_name = scheme_ == QScheme::kPerTensorAffine
                                     ? ParamName{"scale"}
                                     : ParamName{"scales", static_cast<int64_t>(c)};
    const ParamName zero_point_name = scheme_ == QScheme::kPerTensorAffine
                                          ? ParamName{"zero_point"}
                                          : ParamName{"zero_points", static_cast<int64_t>(c)};
    const double scale = scales()[c];
    CheckScale(scale, rounding(), scale_name);
    CheckZeroPoint(dtype_, zero_points()[c], zero_point_name);
    // Rounding to float32 first rounds twice for float16 and bfloat16, but
    // a value of either type is a float32 value, so the exact check holds.
    const double nearest = AsScaleType(scale, scale_type());
    if (nearest != scale) {
      Fail(ErrorKind::kInvalidArgument, scale_name.Text() + " = " + FormatPythonFloat(scale) +
                                            " is not a " + ScaleTypeName(scale_type()) +
                                            " value (the nearest is " + FormatPythonFloat(nearest) +
                                            ")");
    }
    if (rounding() == Rounding::kGguf && zero_points()[c] != gguf_zero_point) {
      Fail(ErrorKind::kInvalidArgument,
           zero_point_name.Text() + " = " + std::to_string(zero_points()[c]) +
               ": GGUF rounding needs zero points of " + std::to_string(gguf_zero_point) + " for " +
               DTypeName(dtype_));
    }
  }
}

Quantizer Quantizer::PerTensor(DType dtype, double scale, int64_t zero_point,
                               QuantizerForms forms) {
  CheckDType(dtype);
  Quantizer q;
  q.dtype_ = dtype;
  q.scheme_ = QScheme::kPerTensorAffine;
  q.tables_ = ChannelTables({scale}, {zero_point});
  q.forms_ = forms;
  q.CheckParams();
  return q;
}

Quantizer Quantizer::PerChannel(DType dtype, std::vector<double> scales,
                                std::vector<int64_t> zero_points, int64_t axis,
                                QuantizerForms forms) {
  CheckDType(dtype);
  if (scales.size() != zero_points.size()) {
    Fail(ErrorKind::kInvalidArgument,
         "per-channel scales and zero_points differ in length: " + std::to_string(scales.size()) +
             " and " + std::to_string(zero_points.size()));
  }
  // Refused where it is made: no tensor of any allowed rank has this axis.
  const auto max_dims = static_cast<int64_t>(kMaxDims);
  if (axis < -max_dims || axis >= max_dims) {
    Fail(ErrorKind::kInvalidArgument,
         "per-channel axis " + std::to_string(axis) + " is out of range for any tensor (rank " +
             std::to_string(kMaxDims) + " at most, so the axis lies in [-" +
             std::to_string(kMaxDims) + ", " + std::to_string(kMaxDims - 1) + "])");
  }
  Quantizer q;
  q.dtype_ = dtype;
  q.scheme_ = QScheme::kPerChannelAffine;
  q.tables_ = ChannelTables(std::move(scales), std::move(zero_points));
  q.axis_ = axis;
  q.forms_ = forms;
  q.CheckParams();
  return q;
}

std::shared_ptr<const std::vector<float>> Quantizer::NoFloatZeroPoints() {
  static const auto kNone = std::make_shared<const std::vector<float>>();
  return kNone;
}

Quantizer Quantizer::PerChannelFloatQParams(DType dtype, const std::vector<float>& scales,
                                            std::vector<float> zero_points, int64_t axis) {
  CheckDType(dtype);
  if (dtype != DType::kQInt8 && dtype != DType::kQUInt8 && dtype != DType::kQUInt4x2 &&
      dtype != DType::kQUInt2x4) {
    Fail(ErrorKind::kInvalidArgument,
         std::string("per_channel_affine_float_qparams takes qint8, quint8, quint4x2 or "
                     "quint2x4 (as PyTorch 1.13 computes it), not ") +
             DTypeName(dtype));
  }
  if (scales.size() != zero_points.size()) {
    Fail(ErrorKind::kInvalidArgument,
         "per-channel scales and zero_points differ in length: " + std::to_string(scales.size()) +
             " and " + std::to_string(zero_points.size()));
  }
  for (size_t c = 0; c < zero_points.size(); ++c) {
    if (!std::isfinite(zero_points[c])) {
      Fail(ErrorKind::kInvalidArgument, ParamName{"zero_points", static_cast<int64_t>(c)}.Text() +
                                            " must be finite, got " +
                                            FormatPythonFloat(zero_points[c]));
    }
  }
  // Integer zero points of 0 keep every per-channel check and table valid;
  // the float ones replace them wherever a value is computed.
  Quantizer q = PerChannel(dtype, std::vector<double>(scales.begin(), scales.end()),
                           std::vector<int64_t>(scales.size(), 0), axis);
  q.scheme_ = QScheme::kPerChannelAffineFloatQParams;
  q.forms_.scale_type = ScaleType::kFloat32;
  q.float_zero_points_ = std::make_shared<const std::vector<float>>(std::move(zero_points));
  return q;
}

Quantizer Quantizer::OneChannel(size_t channel) const {
  Quantizer q = *this;
  q.tables_ = ChannelTables({scales()[channel]}, {zero_points()[channel]});
  if (float_qparams()) {
    q.float_zero_points_ =
        std::make_shared<const std::vector<float>>(1, float_zero_points()[channel]);
  }
  q.axis_ = kNoAxis;
  return q;
}

Quantizer Quantizer::WithAxis(int64_t axis) const {
  Quantizer q = *this;
  q.axis_ = axis;
  return q;
}

Quantizer Quantizer::PerBlock(DType dtype, std::vector<double> scales,
                              std::vector<int64_t> zero_points, int64_t axis, int64_t block_size,
                              QuantizerForms forms) {
  if (block_size < 1) {
    Fail(ErrorKind::kInvalidArgument,
         "block_size must be at least 1, got " + std::to_string(block_size));
  }
  Quantizer q = PerChannel(dtype, std::move(scales), std::move(zero_points), axis, forms);
  q.scheme_ = QScheme::kPerBlockAffine;
  q.block_size_ = block_size;
  return q;
}

namespace {

// Scales compared bit for bit: a GGUF scale of -0.0 is not one of 0.0.
bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

}  // namespace

Quantizer Quantizer::Resolved(const std::vector<int64_t>& shape) const {
  if (scheme_ == QScheme::kPerTensorAffine) return *this;
  Quantizer q = *this;
  q.axis_ = ResolveAxis(shape);
  return q;
}

int64_t Quantizer::ResolveAxis(const std::vector<int64_t>& shape) const {
  const int64_t ndim = static_cast<int64_t>(shape.size());
  if (axis_ == kNoAxis) {
    Fail(ErrorKind::kInvalidArgument,
         "this quantizer is one channel of a view that selected its channel axis away: it has "
         "no axis to quantize a tensor along");
  }
  if (axis_ < -ndim || axis_ >= ndim) {
    Fail(ErrorKind::kInvalidArgument,
         std::string(per_block() ? "per-block" : "per-channel") + " axis " + std::to_string(axis_) +
             " is out of range for a tensor of rank " + std::to_string(ndim));
  }
  const int64_t axis = axis_ < 0 ? axis_ + ndim : axis_;
  if (per_block()) {
    // ONNX's shape rule, counted: every element outside the axis, times
    // the blocks along it.
    const int64_t size = shape[axis];
    const int64_t blocks = BlockCount(size, block_size_);
    int64_t expected = blocks;
    for (int64_t d = 0; d < ndim; ++d) {
      if (d != axis) expected = shape[d] == 0 || expected == 0 ? 0 : expected * shape[d];
    }
    if (static_cast<int64_t>(num_channels()) != expected) {
      Fail(ErrorKind::kShapeMismatch,
           "per-block quantizer has " + std::to_string(num_channels()) +
               " scales but a tensor of shape " + ShapeText(shape, ShapeStyle::kTuple) +
               " with blocks of " + std::to_string(block_size_) + " along axis " +
               std::to_string(axis) + " needs " + std::to_string(expected));
    }
    return axis;
  }
  if (static_cast<int64_t>(num_channels()) != shape[axis]) {
    Fail(ErrorKind::kShapeMismatch, "per-channel quantizer has " + std::to_string(num_channels()) +
                                        " channels but the tensor's size on axis " +
                                        std::to_string(axis) + " is " +
                                        std::to_string(shape[axis]));
  }
  return axis;
}

bool Quantizer::operator==(const Quantizer& other) const {
  return dtype_ == other.dtype_ && scheme_ == other.scheme_ && axis_ == other.axis_ &&
         block_size_ == other.block_size_ && rounding() == other.rounding() &&
         scale_type() == other.scale_type() && SameBits(scales(), other.scales()) &&
         zero_points() == other.zero_points() && float_zero_points() == other.float_zero_points();
}

}  // namespace qtensor::core
