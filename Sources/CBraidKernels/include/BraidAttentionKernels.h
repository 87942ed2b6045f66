// Tile kernels of Braid's fused (flash-style) attention. A tile is `rows` x `cols` floats with a
// row stride of `ld`. Compiled per ISA like the other kernels.
#ifndef BRAID_ATTENTION_KERNELS_H
#define BRAID_ATTENTION_KERNELS_H

#include <stdint.h>

/// s += mask, where mask row r, column c is mask[r * row_stride + c * col_stride]
/// (strides 0 broadcast a mask row or column).
void braid_attention_add_mask(float *s, long rows, long cols, long ld, const float *mask, long row_stride, long col_stride);

/// s[r][c] = -inf where key first_col + c lies after query first_row + r (top-left aligned causal mask).
void braid_attention_causal_mask(float *s, long rows, long cols, long ld, long first_row, long first_col);

/// Online-softmax step on a score tile. For each row, with a reference m' >= m within 8 of the
/// row's running maximum (so every e^(s - m') <= e^8): s = e^(s - m'), l = l * e^(m - m') + sum(s),
/// correction = e^(m - m'), m = m'; m + log(l) is the log-sum-exp. A row that is -inf so far gives
/// s = 0 and correction 1, so fully masked rows stay zero rather than NaN.
void braid_attention_online_softmax(float *s, long rows, long cols, long ld, float *row_max, float *row_sum, float *correction);

/// s = e^(s - lse[r]) per row: the probabilities recomputed from the saved log-sum-exp
/// (0 where lse is -inf, a fully masked row).
void braid_attention_probabilities(float *s, long rows, long cols, long ld, const float *lse);

/// p *= keep / (1 - probability): keep is a hash of (seed, global row, column) compared with the
/// probability, so the same element is kept in every pass. Global row = first_row + r, and the
/// column is first_col + c of a row with total_cols columns.
void braid_attention_dropout(float *p, long rows, long cols, long ld, uint64_t seed, long first_row, long first_col,
                             long total_cols, float probability);

/// ds = scale * p * (dp - d[r]): the score gradient from the probabilities, their gradient and
/// d = rowsum(dO * O), times the softmax scale that both ∂Q and ∂K carry.
void braid_attention_score_gradient(float *dp, const float *p, long rows, long cols, long ld, const float *d,
                                    float scale);

/// c (+)= a · b for row-major a `[rows, inner]`, b `[inner, width]` and c `[rows, width]` with row
/// strides lda, ldb and ldc; c is overwritten when accumulate is 0. Register-blocked (6 rows × 64
/// columns) and reading both operands in place, where sgemm would first copy them into panels:
/// faster for attention's tiles, whose operands sgemm would copy for every product. Columns past
/// the last multiple of 16 take a scalar loop.
void braid_attention_gemm(const float *a, long rows, long inner, long lda, const float *b, long ldb, long width,
                          float *c, long ldc, int accumulate);

/// out[t][j] = scale * keys[j][t]: keys `[count, depth]` (row stride ld) transposed to
/// `[depth, count]` and scaled.
void braid_attention_transpose_keys(const float *keys, long count, long depth, long ld, float scale, float *out);

/// Attention of a few queries over `count` cached keys, reading each key and each value once:
/// out[i] = sum_j p[i][j] v[j] with p[i] = softmax_j(scale * q[i]·k[j] + bias[j]), for `queries`
/// rows of q `[queries, depth]`, keys `[count, depth]` and values `[count, value_depth]` (row
/// strides depth and value_depth). `bias` (`[count]`, additive: 0 or -inf at padding) may be NULL.
/// With `causal_first` >= 0, query i sits at position causal_first + i and sees keys j <=
/// causal_first + i only. `scores` is scratch for queries * count floats. A query that sees no key
/// gets zeros.
void braid_attention_decode(const float *q, long queries, long depth, const float *keys, const float *values,
                            long count, long value_depth, const float *bias, long causal_first, float scale,
                            float *scores, float *out);

/// Attention of one head over a whole short sequence, reading each operand in place at its own
/// row stride (a head's columns of a packed `[tokens, 3E]` query|key|value buffer, say):
/// out[i] = sum_j p[i][j] v[j], p[i] = softmax_j(scale * q[i]·k[j] + bias[j]) over every key at once
/// (no online softmax), for q `[queries, depth]`, k `[keys, depth]`, v `[keys, value_depth]` and
/// out `[queries, value_depth]` with row strides ldq, ldk, ldv and ldo. `bias` (`[keys]`, 0 or -inf
/// at padding) may be NULL; with `causal`, query i sees keys j <= i only. `scratch` holds
/// (depth + queries) * keys floats. A query that sees no key gets zeros.
void braid_attention_short(const float *q, long ldq, const float *k, long ldk, const float *v, long ldv, long queries,
                           long keys, long depth, long value_depth, const float *bias, int causal, float scale,
                           float *scratch, float *out, long ldo);

#endif
