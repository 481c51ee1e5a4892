// GGUF's own block formats Q8_0 and Q4_0, with llama.cpp's reference
// formulas (ggml-quants.c: quantize_row_q8_0_ref, quantize_row_q4_0_ref,
// dequantize_row_q8_0, dequantize_row_q4_0), bit for bit. A row is whole
// blocks of 32 floats; n must be a multiple of kGgufBlock (the caller
// checks). All arithmetic is float32, without fused multiply-adds.
//
// Q8_0 block (34 bytes): float16 d, then 32 int8 q.
//   amax = fold of m = (m > |x_j|) ? m : |x_j| from m = 0, j = 0..31 (ggml's
//          MAX: a NaN makes m NaN, and the next element replaces it)
//   d = amax / 127;  id = d != 0 ? 1 / d : 0  (NaN != 0, so NaN d gives NaN id)
//   q_j = I8(roundf(x_j * id))  (half away from zero);  stored d = F16(d)
// Q4_0 block (18 bytes): float16 d, then 16 bytes; element j (0..15) in
// the low nibble of byte j, element j + 16 in its high nibble.
//   max = the first x_j of largest |x_j| (strictly larger replaces; NaN
//         never does), or 0 if none is above 0
//   d = max / -8;  id = d != 0 ? 1 / d : 0
//   q_j = min(15, I8(x_j * id + 8.5f)) as a byte (truncation toward zero)
//   byte j = low8(q_j | (q_{j+16} << 4));  stored d = F16(d)
// Dequantize (d' = the stored float16 d as float):
//   Q8_0: y_j = (float)q_j * d';  Q4_0: y_j = (float)(nibble_j - 8) * d'.
//
// F16 is half_float.h's FloatToHalfBits (round to nearest even, as
// _cvtss_sh and ggml's fallback). I8(v) is C's float-to-int8_t conversion as
// llama.cpp compiled for x86-64 performs it (undefined in C): v truncated
// to int32 by cvttss2si, where NaN and values outside [-2^31, 2^31) give
// INT32_MIN, then the low 8 bits. In ordinary blocks every value is in
// range; NaN, inf and subnormal amax give what docs/numerics.md lists.
#ifndef QTENSOR_KERNELS_GGUF_BLOCK_KERNELS_H_
#define QTENSOR_KERNELS_GGUF_BLOCK_KERNELS_H_

#include <cstddef>
#include <cstdint>

namespace qtensor::kernels {

inline constexpr size_t kGgufBlock = 32;
inline constexpr size_t kQ8_0BlockBytes = 2 + 32;
inline constexpr size_t kQ4_0BlockBytes = 2 + 16;

// n floats (a multiple of kGgufBlock) to n / 32 blocks at out, and back.
void QuantizeQ8_0(const float* in, size_t n, uint8_t* out);
void QuantizeQ4_0(const float* in, size_t n, uint8_t* out);
void DequantizeQ8_0(const uint8_t* in, size_t n, float* out);
void DequantizeQ4_0(const uint8_t* in, size_t n, float* out);

namespace scalar {

// I8 above: C's float-to-int8_t conversion as x86-64 code performs it.
int8_t X86FloatToInt8(float v);

// GGUF rounding with a given block scale d (a quantizer's float16 scale,
// core/gguf_rounding.h): the value steps above with id = d != 0 ? 1 / d : 0,
// clamped to the range where llama.cpp's I8 would wrap (its own d never
// lets a value out), NaN giving 0 as I8 does:
//   Q8_0: q = clamp(roundf(x * id), -128, 127)
//   Q4_0: v = x * id + 8.5f;  q = v >= 15 ? 15 : v > 0 ? trunc(v) : 0
int8_t QuantizeQ8_0Value(float x, float id);
uint8_t QuantizeQ4_0Value(float x, float id);
inline float GgufInverseScale(float d) { return d != 0.0f ? 1.0f / d : 0.0f; }

void QuantizeQ8_0(const float* in, size_t n, uint8_t* out);
void QuantizeQ4_0(const float* in, size_t n, uint8_t* out);
void DequantizeQ8_0(const uint8_t* in, size_t n, float* out);
void DequantizeQ4_0(const uint8_t* in, size_t n, float* out);

}  // namespace scalar
}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_GGUF_BLOCK_KERNELS_H_
