#include "BraidAttentionKernels.h"
#include "BraidKernels.h"
#include "Exp.h"
#include "GemmBlock.h"

static inline uint32_t mix32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

CLONES void braid_attention_add_mask(float *restrict s, long rows, long cols, long ld, const float *restrict mask,
                                     long row_stride, long col_stride) {
    for (long r = 0; r < rows; r++) {
        float *restrict row = s + r * ld;
        const float *restrict m = mask + r * row_stride;
        if (col_stride == 0) {
            for (long c = 0; c < cols; c++) row[c] += m[0];
        } else {
            for (long c = 0; c < cols; c++) row[c] += m[c];
        }
    }
}

void braid_attention_causal_mask(float *s, long rows, long cols, long ld, long first_row, long first_col) {
    for (long r = 0; r < rows; r++) {
        long first_masked = first_row + r - first_col + 1;
        if (first_masked < 0) first_masked = 0;
        for (long c = first_masked; c < cols; c++) s[r * ld + c] = -__builtin_inff();
    }
}

// e^x for the online softmax, where x is a score minus a reference at most 8 below the row's
// maximum, so x <= 8: exp_inline's polynomial without its overflow and subnormal handling, and 0
// below -87 (where e^x < 2^-125 is negligible beside the row's sum, which is at least 1).
// NaN stays NaN; -inf gives 0.
static inline float exp_softmax_inline(float x) {
    float shifted;
    float y = exp_reduced(exp_split(x < -87.0f ? -87.0f : x, &shifted));
    int32_t e = float_to_bits(shifted) - float_to_bits(EXP_ROUNDING);
    return x < -87.0f ? 0.0f : y * bits_to_float((uint32_t)(e + 127) << 23);
}

enum { SOFTMAX_CHUNK = 64 };

// The largest of n <= SOFTMAX_CHUNK values, ignoring NaN (-inf when all are -inf or NaN).
static inline float chunk_max(const float *x, long n) {
    float top = -__builtin_inff();
    long i = 0;
    if (n == SOFTMAX_CHUNK) {
        float16_vector a, b, c, d;
        memcpy(&a, x, sizeof a);
        memcpy(&b, x + 16, sizeof b);
        memcpy(&c, x + 32, sizeof c);
        memcpy(&d, x + 48, sizeof d);
        float16_vector m = __builtin_elementwise_max(__builtin_elementwise_max(a, b), __builtin_elementwise_max(c, d));
        for (int k = 0; k < 16; k++) top = __builtin_fmaxf(top, m[k]);
        i = n;
    }
    for (; i < n; i++) top = __builtin_fmaxf(top, x[i]);
    return top;
}

typedef int attention_int_vector __attribute__((vector_size(64)));

// Replaces x[0..<n] by e^(x - reference).
static inline void exp_softmax_chunk(float *x, long n, float reference) {
    if (n == SOFTMAX_CHUNK) {
        for (long c = 0; c < SOFTMAX_CHUNK; c++) x[c] = exp_softmax_inline(x[c] - reference);
    } else {
        for (long c = 0; c < n; c++) x[c] = exp_softmax_inline(x[c] - reference);
    }
}

// One pass per row, a chunk of 64 scores at a time (still in L1 between its loops): is any score
// more than 8 above the reference m, then e^(s - m), then the chunk added to a vector sum. The
// reference need not be the row's maximum, only within 8 of it (e^8 ≈ 3000 leaves the sum far
// from overflow): it moves up, rescaling the sums and the chunks already done, only when a chunk
// holds a larger score, which after a row's first chunk is rare. Horizontal reductions happen
// once a row. m + log(l) is the same log-sum-exp either way.
CLONES void braid_attention_online_softmax(float *s, long rows, long cols, long ld, float *row_max, float *row_sum,
                                           float *correction) {
#pragma clang fp reassociate(on)
    for (long r = 0; r < rows; r++) {
        float *row = s + r * ld;
        float start = row_max[r], reference = start, carried = row_sum[r], tail = 0;
        float16_vector sum = {};
        for (long c0 = 0; c0 < cols; c0 += SOFTMAX_CHUNK) {
            long n = cols - c0 < SOFTMAX_CHUNK ? cols - c0 : SOFTMAX_CHUNK;
            float *chunk = row + c0;
            float16_vector a, b, c, d;
            int exceeds;
            if (n == SOFTMAX_CHUNK) {
                memcpy(&a, chunk, sizeof a);
                memcpy(&b, chunk + 16, sizeof b);
                memcpy(&c, chunk + 32, sizeof c);
                memcpy(&d, chunk + 48, sizeof d);
                float16_vector m = __builtin_elementwise_max(__builtin_elementwise_max(a, b), __builtin_elementwise_max(c, d));
                float16_vector limit = (float16_vector){} + (reference + 8.0f);
                exceeds = __builtin_reduce_or((attention_int_vector)(m > limit)) != 0;
            } else {
                exceeds = chunk_max(chunk, n) > reference + 8.0f;
            }
            if (exceeds) {
                float top = chunk_max(chunk, n);
                float scale = exp_inline(reference - top);  // 0 while the row was all -inf
                carried *= scale;
                tail *= scale;
                sum *= scale;
                for (long k = 0; k < c0; k++) row[k] *= scale;
                reference = top;
            }
            if (reference == -__builtin_inff()) {
                memset(chunk, 0, (size_t)n * sizeof(float));
                continue;
            }
            exp_softmax_chunk(chunk, n, reference);
            if (n == SOFTMAX_CHUNK) {
                memcpy(&a, chunk, sizeof a);
                memcpy(&b, chunk + 16, sizeof b);
                memcpy(&c, chunk + 32, sizeof c);
                memcpy(&d, chunk + 48, sizeof d);
                sum += (a + b) + (c + d);
            } else {
                for (long k = 0; k < n; k++) tail += chunk[k];
            }
        }
        correction[r] = start == -__builtin_inff() ? 1.0f : exp_inline(start - reference);
        row_max[r] = reference;
        for (int k = 0; k < 16; k++) tail += sum[k];
        row_sum[r] = carried + tail;
    }
}

void braid_attention_probabilities(float *restrict s, long rows, long cols, long ld, const float *restrict lse) {
    for (long r = 0; r < rows; r++) {
        float *restrict row = s + r * ld;
        if (lse[r] == -__builtin_inff()) {
            memset(row, 0, (size_t)cols * sizeof(float));
        } else {
            braid_exp_shifted_sum_in_place(row, lse[r], cols);
        }
    }
}

CLONES void braid_attention_dropout(float *restrict p, long rows, long cols, long ld, uint64_t seed, long first_row,
                                    long first_col, long total_cols, float probability) {
    uint32_t threshold = (uint32_t)((double)probability * 4294967296.0);
    float scale = 1.0f / (1.0f - probability);
    uint32_t seed_low = (uint32_t)seed, seed_high = (uint32_t)(seed >> 32);
    for (long r = 0; r < rows; r++) {
        uint64_t base = (uint64_t)(first_row + r) * (uint64_t)total_cols + (uint64_t)first_col;
        uint32_t row_key = mix32((uint32_t)(base >> 32) ^ seed_high);
        uint32_t low = (uint32_t)base;
        float *restrict row = p + r * ld;
        for (long c = 0; c < cols; c++) {
            uint32_t h = mix32(((low + (uint32_t)c) * 0x9e3779b1u) ^ row_key ^ seed_low);
            row[c] = h >= threshold ? row[c] * scale : 0.0f;
        }
    }
}

CLONES void braid_attention_score_gradient(float *restrict dp, const float *restrict p, long rows, long cols, long ld,
                                           const float *restrict d, float scale) {
    for (long r = 0; r < rows; r++) {
        float *restrict g = dp + r * ld;
        const float *restrict q = p + r * ld;
        float dr = d[r];
        for (long c = 0; c < cols; c++) g[c] = scale * (q[c] * (g[c] - dr));
    }
}

// Every 16-column block of `rows` rows starting at row r, ROWS rows at a time.
#define GEMM_ROWS(ROWS)                                                                             \
    for (; r + ROWS <= rows; r += ROWS) {                                                           \
        long j0 = 0;                                                                                \
        for (; j0 + 64 <= width; j0 += 64) GEMM_BLOCK(ROWS, 4);                                     \
        for (; j0 + 16 <= width; j0 += 16) GEMM_BLOCK(ROWS, 1);                                     \
    }

CLONES void braid_attention_gemm(const float *restrict a, long rows, long inner, long lda, const float *restrict b,
                                 long ldb, long width, float *restrict c, long ldc, int accumulate) {
#pragma clang fp contract(fast)
    long r = 0;
    GEMM_ROWS(6)
    GEMM_ROWS(4)
    GEMM_ROWS(1)
    for (long i = 0; i < rows; i++) {
        for (long j = width - width % 16; j < width; j++) {
            float sum = accumulate ? c[i * ldc + j] : 0.0f;
            for (long k = 0; k < inner; k++) sum += a[i * lda + k] * b[k * ldb + j];
            c[i * ldc + j] = sum;
        }
    }
}

CLONES void braid_attention_transpose_keys(const float *restrict keys, long count, long depth, long ld, float scale,
                                           float *restrict out) {
    for (long j0 = 0; j0 < count; j0 += 16) {
        long n = count - j0 < 16 ? count - j0 : 16;
        for (long t = 0; t < depth; t++) {
            for (long j = 0; j < n; j++) out[t * count + j0 + j] = scale * keys[(j0 + j) * ld + t];
        }
    }
}

// row = softmax(row) over n scores; a row that is all -inf (sees no key) becomes zeros.
static inline void softmax_row_in_place(float *row, long n) {
    float top = braid_row_max(row, n);
    if (top == -__builtin_inff()) {
        memset(row, 0, (size_t)n * sizeof(float));
        return;
    }
    float inverse = 1.0f / braid_exp_shifted_sum_in_place(row, top, n);
    for (long j = 0; j < n; j++) row[j] *= inverse;
}

// q·k for two rows of `depth` floats, sixteen lanes at a time.
static inline float dot_product(const float *restrict a, const float *restrict b, long depth) {
    float16_vector sum = {};
    long t = 0;
    for (; t + 16 <= depth; t += 16) {
        float16_vector x, y;
        memcpy(&x, a + t, sizeof x);
        memcpy(&y, b + t, sizeof y);
        sum += x * y;
    }
    float total = 0;
    for (; t < depth; t++) total += a[t] * b[t];
    for (int k = 0; k < 16; k++) total += sum[k];
    return total;
}

CLONES void braid_attention_decode(const float *restrict q, long queries, long depth, const float *restrict keys,
                                   const float *restrict values, long count, long value_depth,
                                   const float *restrict bias, long causal_first, float scale,
                                   float *restrict scores, float *restrict out) {
#pragma clang fp contract(fast)
    // Scores: each key row is read once, for every query.
    for (long j = 0; j < count; j++) {
        const float *k = keys + j * depth;
        float b = bias ? bias[j] : 0.0f;
        for (long i = 0; i < queries; i++) {
            int hidden = causal_first >= 0 && j > causal_first + i;
            scores[i * count + j] = hidden ? -__builtin_inff() : scale * dot_product(q + i * depth, k, depth) + b;
        }
    }
    // Softmax per query; a row that sees nothing keeps weight 0 everywhere.
    for (long i = 0; i < queries; i++) softmax_row_in_place(scores + i * count, count);
    // Weighted values: each value row is read once, for every query.
    memset(out, 0, (size_t)(queries * value_depth) * sizeof(float));
    for (long j = 0; j < count; j++) {
        const float *restrict v = values + j * value_depth;
        for (long i = 0; i < queries; i++) {
            float p = scores[i * count + j];
            if (p == 0.0f) continue;
            float *restrict o = out + i * value_depth;
            for (long t = 0; t < value_depth; t++) o[t] += p * v[t];
        }
    }
}

CLONES void braid_attention_short(const float *restrict q, long ldq, const float *restrict k, long ldk,
                                  const float *restrict v, long ldv, long queries, long keys, long depth,
                                  long value_depth, const float *restrict bias, int causal, float scale,
                                  float *restrict scratch, float *restrict out, long ldo) {
    float *restrict keys_transposed = scratch, *restrict scores = scratch + depth * keys;
    braid_attention_transpose_keys(k, keys, depth, ldk, scale, keys_transposed);
    braid_attention_gemm(q, queries, depth, ldq, keys_transposed, keys, keys, scores, keys, 0);
    for (long i = 0; i < queries; i++) {
        float *row = scores + i * keys;
        if (bias) {
            for (long j = 0; j < keys; j++) row[j] += bias[j];
        }
        if (causal) {
            for (long j = i + 1; j < keys; j++) row[j] = -__builtin_inff();
        }
        softmax_row_in_place(row, keys);
    }
    braid_attention_gemm(scores, queries, keys, keys, v, ldv, value_depth, out, ldo, 0);
}
