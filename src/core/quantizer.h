// Affine quantization parameters: one scale and zero point for the whole
// tensor, one per index of a channel axis (with integer zero points, or
// PyTorch's float qparams: float32 scales and float32 zero points), or one
// per block of block_size consecutive elements along an axis (ONNX's blocked
// quantization). Immutable once made; the factories reject invalid
// parameters with a message naming the value.
#ifndef QTENSOR_CORE_QUANTIZER_H_
#define QTENSOR_CORE_QUANTIZER_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "core/channel_tables.h"
#include "core/dtype.h"
#include "kernels/channel_params.h"

namespace qtensor::core {

// Values equal the C ABI's qt_qscheme.
enum class QScheme {
  kPerTensorAffine = 1,
  kPerChannelAffine = 2,
  kPerBlockAffine = 3,
  kPerChannelAffineFloatQParams = 4,
};

const char* QSchemeName(QScheme scheme);  // "per_tensor_affine"

// The number of blocks of block_size (>= 1) along an axis of size (>= 0)
// elements, the last possibly short: ceil(size / block_size), without
// overflow.
inline int64_t BlockCount(int64_t size, int64_t block_size) {
  return size == 0 ? 0 : (size - 1) / block_size + 1;
}

// Which formula quantizes floats into a tensor (docs/numerics.md). Values
// equal the C ABI's qt_rounding.
enum class Rounding {
  kPyTorch = 1,  // x * (1.0f / scale), half to even, NaN -> zero point
  kOnnx = 2,     // x / scale in float32, half to even, NaN -> qmin (ONNX Runtime's)
  kGguf = 3,     // llama.cpp's Q8_0 / Q4_0 value formulas (core/gguf_rounding.h)
};

const char* RoundingName(Rounding rounding);  // "pytorch", "onnx", "gguf"
bool IsValidRounding(int value);

// The floating-point type the scales are kept in (PyTorch's are float64;
// ONNX models and GGUF files carry float32, float16 or bfloat16 ones). The
// scales are held as doubles, which hold every such value exactly, so the
// type changes no result: it is kept so that a scale goes back out in the
// type it came in. Values equal the C ABI's qt_scale_type.
enum class ScaleType { kFloat64 = 1, kFloat32 = 2, kFloat16 = 3, kBFloat16 = 4 };

const char* ScaleTypeName(ScaleType type);  // "float64", "float32", "float16", "bfloat16"
bool IsValidScaleType(int value);

// How a quantizer's scales are kept and how it quantizes: given to the
// factories so that the parameters are checked against them once.
struct QuantizerForms {
  Rounding rounding = Rounding::kPyTorch;
  ScaleType scale_type = ScaleType::kFloat64;
};

class Quantizer {
 public:
  // Scales must be positive and finite with a finite float32 reciprocal,
  // except under GGUF's rounding, whose block scales may be any finite
  // value (0 and negative ones too, as GGUF files hold them).
  static Quantizer PerTensor(DType dtype, double scale, int64_t zero_point,
                             QuantizerForms forms = {});
  // axis may be negative; it is resolved against a tensor's rank on use.
  static Quantizer PerChannel(DType dtype, std::vector<double> scales,
                              std::vector<int64_t> zero_points, int64_t axis,
                              QuantizerForms forms = {});

  // Per block: the parameters of a tensor of shape S are laid out row-major
  // in ONNX's shape for them, S with S[axis] replaced by
  // ceil(S[axis] / block_size); element (..., i, ...) with i on axis uses
  // those at (..., i / block_size, ...), so the last block may be short.
  static Quantizer PerBlock(DType dtype, std::vector<double> scales,
                            std::vector<int64_t> zero_points, int64_t axis, int64_t block_size,
                            QuantizerForms forms = {});

  // PyTorch's per_channel_affine_float_qparams: a float32 scale (> 0) and
  // a finite float32 zero point per channel, any value, in or outside the
  // dtype's range (docs/numerics.md has the formulas). Dtypes: qint8,
  // quint8, quint4x2 and quint2x4. Its scale type is float32.
  static Quantizer PerChannelFloatQParams(DType dtype, const std::vector<float>& scales,
                                          std::vector<float> zero_points, int64_t axis);
  // The same one channel, for a view that selected its storage's channel
  // axis away: it has no axis (axis() is kNoAxis) and quantizes no tensor.
  Quantizer OneChannel(size_t channel) const;
  // The same per-channel quantizer along another axis (of the same count).
  Quantizer WithAxis(int64_t axis) const;
  static constexpr int64_t kNoAxis = std::numeric_limits<int64_t>::min();

  DType dtype() const { return dtype_; }
  QScheme scheme() const { return scheme_; }
  // True for both per-channel schemes: they share the channel axis and
  // every view rule; float_qparams() tells them apart.
  bool per_channel() const { return scheme_ == QScheme::kPerChannelAffine || float_qparams(); }
  bool float_qparams() const { return scheme_ == QScheme::kPerChannelAffineFloatQParams; }
  bool per_block() const { return scheme_ == QScheme::kPerBlockAffine; }
  int64_t block_size() const { return block_size_; }  // per block; 0 otherwise
  // Per tensor: one entry each. Per channel: one per channel.
  const std::vector<double>& scales() const { return tables_.scales(); }
  // Float qparams: all 0 (the float ones are float_zero_points()); callers
  // that read integer zero points refuse float-qparams quantizers first.
  const std::vector<int64_t>& zero_points() const { return tables_.zero_points(); }
  // Float qparams only (else empty): one per channel.
  const std::vector<float>& float_zero_points() const { return *float_zero_points_; }
  size_t num_channels() const { return scales().size(); }
  // The same parameters in the forms the kernels take, converted once.
  kernels::ChannelParams KernelParams() const { return tables_.Params(); }
  int64_t axis() const { return axis_; }

  // The axis as a dim of a rank-ndim tensor whose shape is checked against
  // the number of channels (per block: of parameters); throws for a bad
  // axis or count.
  int64_t ResolveAxis(const std::vector<int64_t>& shape) const;
  // The same quantizer with its axis resolved against shape.
  Quantizer Resolved(const std::vector<int64_t>& shape) const;

  Rounding rounding() const { return forms_.rounding; }
  // The same parameters quantizing with rounding. ONNX's is refused for the
  // dtypes ONNX's QuantizeLinear has no output type for (qint32, quint4x2,
  // quint2x4); GGUF's needs float16 scales and GGUF's forms: qint8 with
  // zero points 0 (Q8_0) or quint4 with zero points 8 (Q4_0).
  Quantizer WithRounding(Rounding rounding) const;
  ScaleType scale_type() const { return forms_.scale_type; }
  // The same parameters with scales of the given type; every scale must be
  // a value of that type (else kInvalidArgument naming the scale).
  Quantizer WithScaleType(ScaleType type) const;
  const QuantizerForms& forms() const { return forms_; }
  // The same parameters with other forms, checked against them.
  Quantizer WithForms(QuantizerForms forms) const;

  bool operator==(const Quantizer& other) const;
  bool operator!=(const Quantizer& other) const { return !(*this == other); }

 private:
  Quantizer() = default;

  DType dtype_ = DType::kQInt8;
  QScheme scheme_ = QScheme::kPerTensorAffine;
  ChannelTables tables_;
  int64_t axis_ = 0;
  int64_t block_size_ = 0;
  QuantizerForms forms_;
  std::shared_ptr<const std::vector<float>> float_zero_points_ = NoFloatZeroPoints();

  static std::shared_ptr<const std::vector<float>> NoFloatZeroPoints();
  // Checks every parameter against the dtype and the forms.
  void CheckParams() const;
};

}  // namespace qtensor::core

#endif  // QTENSOR_CORE_QUANTIZER_H_
