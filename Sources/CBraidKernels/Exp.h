// Shared inline helpers of the C kernels (private to CBraidKernels).
#ifndef BRAID_EXP_H
#define BRAID_EXP_H

#include <stdint.h>
#include <string.h>

/// Every exported kernel is compiled for AVX-512, x86-64-v3 (AVX2 + FMA) and baseline x86-64;
/// the dynamic loader picks the best for the running CPU. The middle clone is named by ISA
/// level, which the loader checks by feature: `arch=haswell` is checked by CPU model, so no AMD
/// (or later Intel) CPU got it, and they ran the baseline SSE2 code.
#define CLONES __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default")))

/// Sixteen floats, one AVX-512 register (two AVX2 registers in the x86-64-v3 clone).
typedef float float16_vector __attribute__((vector_size(64)));

static inline float bits_to_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static inline int32_t float_to_bits(float f) { int32_t b; memcpy(&b, &f, 4); return b; }

// 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, kept in the low
// mantissa bits of the sum.
#define EXP_ROUNDING 12582912.0f

// Splits x (|x| < 2^22 / log2 e) into n ln2 + r with n = round(x log2 e) and |r| <= ln2 / 2, ln2 in
// two parts; returns r, and stores n + EXP_ROUNDING in *shifted, whose bits less EXP_ROUNDING's
// are n.
static inline float exp_split(float x, float *shifted) {
    *shifted = x * 1.44269502f + EXP_ROUNDING;
    float n = *shifted - EXP_ROUNDING;
    return (x - n * 0.693359375f) - n * -2.12194440e-4f;
}

// e^r for |r| <= ln2 / 2 by Cephes' polynomial.
static inline float exp_reduced(float r) {
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    return p * (r * r) + r + 1.0f;
}

// e^x: e^r times 2^n in the exponent bits (shifted into range for subnormal or near-overflow
// results and scaled back with one multiply).
static inline float exp_inline(float x) {
    float c = x < -104.0f ? -104.0f : (x > 89.0f ? 89.0f : x);
    float shifted;
    float y = exp_reduced(exp_split(c, &shifted));
    int32_t e = float_to_bits(shifted) - float_to_bits(EXP_ROUNDING);
    int subnormal = e < -126, top = e > 127;
    int32_t adjusted = e + (subnormal ? 64 : 0) - (top ? 1 : 0);
    float power = bits_to_float((uint32_t)(adjusted + 127) << 23);
    float value = y * power * (subnormal ? 0x1p-64f : (top ? 2.0f : 1.0f));
    return x != x ? x : (x > 88.7228394f ? __builtin_inff() : value);
}

#endif
