// The constants of qtensor's float32 sigmoid and tanh (docs/numerics.md,
// "Sigmoid and tanh"), shared by the scalar kernels (elementwise_scalar.cc)
// and the lane ones (float_map_lanes-inl.h), which follow the same steps:
//
//   1 + e^t, for t in [-20, 87]:
//     k = t * kLog2e + kRoundMagic;  n = k - kRoundMagic   (round(t / ln 2))
//     r = (t - n * kLn2Hi) - n * kLn2Lo                    (t - n ln 2)
//     p = kExp6, then p = p * r + kExp5, kExp4, kExp3, kExp2 (Horner)
//     e = r + (r * r) * p                                  (e^r - 1)
//     s = 2^n, k's bits shifted left by 23 plus 127 << 23 (k's low bits hold n)
//     1 + e^t = n >= 24 ? s + (1 + s * e) : (1 + s) + s * e
//   sigmoid(x) = 1 / (1 + e^t), t = -x clamped to [-20, 87]; 0 for x < -87
//   tanh(x):  a = |x| < kTanhPolyBelow: z = a * a, p = kTanh11, then
//               p = p * z + kTanh9, kTanh7, kTanh5, kTanh3; a + a * (z * p)
//             else 1 - 2 / (1 + e^t), t = 2 * min(a, kTanhArgMax);
//             either with x's sign
//   NaN gives the input itself. Every step is one float32 operation (no
//   fused multiply-add: the build turns contraction off).
#ifndef QTENSOR_KERNELS_EXP_FORMULA_CONSTANTS_H_
#define QTENSOR_KERNELS_EXP_FORMULA_CONSTANTS_H_

#include <cstdint>

namespace qtensor::kernels {

constexpr float kLog2e = 0x1.715476p+0f;       // 1 / ln 2
constexpr float kRoundMagic = 0x1.8p+23f;      // 1.5 * 2^23: adding it rounds to an integer
constexpr float kLn2Hi = 0x1.62ep-1f;          // ln 2's first 13 bits: n * kLn2Hi is exact
constexpr float kLn2Lo = 0x1.0bfbe8p-15f;      // ln 2 - kLn2Hi
constexpr uint32_t kExponentOne = 127u << 23;  // the bits of 1.0f
constexpr float kExactOnePlus = 24.0f;         // from 2^24 on, 1 + 2^n is not exact

// e^r - 1 = r + r^2 (kExp2 + kExp3 r + ... + kExp6 r^4) for |r| <= 0.35
// (near-minimax for relative error, 2^-28 before rounding).
constexpr float kExp2 = 0x1.fffffcp-2f;
constexpr float kExp3 = 0x1.555482p-3f;
constexpr float kExp4 = 0x1.55593ep-5f;
constexpr float kExp5 = 0x1.1245d4p-7f;
constexpr float kExp6 = 0x1.6a106cp-10f;

// sigmoid: below kSigmoidArgMin the result is 0; the exponent's argument
// -x stays within [-kSigmoidArgMax, -kSigmoidArgMin].
constexpr float kSigmoidArgMin = -87.0f;
constexpr float kSigmoidArgMax = 20.0f;

// tanh(x) = x + x^3 (kTanh3 + kTanh5 x^2 + ... + kTanh11 x^8) for |x| below
// kTanhPolyBelow (near-minimax for relative error, 2^-29 before rounding);
// past kTanhArgMax, |x| is taken as kTanhArgMax (the result is then 1).
constexpr float kTanhPolyBelow = 0.5625f;
constexpr float kTanhArgMax = 9.5f;
constexpr float kTanh3 = -0x1.555548p-2f;
constexpr float kTanh5 = 0x1.110c72p-3f;
constexpr float kTanh7 = -0x1.b90946p-5f;
constexpr float kTanh9 = 0x1.582faep-6f;
constexpr float kTanh11 = -0x1.950010p-8f;

}  // namespace qtensor::kernels

#endif  // QTENSOR_KERNELS_EXP_FORMULA_CONSTANTS_H_
