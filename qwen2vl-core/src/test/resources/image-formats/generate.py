"""Regenerates the decoder fixtures with Pillow 12 (the reference library).

For each input file X, X.expected.png holds Pillow's Image.open(X) [exif_transpose for JPEG] .convert("RGB"),
which ImageDecoderFormatsTest compares against. Run: python3 generate.py (needs Pillow, numpy).
"""
import io
import numpy as np
from PIL import Image, ImageOps

W, H = 23, 17
rng = np.random.default_rng(1234)
yy, xx = np.mgrid[0:H, 0:W]
rgb = np.stack([(xx * 11) % 256, (yy * 15) % 256, ((xx + yy) * 7) % 256], axis=-1).astype(np.uint8)
rgb[5:9, 3:12] = rng.integers(0, 256, (4, 9, 3), dtype=np.uint8)
alpha = ((xx * 13 + yy * 3) % 256).astype(np.uint8)


def save(img, name, **kw):
    img.save(name, **kw)
    src = Image.open(name)
    if name.endswith(".jpg"):
        src = ImageOps.exif_transpose(src)
    src.convert("RGB").save(name + ".expected.png")


base = Image.fromarray(rgb, "RGB")
save(Image.fromarray(np.dstack([rgb, alpha]), "RGBA"), "rgba.png")
save(base.convert("L"), "gray.png")
save(Image.fromarray(np.dstack([np.asarray(base.convert("L")), alpha]), "LA"), "gray-alpha.png")
save(base.quantize(colors=12), "palette.png")
save(base.convert("1"), "bilevel.png")
g16 = (xx * 29 + yy * 17).astype(np.uint16)  # values up to ~900: Pillow clips 16-bit grey above 255
save(Image.fromarray(g16, "I;16"), "gray16.png")
save(base.quantize(colors=7), "palette.gif")
save(base, "rgb24.bmp")
save(base.quantize(colors=16), "palette.bmp")
save(base, "lossless.webp", lossless=True)
save(base, "lossy.webp", quality=90)
save(base.convert("L"), "gray.jpg", quality=90)
save(base, "progressive.jpg", quality=90, progressive=True)
save(base.convert("CMYK"), "cmyk.jpg", quality=95)
for orientation in range(2, 9):
    exif = Image.Exif()
    exif[0x0112] = orientation
    save(base, f"exif-{orientation}.jpg", quality=95, exif=exif.tobytes())

# 16-bit RGB PNG written by hand (Pillow cannot write it): big-endian samples, Pillow keeps the high byte.
import struct, zlib
rgb16 = (rgb.astype(np.uint16) << 8) | (255 - rgb.astype(np.uint16))
raw = b"".join(b"\x00" + rgb16[y].astype(">u2").tobytes() for y in range(H))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 16, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open("rgb16.png", "wb").write(png)
Image.open("rgb16.png").convert("RGB").save("rgb16.png.expected.png")
