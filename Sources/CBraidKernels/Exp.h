// Shared inline helpers of the C kernels (private to CBraidKernels).
#ifndef BRAID_EXP_H
#define BRAID_EXP_H

#include <stdint.h>
#include <string.h>

/// Every exported kernel is compiled for AVX-512, Haswell (AVX2 + FMA) and baseline x86-64; the
/// dynamic loader picks the best for the running CPU.
#define CLONES __attribute__((target_clones("avx512f", "arch=haswell", "default")))

static inline float bits_to_float(uint32_t b) { float f; memcpy(&f, &b, 4); return f; }
static inline int32_t float_to_bits(float f) { int32_t b; memcpy(&b, &f, 4); return b; }

// e^x: n = round(x log2 e) by the 1.5 * 2^23 trick, r = x - n ln2 with ln2 in two parts,
// e^r by Cephes' polynomial, 2^n in the exponent bits (shifted into range for subnormal or
// near-overflow results and scaled back with one multiply).
static inline float exp_inline(float x) {
    const float magic = 12582912.0f;
    float c = x < -104.0f ? -104.0f : (x > 89.0f ? 89.0f : x);
    float shifted = c * 1.44269502f + magic;
    float n = shifted - magic;
    float r = (c - n * 0.693359375f) - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * (r * r) + r + 1.0f;
    int32_t e = float_to_bits(shifted) - float_to_bits(magic);
    int subnormal = e < -126, top = e > 127;
    int32_t adjusted = e + (subnormal ? 64 : 0) - (top ? 1 : 0);
    float power = bits_to_float((uint32_t)(adjusted + 127) << 23);
    float value = y * power * (subnormal ? 0x1p-64f : (top ? 2.0f : 1.0f));
    return x != x ? x : (x > 88.7228394f ? __builtin_inff() : value);
}

#endif
