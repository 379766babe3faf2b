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
# 16-bit grey with a tRNS chunk: still Pillow mode I;16 (clipped), while Java adds an alpha band.
Image.fromarray(g16, "I;16").save("gray16-trns.png", transparency=300)
_rgb = Image.open("gray16-trns.png").convert("RGB")
_rgb.info = {}
_rgb.save("gray16-trns.png.expected.png")
save(base.quantize(colors=7), "palette.gif")
save(base.convert("L"), "gray-trns.png", transparency=77)        # 8-bit grey + tRNS
save(base, "rgb-trns.png", transparency=(0, 0, 0))               # RGB + tRNS
save(base.quantize(colors=4), "palette2bit.png", bits=2)
save(Image.fromarray(np.dstack([rgb, alpha]), "RGBA"), "rgba32.bmp")
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

# 4-bit grey PNG written by hand: Pillow unpacks it to L scaling by 17 (0..15 -> 0..255).
g4 = ((xx + yy) % 16).astype(np.uint8)
raw4 = b"".join(b"\x00" + bytes((int(g4[y, x]) << 4) | (int(g4[y, x + 1]) if x + 1 < W else 0) for x in range(0, W, 2)) for y in range(H))
png4 = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 4, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw4)) + chunk(b"IEND", b"")
open("gray4.png", "wb").write(png4)
Image.open("gray4.png").convert("RGB").save("gray4.png.expected.png")
