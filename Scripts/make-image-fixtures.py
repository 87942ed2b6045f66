"""Generate the image-file fixtures used by Braid's PNG, JPEG and CLIP preprocessing tests.

Writes, under Tests/Fixtures/images/:
  *.png          a 13×7 picture (gradients and a few hard edges, so that orientation and
                 resampling errors show) saved by Pillow as 8-bit grey, 1-bit grey, grey with
                 alpha, RGB, RGBA, a 16-colour palette, a palette with transparency, 16-bit RGB
                 and interlaced RGB
  *.jpg          the same picture at 40×24 as a baseline 4:2:0 JPEG, a greyscale one, a
                 progressive one, and one for each EXIF orientation 1-8 (the pixels stored
                 sideways or mirrored so that, turned upright, each shows the same picture)
  bad/           a truncated PNG and JPEG, a PNG with a broken CRC, a JPEG cut inside its
                 header, a CMYK JPEG and a file of neither kind
  expected.safetensors
                 decoded.<file>: what PIL decodes (ImageOps.exif_transpose applied to JPEGs)
                 as [height, width, channels] uint8, and rgb.<file>:
                 convert("RGB"); clip.<name>: transformers' CLIPImageProcessor (resize the
                 shorter side to 224 with PIL's bicubic, centre crop 224, rescale, CLIP's
                 mean and std) of the RGB pictures clip/wide.png (300×200) and clip/small.png
                 (50×40), in float16; resize.<name>: PIL's bicubic resize of the same pictures
                 to 71×45 and to 130×97

Run from the repository root:
  python3 -m venv /opt/braid-venv && /opt/braid-venv/bin/pip install torch==2.13.0 transformers safetensors pillow
  /opt/braid-venv/bin/python Scripts/make-image-fixtures.py
Pillow and transformers are only tools for this script; Braid's tests read the committed files.
"""

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps
from safetensors.numpy import save_file
from transformers import CLIPImageProcessor

OUT = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "images"


def picture(width, height, seed):
    """An RGB picture with smooth gradients, noise and a bright square off centre."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    r = 255 * x / max(width - 1, 1)
    g = 255 * y / max(height - 1, 1)
    b = 127 + 100 * np.sin(x / 3.0) * np.cos(y / 5.0)
    rgb = np.stack([r, g, b], axis=-1) + rng.normal(0, 12, (height, width, 3))
    rgb[height // 5: height // 5 + max(height // 4, 1), width // 6: width // 6 + max(width // 4, 1)] = [250, 240, 20]
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def png(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, **options)
    return buffer.getvalue()


# What an upright picture must be stored as for EXIF orientation k to turn it upright again:
# the inverse of exif_transpose's operation.
STORED = {
    1: lambda im: im,
    2: lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    3: lambda im: im.transpose(Image.Transpose.ROTATE_180),
    4: lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
    5: lambda im: im.transpose(Image.Transpose.TRANSPOSE),
    6: lambda im: im.transpose(Image.Transpose.ROTATE_90),
    7: lambda im: im.transpose(Image.Transpose.TRANSVERSE),
    8: lambda im: im.transpose(Image.Transpose.ROTATE_270),
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bad").mkdir(exist_ok=True)
    small = Image.fromarray(picture(13, 7, seed=1))
    files = {
        "grey.png": png(small.convert("L")),
        "grey-1bit.png": png(small.convert("1")),
        "grey-alpha.png": png(small.convert("LA")),
        "rgb.png": png(small),
        "rgba.png": png(Image.fromarray(np.dstack([np.asarray(small), np.arange(91, dtype=np.uint8).reshape(7, 13) * 2]))),
        "palette.png": png(small.quantize(colors=16)),
        "palette-transparent.png": png(small.quantize(colors=16), transparency=bytes(range(0, 256, 16))),
        # Pillow writes neither 16-bit RGB nor Adam7 interlacing: these two are encoded by hand.
        # 16-bit samples are 257·v + 3, whose high byte is v.
        "rgb16.png": raw_png(np.asarray(small).astype(">u2") * 257 + 3, depth=16),
        "rgb-interlaced.png": raw_png(np.asarray(small), depth=8, interlaced=True),
    }

    upright = Image.fromarray(picture(40, 24, seed=2))
    files["rgb.jpg"] = jpeg(upright)
    files["grey.jpg"] = jpeg(upright.convert("L"))
    files["progressive.jpg"] = jpeg(upright, progressive=True)
    for k, store in STORED.items():
        exif = Image.Exif()
        exif[0x0112] = k
        files[f"orientation-{k}.jpg"] = jpeg(store(upright), exif=exif.tobytes())
    for name, data in files.items():
        (OUT / name).write_bytes(data)

    rgb_png = files["rgb.png"]
    (OUT / "bad" / "truncated.png").write_bytes(rgb_png[: len(rgb_png) * 2 // 3])
    broken = bytearray(rgb_png)
    broken[29] ^= 0xFF  # inside the IHDR CRC
    (OUT / "bad" / "bad-crc.png").write_bytes(bytes(broken))
    rgb_jpg = files["rgb.jpg"]
    (OUT / "bad" / "truncated.jpg").write_bytes(rgb_jpg[: len(rgb_jpg) // 2])
    (OUT / "bad" / "header-only.jpg").write_bytes(rgb_jpg[:40])
    (OUT / "bad" / "cmyk.jpg").write_bytes(jpeg(upright.convert("CMYK")))
    (OUT / "bad" / "text.png").write_bytes(b"this is not an image\n")

    tensors = {}
    for name in files:
        image = Image.open(OUT / name)
        image.load()
        if name.endswith(".jpg"):
            image = ImageOps.exif_transpose(image)
        decoded = np.asarray(image)
        if image.mode == "P":
            decoded = np.asarray(image.convert("RGBA" if "transparency" in image.info else "RGB"))
        if decoded.dtype == bool:
            decoded = decoded.astype(np.uint8) * 255
        if decoded.ndim == 2:
            decoded = decoded[:, :, None]
        tensors["decoded." + name] = decoded.astype(np.uint8)
        tensors["rgb." + name] = np.asarray(image.convert("RGB"))

    processor = CLIPImageProcessor()  # openai/clip-vit-base-patch32's settings
    (OUT / "clip").mkdir(exist_ok=True)
    for name, (width, height, seed) in {"wide": (300, 200, 3), "small": (50, 40, 6)}.items():
        pixels = picture(width, height, seed)
        (OUT / "clip" / f"{name}.png").write_bytes(png(Image.fromarray(pixels)))
        output = processor(images=Image.fromarray(pixels), return_tensors="np")["pixel_values"][0]
        tensors["clip." + name] = output.astype(np.float16)
    for name, (source, size) in {"down": ((300, 200, 3), (71, 45)), "up": ((50, 40, 6), (130, 97))}.items():
        resized = Image.fromarray(picture(*source)).resize(size, Image.Resampling.BICUBIC)
        tensors["resize." + name] = np.asarray(resized)
    save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()}, str(OUT / "expected.safetensors"))


def raw_png(rgb, depth, interlaced=False):
    """An RGB PNG of `rgb` ([height, width, 3], 8- or 16-bit), Adam7-interlaced if asked, filter
    type 0 on every row."""
    import struct
    import zlib
    height, width, _ = rgb.shape
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    raw = bytearray()
    for x0, y0, dx, dy in passes if interlaced else [(0, 0, 1, 1)]:
        sub = rgb[y0::dy, x0::dx]
        if sub.size == 0:
            continue
        for row in sub:
            raw += b"\x00" + row.astype(">u2" if depth == 16 else np.uint8).tobytes()

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, depth, 2, 0, 0, 1 if interlaced else 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(raw))) + chunk(b"IEND", b"")


if __name__ == "__main__":
    main()
