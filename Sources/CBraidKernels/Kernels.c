#include "BraidKernels.h"

#include "Exp.h"

#include <stdint.h>
#include <string.h>

static inline float sigmoid_inline(float x) { return 1.0f / (1.0f + exp_inline(-x)); }

static inline float tanh_inline(float x) {
    float a = x < 0 ? -x : x;
    float z = x * x;
    float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z
                    + 1.33314422036e-1f) * z - 3.33332819422e-1f) * z * x + x;
    float large = 1.0f - 2.0f / (exp_inline(2.0f * a) + 1.0f);
    large = x < 0 ? -large : large;
    return a < 0.625f ? small : large;
}

// erf x to about 1 ulp (N. Juffa's minimax fits): an odd polynomial below |x| = 0.9277, and
// 1 - e^(q(|x|)) with a polynomial q above. Both are evaluated and one selected, so loops vectorise.
static inline float erf_inline(float x) {
    float t = x < 0 ? -x : x;
    float s = x * x;
    float r = -5.96761703e-4f;
    r = r * s + 4.99119423e-3f;
    r = r * s - 2.67681349e-2f;
    r = r * s + 1.12819925e-1f;
    r = r * s - 3.76125336e-1f;
    r = r * s + 1.28379166e-1f;
    float small = r * x + x;
    float q = (-1.72853470e-5f * t + 3.83197126e-4f) * s + (-3.88396438e-3f * t + 2.42546219e-2f);
    q = q * t - 1.06777877e-1f;
    q = q * t - 6.34846687e-1f;
    q = q * t - 1.28717512e-1f;
    q = q * t - t;
    float large = 1.0f - exp_inline(q);
    large = x < 0 ? -large : large;
    return t > 0.927734375f ? large : small;
}

CLONES void braid_exp(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = exp_inline(x[i]);
}

// Two of braid_exp's clones, by the names clang gives them. (Declaring its resolver instead
// crashes clang 21 at -O2 -g.)
extern void braid_exp_avx512f(const float *, float *, long) __asm__("braid_exp.avx512f.0");
extern void braid_exp_x86_64_v3(const float *, float *, long) __asm__("braid_exp.arch_x86-64-v3.1");
extern void braid_exp_default(const float *, float *, long) __asm__("braid_exp.default.2");

const char *braid_kernel_clone(void) {
    // Position-independent code reads the address through the GOT, where the loader stored the
    // clone the resolver chose.
    void (*volatile chosen)(const float *, float *, long) = braid_exp;
    if (chosen == braid_exp_avx512f) return "avx512f";
    if (chosen == braid_exp_x86_64_v3) return "x86-64-v3";
    if (chosen == braid_exp_default) return "default";
    return "unknown";
}

const char *braid_best_kernel_clone(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return "avx512f";
    if (__builtin_cpu_supports("x86-64-v3")) return "x86-64-v3";
    return "default";
}


// The largest (or smallest) element, NaN if any element is NaN. Sixteen running extremes in one
// vector (maxnum reductions are not vectorised automatically); maxnum skips NaN, so a sum of x*0
// rides along: it is NaN exactly when some x is NaN or infinite, and only then is the row scanned.
static inline float extreme_inline(const float *restrict x, long n, int largest) {
    float16_vector best = (float16_vector){} + (largest ? -__builtin_inff() : __builtin_inff());
    float16_vector probe = (float16_vector){};
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        float16_vector v;
        memcpy(&v, x + i, sizeof v);
        best = largest ? __builtin_elementwise_max(best, v) : __builtin_elementwise_min(best, v);
        probe += v * 0.0f;
    }
    float result = best[0], nan_probe = probe[0];
    for (int k = 1; k < 16; k++) {
        result = largest ? __builtin_fmaxf(result, best[k]) : __builtin_fminf(result, best[k]);
        nan_probe += probe[k];
    }
    for (; i < n; i++) {
        result = largest ? __builtin_fmaxf(result, x[i]) : __builtin_fminf(result, x[i]);
        nan_probe += x[i] * 0.0f;
    }
    if (nan_probe != nan_probe) {
        for (long j = 0; j < n; j++) if (x[j] != x[j]) return x[j];
    }
    return result;
}

CLONES float braid_row_max(const float *restrict x, long n) { return extreme_inline(x, n, 1); }

CLONES float braid_row_min(const float *restrict x, long n) { return extreme_inline(x, n, 0); }

CLONES void braid_softmax_rows(const float *restrict x, float *restrict y, long rows, long n, int logarithm) {
#pragma clang fp reassociate(on)
    for (long r = 0; r < rows; r++) {
        const float *restrict row = x + r * n;
        float *restrict out = y + r * n;
        float top = extreme_inline(row, n, 1);
        float shift = top == -__builtin_inff() ? 0.0f : top;
        float sum = 0;
        for (long i = 0; i < n; i++) {
            float v = exp_inline(row[i] - shift);
            out[i] = v;
            sum += v;
        }
        if (logarithm) {
            float offset = __builtin_logf(sum) + shift;
            for (long i = 0; i < n; i++) out[i] = row[i] - offset;
        } else {
            float scale = 1.0f / sum;
            for (long i = 0; i < n; i++) out[i] *= scale;
        }
    }
}

CLONES float braid_exp_shifted_sum_in_place(float *restrict x, float shift, long n) {
#pragma clang fp reassociate(on)
    float sum = 0;
    for (long i = 0; i < n; i++) {
        float v = exp_inline(x[i] - shift);
        x[i] = v;
        sum += v;
    }
    return sum;
}

CLONES void braid_sigmoid(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = sigmoid_inline(x[i]);
}

CLONES void braid_tanh(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = tanh_inline(x[i]);
}

CLONES void braid_erf(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = erf_inline(x[i]);
}

CLONES void braid_erf_backward(const float *restrict g, const float *restrict x, float *restrict out, long n) {
    for (long i = 0; i < n; i++) out[i] = g[i] * 1.12837917f * exp_inline(-x[i] * x[i]);
}

CLONES void braid_gelu(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = x[i] * 0.5f * (1.0f + erf_inline(x[i] * 0.70710678f));
}

CLONES void braid_gelu_backward(const float *restrict g, const float *restrict x, float *restrict out, long n) {
    for (long i = 0; i < n; i++) {
        float cdf = 0.5f * (1.0f + erf_inline(x[i] * 0.70710678f));
        float pdf = exp_inline(-0.5f * x[i] * x[i]) * 0.39894228f;
        out[i] = g[i] * (cdf + x[i] * pdf);
    }
}

CLONES void braid_layer_norm_backward_rows(
    const float *restrict g, const float *restrict x, const float *restrict w, const float *restrict mean,
    const float *restrict rstd, float *restrict dx, float *restrict weight_grad, float *restrict bias_grad, long rows,
    long n) {
#pragma clang fp reassociate(on)
    for (long r = 0; r < rows; r++) {
        const float *restrict gr = g + r * n, *restrict xr = x + r * n;
        float *restrict out = dx + r * n;
        const float m = mean[r], s = rstd[r];
        float sum_g = 0, sum_gx = 0;
        for (long i = 0; i < n; i++) {
            float gh = gr[i] * w[i];
            sum_g += gh;
            sum_gx += gh * ((xr[i] - m) * s);
        }
        const float mean_g = sum_g / (float)n, mean_gx = sum_gx / (float)n;
        for (long i = 0; i < n; i++) {
            float xh = (xr[i] - m) * s;
            out[i] = s * (gr[i] * w[i] - mean_g - xh * mean_gx);
            weight_grad[i] += gr[i] * xh;
            bias_grad[i] += gr[i];
        }
    }
}

CLONES void braid_gelu_tanh(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) {
        float inner = 0.79788456f * (x[i] + 0.044715f * x[i] * x[i] * x[i]);
        y[i] = 0.5f * x[i] * (1.0f + tanh_inline(inner));
    }
}

CLONES void braid_gelu_tanh_backward(const float *restrict g, const float *restrict x, float *restrict out, long n) {
    for (long i = 0; i < n; i++) {
        float square = x[i] * x[i];
        float t = tanh_inline(0.79788456f * (x[i] + 0.044715f * square * x[i]));
        float left = 0.5f * (1.0f + t);
        float right = 0.5f * x[i] * (1.0f - t * t) * 0.79788456f * (1.0f + 3.0f * 0.044715f * square);
        out[i] = g[i] * (left + right);
    }
}

CLONES void braid_silu(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = x[i] * sigmoid_inline(x[i]);
}

CLONES void braid_silu_backward(const float *restrict g, const float *restrict x, float *restrict out, long n) {
    for (long i = 0; i < n; i++) {
        float s = sigmoid_inline(x[i]);
        out[i] = g[i] * s * (1.0f + x[i] * (1.0f - s));
    }
}

CLONES void braid_quick_gelu(const float *restrict x, float *restrict y, long n) {
    for (long i = 0; i < n; i++) y[i] = x[i] * sigmoid_inline(1.702f * x[i]);
}

CLONES void braid_quick_gelu_backward(const float *restrict g, const float *restrict x, float *restrict out, long n) {
    for (long i = 0; i < n; i++) {
        float s = sigmoid_inline(1.702f * x[i]);
        out[i] = g[i] * s * (1.0f + 1.702f * x[i] * (1.0f - s));
    }
}

CLONES void braid_adam_update(
    float *restrict w, float *restrict m, float *restrict v, const float *restrict g, long n,
    float one_minus_beta1, float beta2, float one_minus_beta2, float step_size, float root_correction2,
    float epsilon, float l2, float shrink) {
    for (long i = 0; i < n; i++) {
        float gi = g[i] + l2 * w[i];
        m[i] += one_minus_beta1 * (gi - m[i]);
        v[i] = v[i] * beta2 + one_minus_beta2 * gi * gi;
        float denominator = __builtin_elementwise_sqrt(v[i]) / root_correction2 + epsilon;
        w[i] = w[i] * shrink - step_size * (m[i] / denominator);
    }
}

CLONES int braid_max_pool_values_plane(const float *restrict x, long height, long width, float *restrict out,
                                       float *restrict scratch, long output_height, long output_width, long kernel_h,
                                       long kernel_w, long stride_h, long stride_w, long padding_h, long padding_w) {
#pragma clang fp reassociate(on)
    float probe = 0;
    for (long i = 0; i < height * width; i++) probe += x[i] * 0.0f;
    if (probe != probe) return 1;
    for (long r = 0; r < height; r++) {
        float *restrict row = scratch + r * output_width;
        for (long j = 0; j < output_width; j++) row[j] = -__builtin_inff();
        for (long k = 0; k < kernel_w; k++) {
            long offset = k - padding_w;
            long lower = offset >= 0 ? 0 : (-offset + stride_w - 1) / stride_w;
            long upper = offset >= width ? 0 : (width - 1 - offset) / stride_w + 1;
            if (upper > output_width) upper = output_width;
            const float *restrict source = x + r * width + offset;
            for (long j = lower; j < upper; j++) row[j] = __builtin_fmaxf(row[j], source[j * stride_w]);
        }
    }
    for (long i = 0; i < output_height; i++) {
        float *restrict target = out + i * output_width;
        for (long j = 0; j < output_width; j++) target[j] = -__builtin_inff();
        for (long k = 0; k < kernel_h; k++) {
            long r = i * stride_h - padding_h + k;
            if (r < 0 || r >= height) continue;
            const float *restrict source = scratch + r * output_width;
            for (long j = 0; j < output_width; j++) target[j] = __builtin_fmaxf(target[j], source[j]);
        }
    }
    return 0;
}
