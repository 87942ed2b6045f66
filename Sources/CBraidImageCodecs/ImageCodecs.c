// PNG and JPEG decoding through libpng and libjpeg-turbo. Both libraries report errors by
// longjmp, which must not cross Swift frames, so every call into them happens here, below the
// setjmp that catches it.
#include "BraidImageCodecs.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

static void set_message(braid_image *image, const char *message) {
    snprintf(image->message, sizeof image->message, "%s", message);
}

/// Whether width × height fits the limit (and neither is 0); sets the size either way.
static int fits(braid_image *image, size_t width, size_t height, size_t max_pixels) {
    image->width = width > INT32_MAX ? INT32_MAX : (int32_t)width;
    image->height = height > INT32_MAX ? INT32_MAX : (int32_t)height;
    return width > 0 && height > 0 && width <= max_pixels && height <= max_pixels / width;
}

void braid_image_free(braid_image *image) {
    free(image->pixels);
    image->pixels = NULL;
}

// MARK: PNG

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t offset;
    braid_image *image;
} png_source;

static void png_read_bytes(png_structp png, png_bytep out, size_t count) {
    png_source *source = png_get_io_ptr(png);
    if (count > source->size - source->offset) png_error(png, "the file ends early");
    memcpy(out, source->data + source->offset, count);
    source->offset += count;
}

static void png_fail(png_structp png, png_const_charp message) {
    png_source *source = png_get_error_ptr(png);
    set_message(source->image, message);
    png_longjmp(png, 1);
}

static void png_warn(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

int braid_png_decode(const uint8_t *data, size_t size, size_t max_pixels, braid_image *image) {
    memset(image, 0, sizeof *image);
    image->orientation = 1;
    png_source source = {data, size, 0, image};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, png_fail, png_warn);
    if (!png) return BRAID_IMAGE_OUT_OF_MEMORY;
    png_infop info = png_create_info_struct(png);
    png_bytep *volatile rows = NULL;
    volatile int status = BRAID_IMAGE_CORRUPT;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return BRAID_IMAGE_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        if (status != BRAID_IMAGE_OK) braid_image_free(image);
        png_destroy_read_struct(&png, &info, NULL);
        return status;
    }
    png_set_read_fn(png, &source, png_read_bytes);
    // Checked below against max_pixels instead; libpng's own default limit is 1,000,000 a side.
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    if (!fits(image, width, height, max_pixels)) {
        status = BRAID_IMAGE_TOO_LARGE;
        png_longjmp(png, 1);
    }
    int colour = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (colour == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (depth == 16) png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (channels < 1 || channels > 4 || row_bytes != (size_t)width * channels) {
        set_message(image, "unexpected row layout after expansion");
        png_longjmp(png, 1);
    }
    image->channels = channels;
    image->pixels = malloc(row_bytes * height);
    rows = malloc(sizeof(png_bytep) * height);
    if (!image->pixels || !rows) {
        status = BRAID_IMAGE_OUT_OF_MEMORY;
        png_longjmp(png, 1);
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = image->pixels + y * row_bytes;
    png_read_image(png, rows);
    status = BRAID_IMAGE_OK;
    png_longjmp(png, 1);  // the common exit above frees what is left
}

// MARK: JPEG

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    braid_image *image;
} jpeg_failure;

static void jpeg_fail(j_common_ptr info) {
    jpeg_failure *failure = (jpeg_failure *)info->err;
    char message[JMSG_LENGTH_MAX];
    info->err->format_message(info, message);
    set_message(failure->image, message);
    longjmp(failure->jump, 1);
}

/// Warnings are ignored, except the one for data that stops early, which libjpeg would
/// otherwise paper over with grey rows.
static void jpeg_warn(j_common_ptr info, int level) {
    if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF) jpeg_fail(info);
}

static uint32_t read16(const uint8_t *p, int big) { return big ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0]; }

static uint32_t read32(const uint8_t *p, int big) {
    return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
               : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/// The orientation (tag 0x0112 of IFD0) of an APP1 "Exif" segment, or 1; every offset is
/// checked against the segment.
static int exif_orientation(const uint8_t *segment, size_t length) {
    if (length < 14 || memcmp(segment, "Exif\0\0", 6) != 0) return 1;
    const uint8_t *tiff = segment + 6;
    size_t size = length - 6;
    int big;
    if (tiff[0] == 'M' && tiff[1] == 'M') big = 1;
    else if (tiff[0] == 'I' && tiff[1] == 'I') big = 0;
    else return 1;
    if (read16(tiff + 2, big) != 42) return 1;
    uint32_t ifd = read32(tiff + 4, big);
    if (ifd > size || size - ifd < 2) return 1;
    uint32_t count = read16(tiff + ifd, big);
    for (uint32_t i = 0; i < count; i++) {
        size_t entry = (size_t)ifd + 2 + (size_t)i * 12;
        if (entry > size || size - entry < 12) return 1;
        if (read16(tiff + entry, big) == 0x0112 && read16(tiff + entry + 2, big) == 3) {
            uint32_t value = read16(tiff + entry + 8, big);
            return value >= 1 && value <= 8 ? (int)value : 1;
        }
    }
    return 1;
}

int braid_jpeg_decode(const uint8_t *data, size_t size, size_t max_pixels, braid_image *image) {
    memset(image, 0, sizeof *image);
    image->orientation = 1;
    struct jpeg_decompress_struct info;
    jpeg_failure failure;
    failure.image = image;
    info.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = jpeg_fail;
    failure.manager.emit_message = jpeg_warn;
    volatile int status = BRAID_IMAGE_CORRUPT;
    if (setjmp(failure.jump)) {
        if (status != BRAID_IMAGE_OK) braid_image_free(image);
        jpeg_destroy_decompress(&info);
        return status;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_save_markers(&info, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&info, TRUE);
    for (jpeg_saved_marker_ptr marker = info.marker_list; marker; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1) {
            int orientation = exif_orientation(marker->data, marker->data_length);
            if (orientation != 1) {
                image->orientation = orientation;
                break;
            }
        }
    }
    if (!fits(image, info.image_width, info.image_height, max_pixels)) {
        status = BRAID_IMAGE_TOO_LARGE;
        longjmp(failure.jump, 1);
    }
    switch (info.jpeg_color_space) {
    case JCS_GRAYSCALE: info.out_color_space = JCS_GRAYSCALE; break;
    case JCS_YCbCr: case JCS_RGB: info.out_color_space = JCS_RGB; break;
    default:
        snprintf(image->message, sizeof image->message, "%s JPEGs are not decoded",
                 info.jpeg_color_space == JCS_CMYK ? "CMYK" : info.jpeg_color_space == JCS_YCCK ? "YCCK" : "this colour space's");
        status = BRAID_IMAGE_UNSUPPORTED;
        longjmp(failure.jump, 1);
    }
    info.dct_method = JDCT_ISLOW;
    info.do_fancy_upsampling = TRUE;
    jpeg_start_decompress(&info);
    int channels = info.output_components;
    image->channels = channels;
    size_t row_bytes = (size_t)info.output_width * channels;
    image->pixels = malloc(row_bytes * info.output_height);
    if (!image->pixels) {
        status = BRAID_IMAGE_OUT_OF_MEMORY;
        longjmp(failure.jump, 1);
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = image->pixels + (size_t)info.output_scanline * row_bytes;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    status = BRAID_IMAGE_OK;
    longjmp(failure.jump, 1);  // the common exit above frees what is left
}
