#include "BraidAttentionKernels.h"
#include "BraidKernels.h"
#include "Exp.h"

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

void braid_attention_online_softmax(float *s, long rows, long cols, long ld, float *row_max, float *row_sum,
                                    float *correction) {
    for (long r = 0; r < rows; r++) {
        float *row = s + r * ld;
        float top = braid_row_max(row, cols);
        float previous = row_max[r];
        float updated = top > previous ? top : previous;
        if (updated == -__builtin_inff()) {
            memset(row, 0, (size_t)cols * sizeof(float));
            correction[r] = 1.0f;
            continue;
        }
        float scale = exp_inline(previous - updated);
        correction[r] = scale;
        row_sum[r] = row_sum[r] * scale + braid_exp_shifted_sum_in_place(row, updated, cols);
        row_max[r] = updated;
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
                                           const float *restrict d) {
    for (long r = 0; r < rows; r++) {
        float *restrict g = dp + r * ld;
        const float *restrict q = p + r * ld;
        float dr = d[r];
        for (long c = 0; c < cols; c++) g[c] = q[c] * (g[c] - dr);
    }
}
