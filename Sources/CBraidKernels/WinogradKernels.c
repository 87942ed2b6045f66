// Winograd F(4x4, 3x3) transforms (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016, with the interpolation points 0, +-1, +-2, inf): a 4x4 block of a 3x3
// convolution's output is A^T [(G g G^T) . (B^T d B)] A for the 6x6 input tile d and the kernel g,
// 36 products instead of 144. The products of all tiles and channels are 36 matrix products
// (one per tile position xi), which the caller runs; these kernels do the three transforms.
#include "BraidKernels.h"
#include "Exp.h"

// B^T d for the six rows (or columns) d0..d5 of a tile, in place into r0..r5.
#define INPUT_TRANSFORM(d0, d1, d2, d3, d4, d5, r0, r1, r2, r3, r4, r5)                           \
    do {                                                                                            \
        r0 = 4 * (d0) - 5 * (d2) + (d4);                                                            \
        r1 = -4 * ((d1) + (d2)) + (d3) + (d4);                                                      \
        r2 = 4 * ((d1) - (d2)) - (d3) + (d4);                                                       \
        r3 = 2 * ((d3) - (d1)) - (d2) + (d4);                                                       \
        r4 = 2 * ((d1) - (d3)) - (d2) + (d4);                                                       \
        r5 = 4 * (d1) - 5 * (d3) + (d5);                                                            \
    } while (0)

// A^T m for the six rows (or columns) m0..m5, into o0..o3.
#define OUTPUT_TRANSFORM(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3)                                    \
    do {                                                                                            \
        float16_vector plus12 = (m1) + (m2), minus12 = (m1) - (m2);                                 \
        float16_vector plus34 = (m3) + (m4), minus34 = (m3) - (m4);                                 \
        o0 = (m0) + plus12 + plus34;                                                                \
        o1 = minus12 + 2 * minus34;                                                                 \
        o2 = plus12 + 4 * plus34;                                                                   \
        o3 = minus12 + 8 * minus34 + (m5);                                                          \
    } while (0)

void braid_winograd_weight(const float *restrict weight, long outputs, long channels, float *restrict u) {
    static const double g[6][3] = {{1.0 / 4, 0, 0},
                                   {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                                   {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                                   {1.0 / 24, 1.0 / 12, 1.0 / 6},
                                   {1.0 / 24, -1.0 / 12, 1.0 / 6},
                                   {0, 0, 1}};
    for (long o = 0; o < outputs; o++) {
        for (long c = 0; c < channels; c++) {
            const float *k = weight + (o * channels + c) * 9;
            double rows[6][3];  // G k
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 3; j++) rows[i][j] = g[i][0] * k[j] + g[i][1] * k[3 + j] + g[i][2] * k[6 + j];
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++) {
                    double value = rows[i][0] * g[j][0] + rows[i][1] * g[j][1] + rows[i][2] * g[j][2];
                    u[((i * 6 + j) * outputs + o) * channels + c] = (float)value;
                }
        }
    }
}

// Where tile t of a batch lies: its image and the top-left input corner of its 6x6 window
// (one row and column before the output block, for the padding of 1).
static inline void tile_origin(long t, long tiles_high, long tiles_wide, long *image, long *row, long *column) {
    long per_image = tiles_high * tiles_wide;
    *image = t / per_image;
    long within = t % per_image;
    *row = 4 * (within / tiles_wide) - 1;
    *column = 4 * (within % tiles_wide) - 1;
}

CLONES void braid_winograd_input(const float *restrict x, long channels, long height, long width, long first_tile,
                                 long tiles, long first_channel, long channel_count, float *restrict v) {
#pragma clang fp contract(fast)
    const long tiles_high = (height + 3) / 4, tiles_wide = (width + 3) / 4;
    for (long c = first_channel; c < first_channel + channel_count; c++) {
        for (long t0 = 0; t0 < tiles; t0 += 16) {
            const long lanes = tiles - t0 < 16 ? tiles - t0 : 16;
            float16_vector d[36], e[36];  // d[i * 6 + j][lane]: the window's (i, j) of each lane's tile
            for (long l = 0; l < lanes; l++) {
                long image, row, column;
                tile_origin(first_tile + t0 + l, tiles_high, tiles_wide, &image, &row, &column);
                const float *plane = x + (image * channels + c) * height * width;
                if (row >= 0 && row + 6 <= height && column >= 0 && column + 6 <= width) {
                    for (int i = 0; i < 6; i++)
                        for (int j = 0; j < 6; j++) d[i * 6 + j][l] = plane[(row + i) * width + column + j];
                } else {
                    for (int i = 0; i < 6; i++)
                        for (int j = 0; j < 6; j++) {
                            long r = row + i, q = column + j;
                            d[i * 6 + j][l] = r >= 0 && r < height && q >= 0 && q < width ? plane[r * width + q] : 0.0f;
                        }
                }
            }
            for (long l = lanes; l < 16; l++)
                for (int p = 0; p < 36; p++) d[p][l] = 0.0f;
            for (int i = 0; i < 6; i++)  // each row: B^T along its columns
                INPUT_TRANSFORM(d[i * 6], d[i * 6 + 1], d[i * 6 + 2], d[i * 6 + 3], d[i * 6 + 4], d[i * 6 + 5],
                                e[i * 6], e[i * 6 + 1], e[i * 6 + 2], e[i * 6 + 3], e[i * 6 + 4], e[i * 6 + 5]);
            for (int j = 0; j < 6; j++)  // each column: B^T down its rows
                INPUT_TRANSFORM(e[j], e[6 + j], e[12 + j], e[18 + j], e[24 + j], e[30 + j],
                                d[j], d[6 + j], d[12 + j], d[18 + j], d[24 + j], d[30 + j]);
            for (int p = 0; p < 36; p++) {
                float *target = v + (p * channels + c) * tiles + t0;
                if (lanes == 16)
                    memcpy(target, &d[p], 64);  // one unaligned vector store
                else
                    for (long l = 0; l < lanes; l++) target[l] = d[p][l];
            }
        }
    }
}

CLONES void braid_winograd_output(const float *restrict m, long outputs, long tiles, long first_tile, long height,
                                  long width, long first_output, long output_count, const float *restrict bias,
                                  const float *restrict residual, int relu, float *restrict y) {
#pragma clang fp contract(fast)
    const long tiles_high = (height + 3) / 4, tiles_wide = (width + 3) / 4;
    for (long o = first_output; o < first_output + output_count; o++) {
        const float start = bias ? bias[o] : 0.0f;
        for (long t0 = 0; t0 < tiles; t0 += 16) {
            const long lanes = tiles - t0 < 16 ? tiles - t0 : 16;
            float16_vector s[36], r[24], out[16];
            for (int p = 0; p < 36; p++) {
                const float *source = m + (p * outputs + o) * tiles + t0;
                if (lanes == 16) {
                    memcpy(&s[p], source, 64);  // one unaligned vector load
                } else {
                    s[p] = (float16_vector){};
                    for (long l = 0; l < lanes; l++) s[p][l] = source[l];
                }
            }
            for (int i = 0; i < 6; i++)  // each row: A^T along its columns
                OUTPUT_TRANSFORM(s[i * 6], s[i * 6 + 1], s[i * 6 + 2], s[i * 6 + 3], s[i * 6 + 4], s[i * 6 + 5],
                                 r[i * 4], r[i * 4 + 1], r[i * 4 + 2], r[i * 4 + 3]);
            for (int j = 0; j < 4; j++) {  // each column: A^T down its rows
                OUTPUT_TRANSFORM(r[j], r[4 + j], r[8 + j], r[12 + j], r[16 + j], r[20 + j],
                                 out[j], out[4 + j], out[8 + j], out[12 + j]);
            }
            float block[16][16];  // block[i * 4 + j][lane]: output (i, j) of each lane's tile
            for (int p = 0; p < 16; p++) {
                out[p] += start;
                memcpy(block[p], &out[p], 64);
            }
            // A run of lanes whose tiles are side by side in one row of blocks covers whole
            // stretches of 4 output rows: transposed into `line`, each row's stretch gets the
            // residual and the ReLU in contiguous vector passes (per-lane partial stores and loads
            // against the residual stall on store forwarding).
            for (long l = 0; l < lanes;) {
                long image, row, column;
                tile_origin(first_tile + t0 + l, tiles_high, tiles_wide, &image, &row, &column);
                row += 1, column += 1;
                const long left_in_row = tiles_wide - column / 4;
                const long run = lanes - l < left_in_row ? lanes - l : left_in_row;
                const long plane = (image * outputs + o) * height * width;
                const long rows = height - row < 4 ? height - row : 4;
                const long columns = width - column < 4 * run ? width - column : 4 * run;
                for (long i = 0; i < rows; i++) {
                    float line[64];
                    for (long k = 0; k < run; k++)
                        for (int j = 0; j < 4; j++) line[4 * k + j] = block[i * 4 + j][l + k];
                    float *target = y + plane + (row + i) * width + column;
                    if (residual) {
                        const float *extra = residual + plane + (row + i) * width + column;
                        for (long q = 0; q < columns; q++) line[q] += extra[q];
                    }
                    if (relu)
                        for (long q = 0; q < columns; q++) line[q] = line[q] < 0 ? 0.0f : line[q];
                    for (long q = 0; q < columns; q++) target[q] = line[q];
                }
                l += run;
            }
        }
    }
}
