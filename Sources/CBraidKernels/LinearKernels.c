#include "BraidKernels.h"
#include "GemmBlock.h"

// The bias of columns j0 + 16t... plus the residual of row r + i there.
#define PANEL_START(I, T, ACC)                                                                      \
    do {                                                                                            \
        (ACC) = (float16_vector){};                                                                 \
        if (bias) memcpy(&(ACC), bias + j0 + 16 * (T), 64);                                         \
        if (residual) {                                                                             \
            float16_vector extra;                                                                   \
            memcpy(&extra, residual + (r + (I)) * ldr + j0 + 16 * (T), 64);                         \
            (ACC) += extra;                                                                         \
        }                                                                                           \
    } while (0)

// Rows r..<r+ROWS of the panel: register blocks of 64 columns when the panel is full, else 16,
// then single columns, each started from bias + residual.
#define PANEL_ROWS(ROWS)                                                                            \
    for (; r + ROWS <= rows; r += ROWS) {                                                           \
        long j0 = 0;                                                                                \
        if (width == 64) {                                                                          \
            GEMM_BLOCK_STARTING(ROWS, 4, PANEL_START);                                              \
            j0 = 64;                                                                                \
        }                                                                                           \
        for (; j0 + 16 <= width; j0 += 16) GEMM_BLOCK_STARTING(ROWS, 1, PANEL_START);               \
        for (int i = 0; i < ROWS; i++) {                                                            \
            for (long j = j0; j < width; j++) {                                                     \
                float sum = (bias ? bias[j] : 0.0f) + (residual ? residual[(r + i) * ldr + j] : 0.0f); \
                for (long k = 0; k < inner; k++) sum += a[(r + i) * lda + k] * b[k * ldb + j];      \
                c[(r + i) * ldc + j] = sum;                                                         \
            }                                                                                       \
        }                                                                                           \
    }

void braid_pack_weight_panel(const float *restrict w, long ldw, long width, long inner, float *restrict panel) {
    for (long j = 0; j < width; j++) {
        const float *restrict source = w + j * ldw;
        for (long k = 0; k < inner; k++) panel[k * width + j] = source[k];
    }
}

CLONES void braid_panel_gemm(const float *restrict a, long rows, long inner, long lda, const float *restrict panel,
                             long width, const float *restrict bias, const float *restrict residual, long ldr,
                             float *restrict c, long ldc) {
#pragma clang fp contract(fast)
    const float *restrict b = panel;
    const long ldb = width;
    long r = 0;
    PANEL_ROWS(6)
    PANEL_ROWS(1)
}
