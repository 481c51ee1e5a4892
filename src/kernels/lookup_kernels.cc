// Byte-table kernels (lookup_kernels.h) in Google Highway 1.0.3, compiled
// once per target and dispatched at run time. Whole vectors go through SIMD
// code and the last partial vector through the scalar kernel.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "src/kernels/lookup_kernels.cc"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <algorithm>
#include <cstdint>

#include "kernels/lookup_kernels.h"
#include "kernels/quantize_kernels.h"  // kStreamBytes

HWY_BEFORE_NAMESPACE();
namespace qtensor::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane: TableLookupBytes cannot index 16 bytes there.
void Lookup(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out) {
  scalar::LookupBytes(in, n, table, out);
}
#else
#if HWY_TARGET == HWY_AVX3_DL
// VBMI: the 256-entry table is four registers; two 128-entry permutes
// (vpermi2b, index bits 0..6) look x up in each half and bit 7 picks one.
template <bool kStream>
HWY_INLINE void LookupVectors(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out) {
  const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
  const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
  for (size_t i = 0; i + 64 <= n; i += 64) {
    const __m512i x = _mm512_loadu_si512(in + i);
    const __m512i low = _mm512_permutex2var_epi8(t0, x, t1);
    const __m512i high = _mm512_permutex2var_epi8(t2, x, t3);
    const __m512i picked = _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), low, high);
    if constexpr (kStream) {
      _mm512_stream_si512(reinterpret_cast<__m512i*>(out + i), picked);
    } else {
      _mm512_storeu_si512(out + i, picked);
    }
  }
}
#else
// Sixteen 16-entry sub-tables, each broadcast to every 128-bit block: the
// low nibble indexes all of them (TableLookupBytes), then the bits of the
// high nibble pick one in a tree of blends (independent operations, not a
// chain of 16 dependent ones).
template <bool kStream>
HWY_INLINE void LookupVectors(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out) {
  const hn::ScalableTag<uint8_t> d;
  using V = hn::Vec<decltype(d)>;
  const size_t lanes = hn::Lanes(d);
  V sub[16];
  for (size_t k = 0; k < 16; ++k) sub[k] = hn::LoadDup128(d, table + 16 * k);
  const V nibble = hn::Set(d, uint8_t{15});
  for (size_t i = 0; i + lanes <= n; i += lanes) {
    const V x = hn::LoadU(d, in + i);
    const V low = hn::And(x, nibble);
    V picked[16];
    for (size_t k = 0; k < 16; ++k) picked[k] = hn::TableLookupBytes(sub[k], low);
    // Bit 7 chooses between sub-tables k and k + 8, bit 6 between k and
    // k + 4, and so on.
    for (size_t half = 8; half >= 1; half /= 2) {
      const auto set = hn::TestBit(x, hn::Set(d, static_cast<uint8_t>(half << 4)));
      for (size_t k = 0; k < half; ++k)
        picked[k] = hn::IfThenElse(set, picked[k + half], picked[k]);
    }
    if constexpr (kStream) {
      hn::Stream(picked[0], d, out + i);
    } else {
      hn::StoreU(picked[0], d, out + i);
    }
  }
}
#endif  // HWY_AVX3_DL

void Lookup(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out) {
  const size_t lanes = hn::Lanes(hn::ScalableTag<uint8_t>());
  size_t head = 0;
  // Outputs too large for the caches are streamed (non-temporal stores,
  // which need out aligned to the vector: the head goes the scalar way).
  // Not in place: streamed stores would not read what they replace.
  const bool stream = n >= kStreamBytes && in != out;
  if (stream) {
    head = std::min(n, (lanes - reinterpret_cast<uintptr_t>(out) % lanes) % lanes);
    scalar::LookupBytes(in, head, table, out);
  }
  const size_t body = (n - head) / lanes * lanes;
  if (stream) {
    LookupVectors<true>(in + head, body, table, out + head);
    hwy::FlushStream();
  } else {
    LookupVectors<false>(in + head, body, table, out + head);
  }
  scalar::LookupBytes(in + head + body, n - head - body, table, out + head + body);
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace qtensor::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qtensor::kernels {

HWY_EXPORT(Lookup);

void LookupBytes(const uint8_t* in, size_t n, const uint8_t* table, uint8_t* out) {
  HWY_DYNAMIC_DISPATCH(Lookup)(in, n, table, out);
}

}  // namespace qtensor::kernels
#endif  // HWY_ONCE
