// Compares the ONNX quantize kernels with ONNX Runtime, element by element and
// bit for bit, on the cases make_cases.py wrote and run_ort.mjs ran: each
// case's NAME.x, NAME.scale, NAME.zp and ONNX Runtime's NAME.ort.
//
// ONNX Runtime quantizes most elements in MLAS, whose rule the kernels follow
// (NaN -> qmin). Its scalar loops (blocked along an axis other than the last;
// a 4-bit element alone in its byte at the end of a run) convert
// round(x / scale) to int32 first, which gives INT32_MIN for NaN, +-inf and
// |x / scale| >= 2^31, then add the zero point with wraparound and clamp. An
// element that differs is accepted only if it is such an input and ONNX
// Runtime's value is that one and the kernel's is MLAS's; it is counted
// apart. Anything else fails.
//
// Then, for docs/numerics.md, how many inputs PyTorch's rounding
// (x * (1 / scale)) puts elsewhere than ONNX's (x / scale).
//
// Usage: qtensor_compare_onnx_rounding CASE_DIR
// Exit status: 0 when every element agrees or is explained, 1 otherwise.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/channel_tables.h"
#include "kernels/channel_params.h"
#include "kernels/onnx_quantize_kernels.h"
#include "kernels/quantize_kernels.h"

namespace {

namespace qk = qtensor::kernels;
namespace onnx = qtensor::kernels::onnx;

struct Case {
  std::string name, op, type, layout;
  size_t outer = 0, axis_len = 0, inner = 0, block_size = 0;
  size_t Count() const { return outer * axis_len * inner; }
};

template <typename T>
std::vector<T> ReadArray(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (bytes.size() % sizeof(T) != 0) throw std::runtime_error("odd size: " + path);
  std::vector<T> values(bytes.size() / sizeof(T));
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

struct Data {
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
  std::vector<int64_t> wide_zero_points;  // for ChannelParams
};

// ------------------------------------------------------------------ quantize

// The kernel for a case's type and layout, as int32 per element.
template <class Range, bool kFourBit>
std::vector<int32_t> QuantizeAs(const Case& c, const std::vector<float>& x, const Data& d) {
  using T = typename Range::T;
  std::vector<T> q(c.Count());
  if (c.layout == "tensor") {
    if constexpr (kFourBit) {
      onnx::QuantizePerTensor4Bit(x.data(), x.size(), d.scales[0], d.zero_points[0], q.data());
    } else {
      onnx::QuantizePerTensor(x.data(), x.size(), d.scales[0], d.zero_points[0], q.data());
    }
  } else if (c.layout == "axis") {
    qk::ChannelParams params;
    params.float_scales = d.scales.data();
    params.zero_points = d.wide_zero_points.data();
    if constexpr (kFourBit) {
      onnx::QuantizePerAxis4Bit(x.data(), c.outer, c.axis_len, c.inner, params, q.data());
    } else {
      onnx::QuantizePerAxis(x.data(), c.outer, c.axis_len, c.inner, params, q.data());
    }
  } else {
    const onnx::BlockedParams params{d.scales.data(), d.zero_points.data(), c.block_size};
    if constexpr (kFourBit) {
      onnx::QuantizeBlocked4Bit(x.data(), c.outer, c.axis_len, c.inner, params, q.data());
    } else {
      onnx::QuantizeBlocked(x.data(), c.outer, c.axis_len, c.inner, params, q.data());
    }
  }
  return std::vector<int32_t>(q.begin(), q.end());
}

std::vector<int32_t> Quantize(const Case& c, const std::vector<float>& x, const Data& d) {
  if (c.type == "int8") return QuantizeAs<onnx::Int8Range, false>(c, x, d);
  if (c.type == "uint8") return QuantizeAs<onnx::Uint8Range, false>(c, x, d);
  if (c.type == "int16") return QuantizeAs<onnx::Int16Range, false>(c, x, d);
  if (c.type == "uint16") return QuantizeAs<onnx::Uint16Range, false>(c, x, d);
  if (c.type == "int4") return QuantizeAs<onnx::Int4Range, true>(c, x, d);
  if (c.type == "uint4") return QuantizeAs<onnx::Uint4Range, true>(c, x, d);
  throw std::runtime_error("unknown type " + c.type);
}

void Range(const std::string& type, int32_t* qmin, int32_t* qmax) {
  if (type == "int8") *qmin = -128, *qmax = 127;
  if (type == "uint8") *qmin = 0, *qmax = 255;
  if (type == "int16") *qmin = -32768, *qmax = 32767;
  if (type == "uint16") *qmin = 0, *qmax = 65535;
  if (type == "int4") *qmin = -8, *qmax = 7;
  if (type == "uint4") *qmin = 0, *qmax = 15;
}

// ONNX Runtime's scalar loops for an element whose round(x / scale) has no
// int32 value: INT32_MIN plus the zero point (wrapping), clamped.
bool ScalarLoopValue(float x, float scale, int32_t zp, int32_t qmin, int32_t qmax, int32_t* value) {
  const float r = std::nearbyint(x / scale);
  if (!std::isnan(r) && std::fabs(r) < 0x1p31f) return false;
  const auto sum =
      static_cast<int32_t>(static_cast<uint32_t>(INT32_MIN) + static_cast<uint32_t>(zp));
  *value = sum < qmin ? qmin : (sum > qmax ? qmax : sum);
  return true;
}

// MLAS's value for such an element: NaN -> qmin, else saturated by sign.
int32_t MlasValue(float v, int32_t qmin, int32_t qmax) {
  return std::isnan(v) || v < 0 ? qmin : qmax;
}

// The index of an element's parameter.
size_t ParamIndex(const Case& c, size_t k) {
  if (c.layout == "tensor") return 0;
  const size_t i = k % c.inner, a = k / c.inner % c.axis_len, o = k / c.inner / c.axis_len;
  if (c.layout == "axis") return a;
  const size_t blocks = (c.axis_len + c.block_size - 1) / c.block_size;
  return (o * blocks + a / c.block_size) * c.inner + i;
}

struct Counts {
  size_t elements = 0, equal = 0, scalar_loop = 0, wrong = 0;
};

void CompareQuantize(const Case& c, const std::string& dir, const Data& d, Counts* counts) {
  const std::vector<float> x = ReadArray<float>(dir + "/" + c.name + ".x");
  const std::vector<int32_t> ort = ReadArray<int32_t>(dir + "/" + c.name + ".ort");
  if (x.size() != c.Count() || ort.size() != c.Count()) throw std::runtime_error(c.name + ": size");
  const std::vector<int32_t> ours = Quantize(c, x, d);
  int32_t qmin = 0, qmax = 0;
  Range(c.type, &qmin, &qmax);
  size_t scalar_loop = 0, wrong = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    if (ours[k] == ort[k]) continue;
    const size_t p = ParamIndex(c, k);
    int32_t loop_value = 0;
    if (ScalarLoopValue(x[k], d.scales[p], d.zero_points[p], qmin, qmax, &loop_value) &&
        loop_value == ort[k] && ours[k] == MlasValue(x[k] / d.scales[p], qmin, qmax)) {
      ++scalar_loop;
      continue;
    }
    if (++wrong <= 5) {
      std::printf("  %s[%zu]: x %.9g (%a), scale %.9g, zp %d: ours %d, ONNX Runtime %d\n",
                  c.name.c_str(), k, static_cast<double>(x[k]), static_cast<double>(x[k]),
                  static_cast<double>(d.scales[p]), d.zero_points[p], ours[k], ort[k]);
    }
  }
  counts->elements += x.size();
  counts->equal += x.size() - scalar_loop - wrong;
  counts->scalar_loop += scalar_loop;
  counts->wrong += wrong;
  if (scalar_loop != 0 || wrong != 0) {
    std::printf("%s: %zu elements, %zu from ONNX Runtime's scalar loop, %zu wrong\n",
                c.name.c_str(), x.size(), scalar_loop, wrong);
  }
}

// ------------------------------------------------------------------ dequantize

template <typename T>
std::vector<float> DequantizeAs(const Case& c, const std::vector<int32_t>& values, const Data& d) {
  const std::vector<T> q(values.begin(), values.end());
  std::vector<float> f(q.size());
  // Per tensor and per axis are blocked layouts too: one block of the whole
  // tensor, or blocks of 1 along the axis with parameters repeated.
  if (c.layout == "tensor") {
    const onnx::BlockedParams params{d.scales.data(), d.zero_points.data(), c.axis_len};
    onnx::DequantizeBlocked(q.data(), 1, c.axis_len, 1, params, f.data());
  } else if (c.layout == "axis") {
    std::vector<float> scales;
    std::vector<int32_t> zps;
    for (size_t o = 0; o < c.outer; ++o) {
      for (size_t a = 0; a < c.axis_len; ++a) {
        scales.insert(scales.end(), c.inner, d.scales[a]);
        zps.insert(zps.end(), c.inner, d.zero_points[a]);
      }
    }
    const onnx::BlockedParams params{scales.data(), zps.data(), 1};
    onnx::DequantizeBlocked(q.data(), c.outer, c.axis_len, c.inner, params, f.data());
  } else {
    const onnx::BlockedParams params{d.scales.data(), d.zero_points.data(), c.block_size};
    onnx::DequantizeBlocked(q.data(), c.outer, c.axis_len, c.inner, params, f.data());
  }
  return f;
}

// qtensor's existing per-tensor and per-channel dequantize (8 bits).
template <typename T>
std::vector<float> ExistingDequantize(const Case& c, const std::vector<int32_t>& values,
                                      const Data& d) {
  const std::vector<T> q(values.begin(), values.end());
  std::vector<float> f(q.size());
  if (c.layout == "tensor") {
    qk::DequantizePerTensor(q.data(), q.size(), d.scales[0], d.zero_points[0], f.data());
  } else {
    const qtensor::core::ChannelTables tables(std::vector<double>(d.scales.begin(), d.scales.end()),
                                              d.wide_zero_points);
    qk::DequantizePerChannel(q.data(), c.outer, c.axis_len, c.inner, tables.Params(), f.data());
  }
  return f;
}

void CompareDequantize(const Case& c, const std::string& dir, const Data& d, Counts* counts) {
  const std::vector<int32_t> q = ReadArray<int32_t>(dir + "/" + c.name + ".x");
  const std::vector<float> ort = ReadArray<float>(dir + "/" + c.name + ".ort");
  if (q.size() != c.Count() || ort.size() != c.Count()) throw std::runtime_error(c.name + ": size");
  std::vector<float> ours;
  if (c.type == "int8" || c.type == "int4") ours = DequantizeAs<int8_t>(c, q, d);
  if (c.type == "uint8" || c.type == "uint4") ours = DequantizeAs<uint8_t>(c, q, d);
  if (c.type == "int16") ours = DequantizeAs<int16_t>(c, q, d);
  if (c.type == "uint16") ours = DequantizeAs<uint16_t>(c, q, d);
  // 8-bit per tensor and per axis: qtensor's own dequantize kernels too.
  if ((c.type == "int8" || c.type == "uint8") && c.layout != "blocked") {
    const std::vector<float> existing = c.type == "int8" ? ExistingDequantize<int8_t>(c, q, d)
                                                         : ExistingDequantize<uint8_t>(c, q, d);
    if (std::memcmp(existing.data(), ours.data(), ours.size() * sizeof(float)) != 0) {
      std::printf("%s: qtensor's per-%s dequantize differs from the blocked kernel\n",
                  c.name.c_str(), c.layout.c_str());
      ++counts->wrong;
    }
  }
  size_t wrong = 0;
  for (size_t k = 0; k < q.size(); ++k) {
    if (std::memcmp(&ours[k], &ort[k], sizeof(float)) == 0) continue;
    if (++wrong <= 5) {
      const size_t p = ParamIndex(c, k);
      std::printf("  %s[%zu]: q %d, scale %.9g, zp %d: ours %.9g, ONNX Runtime %.9g\n",
                  c.name.c_str(), k, q[k], static_cast<double>(d.scales[p]), d.zero_points[p],
                  static_cast<double>(ours[k]), static_cast<double>(ort[k]));
    }
  }
  counts->elements += q.size();
  counts->equal += q.size() - wrong;
  counts->wrong += wrong;
  if (wrong != 0) std::printf("%s: %zu elements, %zu wrong\n", c.name.c_str(), q.size(), wrong);
}

// ------------------------------------------------------------------ PyTorch's rounding

// How many uint8 integers (zero point 128) x * (1.0f / scale) puts elsewhere
// than x / scale: among 1 Mi inputs uniform in [-128, 128] * scale, and among
// the floats nearest each tie (k + 0.5) * scale, k in [-128, 127], with two
// floats either side.
size_t CountDifferences(const std::vector<float>& x, float scale) {
  std::vector<uint8_t> by_division(x.size()), by_reciprocal(x.size());
  onnx::QuantizePerTensor(x.data(), x.size(), scale, 128, by_division.data());
  qk::QuantizePerTensor(x.data(), x.size(), qk::InverseScale(scale), 128, by_reciprocal.data());
  size_t differ = 0;
  for (size_t k = 0; k < x.size(); ++k) differ += by_division[k] != by_reciprocal[k];
  return differ;
}

void CountPyTorchDifferences() {
  constexpr size_t kN = size_t{1} << 20;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  std::printf("PyTorch's rounding against ONNX's (uint8, zero point 128):\n");
  for (const float scale : {0.00214854861f, 0.1f, 0.02f, 1.0f / 3.0f, 0.0078125f}) {
    std::vector<float> uniform(kN), ties;
    for (float& v : uniform) v = unit(rng) * 128.0f * scale;
    for (int k = -128; k < 128; ++k) {
      float x = static_cast<float>((k + 0.5) * static_cast<double>(scale));
      for (int i = 0; i < 2; ++i) x = std::nextafter(x, -std::numeric_limits<float>::infinity());
      for (int i = 0; i < 5; ++i, x = std::nextafter(x, std::numeric_limits<float>::infinity())) {
        ties.push_back(x);
      }
    }
    std::printf("  scale %.9g: %zu of %zu uniform inputs differ, %zu of %zu near ties\n",
                static_cast<double>(scale), CountDifferences(uniform, scale), uniform.size(),
                CountDifferences(ties, scale), ties.size());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CASE_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  try {
    std::ifstream manifest(dir + "/cases.txt");
    if (!manifest) throw std::runtime_error("cannot read " + dir + "/cases.txt");
    Counts quantize, dequantize;
    size_t cases = 0;
    for (std::string line; std::getline(manifest, line);) {
      if (line.empty()) continue;
      std::istringstream fields(line);
      Case c;
      fields >> c.name >> c.op >> c.type >> c.layout >> c.outer >> c.axis_len >> c.inner >>
          c.block_size;
      if (!fields) throw std::runtime_error("bad manifest line: " + line);
      Data d;
      d.scales = ReadArray<float>(dir + "/" + c.name + ".scale");
      d.zero_points = ReadArray<int32_t>(dir + "/" + c.name + ".zp");
      d.wide_zero_points.assign(d.zero_points.begin(), d.zero_points.end());
      if (c.op == "quantize") {
        CompareQuantize(c, dir, d, &quantize);
      } else {
        CompareDequantize(c, dir, d, &dequantize);
      }
      ++cases;
    }
    std::printf("%zu cases\n", cases);
    std::printf(
        "quantize:   %zu elements, %zu bit for bit, %zu where ONNX Runtime's scalar loop "
        "differs (NaN, +-inf, |x / scale| >= 2^31), %zu wrong\n",
        quantize.elements, quantize.equal, quantize.scalar_loop, quantize.wrong);
    std::printf("dequantize: %zu elements, %zu bit for bit, %zu wrong\n", dequantize.elements,
                dequantize.equal, dequantize.wrong);
    CountPyTorchDifferences();
    const bool ok = cases > 0 && quantize.elements > 0 && dequantize.elements > 0 &&
                    quantize.wrong == 0 && dequantize.wrong == 0;
    std::printf("%s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
