// The register block of Braid's matrix products (private to CBraidKernels).
#ifndef BRAID_GEMM_BLOCK_H
#define BRAID_GEMM_BLOCK_H

#include "Exp.h"

// c[r][j] = start + sum_k a[r][k] * b[k][j] for a block of ROWS rows and 16 * VECTORS columns
// starting at column j0, where START(i, t, acc) sets acc to the starting vector of row r + i,
// columns j0 + 16t...: the accumulators stay in registers over the whole k loop, each b row
// segment is loaded once for all ROWS rows, and each a value is broadcast.
#define GEMM_BLOCK_STARTING(ROWS, VECTORS, START)                                                   \
    do {                                                                                            \
        float16_vector acc[ROWS][VECTORS];                                                          \
        for (int i = 0; i < ROWS; i++)                                                              \
            for (int t = 0; t < VECTORS; t++) START(i, t, acc[i][t]);                               \
        for (long k = 0; k < inner; k++) {                                                          \
            float16_vector w[VECTORS];                                                              \
            for (int t = 0; t < VECTORS; t++) memcpy(&w[t], b + k * ldb + j0 + 16 * t, 64);        \
            for (int i = 0; i < ROWS; i++) {                                                        \
                float s = a[(r + i) * lda + k];                                                     \
                for (int t = 0; t < VECTORS; t++) acc[i][t] += s * w[t];                            \
            }                                                                                       \
        }                                                                                           \
        for (int i = 0; i < ROWS; i++)                                                              \
            for (int t = 0; t < VECTORS; t++) memcpy(c + (r + i) * ldc + j0 + 16 * t, &acc[i][t], 64); \
    } while (0)

// c's own values when accumulating, else zero.
#define GEMM_START_FROM_C(I, T, ACC)                                                                \
    do {                                                                                            \
        if (accumulate) memcpy(&(ACC), c + (r + (I)) * ldc + j0 + 16 * (T), 64);                    \
        else (ACC) = (float16_vector){};                                                            \
    } while (0)

// c[r][j] (+)= sum_k a[r][k] * b[k][j]: c is overwritten unless `accumulate`.
#define GEMM_BLOCK(ROWS, VECTORS) GEMM_BLOCK_STARTING(ROWS, VECTORS, GEMM_START_FROM_C)

#endif
