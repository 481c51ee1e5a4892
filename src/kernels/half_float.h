// Exact conversions between float32 and the 16-bit floats of GGUF files:
// IEEE binary16 (float16, ggml's F16 and the block scales of Q8_0 / Q4_0)
// and bfloat16 (the top half of a float32, ggml's BF16).
//
// To 16 bits: round to nearest, ties to even; past the largest finite value
// (65504 for float16) +-inf; float16 subnormals exact where representable;
// the sign kept (-0 stays -0); NaN stays NaN, quiet, with the top bits of
// its payload. To float32: exact, a signalling NaN made quiet.
#ifndef QTENSOR_KERNELS_HALF_FLOAT_H_
#define QTENSOR_KERNELS_HALF_FLOAT_H_

#include <cstdint>
#include <cstring>

namespace qtensor::kernels {

inline uint32_t FloatBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof(bits));
  return bits;
}

inline float FloatFromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

// Adds one to q where the dropped bits `rest` are above half of a unit
// (`half`), or exactly half and q is odd: round to nearest, ties to even.
inline uint32_t RoundHalfEven(uint32_t q, uint32_t rest, uint32_t half) {
  return q + ((rest > half || (rest == half && (q & 1) != 0)) ? 1 : 0);
}

inline uint16_t FloatToHalfBits(float f) {
  const uint32_t x = FloatBits(f);
  const auto sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  const uint32_t abs = x & 0x7fffffff;
  if (abs > 0x7f800000) {  // NaN: quiet, the payload's top 9 bits kept
    return static_cast<uint16_t>(sign | 0x7e00 | ((abs >> 13) & 0x1ff));
  }
  // 65520 = 65504 + half a unit, a tie that rounds to the even 0x7c00 (inf).
  if (abs >= 0x477ff000) return static_cast<uint16_t>(sign | 0x7c00);
  if (abs >= 0x38800000) {  // a normal float16 (2^-14 and up): rebias 127 -> 15
    const uint32_t q = (abs - 0x38000000) >> 13;
    // A carry out of the mantissa moves to the next binade, as it should.
    return static_cast<uint16_t>(sign | RoundHalfEven(q, abs & 0x1fff, 0x1000));
  }
  // Below 2^-14: multiples of 2^-24. Under 2^-25 (exponent 102) rounds to 0.
  const uint32_t exponent = abs >> 23;
  if (exponent < 102) return sign;
  const uint32_t mantissa = (abs & 0x7fffff) | 0x800000;  // value = mantissa * 2^(exponent - 150)
  const uint32_t shift = 126 - exponent;                  // 14..24: to units of 2^-24
  const uint32_t q = mantissa >> shift;
  const uint32_t rest = mantissa & ((uint32_t{1} << shift) - 1);
  // q may round up to 0x400, the smallest normal: the right bits too.
  return static_cast<uint16_t>(sign | RoundHalfEven(q, rest, uint32_t{1} << (shift - 1)));
}

inline float HalfBitsToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exponent = (h >> 10) & 0x1f;
  const uint32_t mantissa = h & 0x3ff;
  if (exponent == 0x1f) {  // inf, or NaN made quiet
    return FloatFromBits(sign | 0x7f800000 | (mantissa << 13) | (mantissa != 0 ? 0x400000 : 0));
  }
  if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24, exact in float
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
    return FloatFromBits(sign | FloatBits(magnitude));
  }
  return FloatFromBits(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

inline uint16_t FloatToBFloat16Bits(float f) {
  const uint32_t x = FloatBits(f);
  if ((x & 0x7fffffff) > 0x7f800000) return static_cast<uint16_t>((x >> 16) | 0x40);  // quiet NaN
  // Overflow carries into the exponent and gives inf, as it should.
  return static_cast<uint16_t>(RoundHalfEven(x >> 16, x & 0xffff, 0x8000));
}

inline float BFloat16BitsToFloat(uint16_t b) {
  uint32_t x = static_cast<uint32_t>(b) << 16;
  if ((x & 0x7fffffff) > 0x7f800000) x |= 0x400000;  // quiet NaN
  return FloatFromBits(x);
}

// A float16 stored little-endian at p (unaligned), as GGUF blocks hold it.
inline float LoadHalf(const uint8_t* p) {
  uint16_t bits;
  std::memcpy(&bits, p, sizeof(bits));
  return HalfBitsToFloat(bits);
}
inline void StoreHalf(float f, uint8_t* p) {
  const uint16_t bits = FloatToHalfBits(f);
  std::memcpy(p, &bits, sizeof(bits));
}

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_HALF_FLOAT_H_
