// Braid's vectorised element-wise kernels: exp and the functions built on it.
//
// Each kernel is compiled for AVX-512, for x86-64-v3 (AVX2 + FMA) and for baseline x86-64, and the
// loader picks the best one for the running CPU (`target_clones`), so users get wide vectors
// without passing compiler flags. Arrays hold `n` floats; inputs and outputs may not overlap
// unless a comment says so.
#ifndef BRAID_KERNELS_H
#define BRAID_KERNELS_H

/// The clone of the kernels the loader chose for this CPU ("avx512f", "x86-64-v3" or "default";
/// "unknown" if the address the code sees is none of them).
const char *braid_kernel_clone(void);
/// The widest clone this CPU's features allow, which `braid_kernel_clone` should equal.
const char *braid_best_kernel_clone(void);

/// The number of CPUs in this process's affinity mask (`sched_getaffinity`), or 0 if it cannot
/// be read.
int braid_allowed_cpu_count(void);

/// y = e^x, about 1 ulp (Cody-Waite reduction, Cephes polynomial), subnormals included.
void braid_exp(const float *x, float *y, long n);
/// x = e^(x - shift) in place, returning the sum. (A separate in-place form: with y == x the
/// vectoriser's overlap check would fall back to scalar code.)
float braid_exp_shifted_sum_in_place(float *x, float shift, long n);
/// The largest element of x, NaN if any element is NaN (-inf when n is 0).
float braid_row_max(const float *x, long n);
/// The smallest element of x, NaN if any element is NaN (+inf when n is 0).
float braid_row_min(const float *x, long n);
/// Softmax (or log-softmax when `logarithm` is non-zero) of each of `rows` rows of `n` elements,
/// shifted by the row maximum; a row of -inf gives NaN as in PyTorch.
void braid_softmax_rows(const float *x, float *y, long rows, long n, int logarithm);
/// y = 1 / (1 + e^-x).
void braid_sigmoid(const float *x, float *y, long n);
/// y = tanh x (Cephes: a polynomial below |x| = 0.625, 1 - 2/(e^2|x| + 1) above).
void braid_tanh(const float *x, float *y, long n);
/// y = erf x, about 1 ulp.
void braid_erf(const float *x, float *y, long n);
/// out = g * (2/sqrt(pi)) * e^(-x^2), the derivative of erf times g.
void braid_erf_backward(const float *g, const float *x, float *out, long n);
/// y = x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), exact GELU.
void braid_gelu(const float *x, float *y, long n);
/// out = g * (Phi(x) + x phi(x)).
void braid_gelu_backward(const float *g, const float *x, float *out, long n);
/// y = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
void braid_gelu_tanh(const float *x, float *y, long n);
/// out = g times the derivative of the tanh approximation.
void braid_gelu_tanh_backward(const float *g, const float *x, float *out, long n);
/// y = x * sigmoid(x).
void braid_silu(const float *x, float *y, long n);
/// out = g * s (1 + x (1 - s)) with s = sigmoid(x).
void braid_silu_backward(const float *g, const float *x, float *out, long n);
/// y = x·σ(1.702·x), CLIP's quick_gelu.
void braid_quick_gelu(const float *x, float *y, long n);
/// out = g·(s + 1.702·x·s·(1 − s)) with s = σ(1.702·x).
void braid_quick_gelu_backward(const float *g, const float *x, float *out, long n);

/// One Adam/AdamW update of `n` parameters in place, in PyTorch's order of operations:
/// g' = g + l2 w; m += (1 - b1)(g' - m); v = b2 v + (1 - b2) g'^2;
/// w = w * shrink - step_size * m / (sqrt(v) / root_correction2 + eps).
void braid_adam_update(
    float *w, float *m, float *v, const float *g, long n, float one_minus_beta1, float beta2,
    float one_minus_beta2, float step_size, float root_correction2, float epsilon, float l2, float shrink);

/// Layer norm's backward over `rows` rows of `n` elements: with x^ = (x - mean[r]) rstd[r] and
/// g^ = g w, dx = rstd (g^ - mean(g^) - x^ mean(g^ x^)) for each row; adds each row's g x^ to
/// `weight_grad` and g to `bias_grad` (n elements each, accumulated, not overwritten).
void braid_layer_norm_backward_rows(
    const float *g, const float *x, const float *w, const float *mean, const float *rstd, float *dx,
    float *weight_grad, float *bias_grad, long rows, long n);

/// Max pooling values (no indices) of one [height, width] plane with windows of `kernel` taps every
/// `stride` after `padding`, separably: a horizontal pass into `scratch` [height, output_width],
/// then a vertical one. Returns non-zero if the plane holds a NaN (the result is then unreliable
/// and the caller recomputes it the exact way).
int braid_max_pool_values_plane(const float *x, long height, long width, float *out, float *scratch,
                                long output_height, long output_width, long kernel_h, long kernel_w,
                                long stride_h, long stride_w, long padding_h, long padding_w);

/// Copies columns 0..<width of wᵀ, for a weight w `[width, inner]` (nn.Linear's `[out, in]`, row
/// stride ldw), into `panel` as `[inner, width]` (row stride width): one panel of at most 64
/// output columns for `braid_panel_gemm`. Reads each weight row once, in order.
void braid_pack_weight_panel(const float *w, long ldw, long width, long inner, float *panel);

/// c = a · panel + bias + residual for one packed panel of wᵀ (`braid_pack_weight_panel`, at most
/// 64 columns): a `[rows, inner]` (row stride lda), residual `[rows, width]` (row stride ldr) and c
/// `[rows, width]` (row stride ldc); `bias` (`[width]`) and `residual` may be NULL. Every row of a
/// runs against the panel in the 6 × 64 register blocks of `braid_attention_gemm`, each block
/// starting from its bias and residual in registers, so the panel stays in L2 for all rows.
void braid_panel_gemm(const float *a, long rows, long inner, long lda, const float *panel, long width, const float *bias,
                      const float *residual, long ldr, float *c, long ldc);

/// Sets glibc malloc's mmap threshold (blocks above it get their own mapping, unmapped when freed)
/// and trim threshold (free memory at the heap's top beyond it goes back to the system), in bytes;
/// 1 when both were set, 0 with another C library.
int braid_set_malloc_thresholds(long mmap_threshold, long trim_threshold);

/// Winograd F(4x4, 3x3) kernel transforms u = G g G^T of a weight `[outputs, channels, 3, 3]`,
/// computed in double: `u` is `[36, outputs, channels]`, one `[outputs, channels]` matrix per tile
/// position xi.
void braid_winograd_weight(const float *weight, long outputs, long channels, float *u);
/// Winograd input transforms B^T d B of the 6x6 windows of tiles first_tile..<first_tile + tiles
/// of a batch `x` `[N, channels, height, width]` (tile t: image t / (th * tw), then row-major over
/// th = ceil(height / 4) by tw = ceil(width / 4) blocks of 4x4 outputs; padding 1, zeros outside),
/// for channels first_channel..<first_channel + channel_count, into `v` `[36, channels, tiles]`.
void braid_winograd_input(const float *x, long channels, long height, long width, long first_tile, long tiles,
                          long first_channel, long channel_count, float *v);
/// Winograd output transforms A^T m A of `m` `[36, outputs, tiles]` (the products for tiles
/// first_tile..<first_tile + tiles, numbered as in `braid_winograd_input`) for outputs
/// first_output..<first_output + output_count, written into `y` `[N, outputs, height, width]` as
/// relu?(block + bias[o] + residual), where `bias` and `residual` (y's shape) may be NULL; the
/// parts of edge blocks outside the image are dropped.
void braid_winograd_output(const float *m, long outputs, long tiles, long first_tile, long height, long width,
                           long first_output, long output_count, const float *bias, const float *residual, int relu,
                           float *y);

#endif
