#ifndef BRAID_IMAGE_CODECS_H
#define BRAID_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

/// A decoded 8-bit image: `height` rows of `width` pixels of `channels` interleaved samples
/// (1 grey, 2 grey and alpha, 3 RGB, 4 RGBA), in `pixels` (malloc'd; free with
/// braid_image_free). `orientation` is the EXIF orientation (1-8) of a JPEG, 1 when it has none
/// or for PNG. On failure `message` says why.
typedef struct {
    int32_t width;
    int32_t height;
    int32_t channels;
    int32_t orientation;
    uint8_t *pixels;
    char message[256];
} braid_image;

/// What a decoder returns.
enum {
    BRAID_IMAGE_OK = 0,
    /// The file is truncated or corrupt; `message` is the library's.
    BRAID_IMAGE_CORRUPT = 1,
    /// width × height is above the limit given (or zero); `width` and `height` are set.
    BRAID_IMAGE_TOO_LARGE = 2,
    /// A valid file of a kind not decoded (a CMYK JPEG); `message` names it.
    BRAID_IMAGE_UNSUPPORTED = 3,
    /// The pixels could not be allocated.
    BRAID_IMAGE_OUT_OF_MEMORY = 4,
};

/// Decodes a PNG held in `size` bytes at `data` with libpng: palettes expanded (with their
/// transparency as alpha), grey of 1, 2 or 4 bits widened to 8, 16-bit samples cut to their high
/// byte (as PIL reads 16-bit RGB), interlacing undone, no gamma correction. Nothing is allocated
/// for the pixels before width × height is checked against `max_pixels`.
int braid_png_decode(const uint8_t *data, size_t size, size_t max_pixels, braid_image *image);

/// Decodes a baseline or progressive JPEG with libjpeg-turbo (islow IDCT, fancy upsampling:
/// PIL's defaults) to grey or RGB, and reads its EXIF orientation. A file that ends before its
/// image data does is corrupt, not grey-filled.
int braid_jpeg_decode(const uint8_t *data, size_t size, size_t max_pixels, braid_image *image);

/// Frees a decoded image's pixels.
void braid_image_free(braid_image *image);

#endif
