"""Pillow 12 BICUBIC resize expectations for PillowResizeParityTest (python3 generate.py; needs Pillow, numpy).

Each case: <name>.png (random RGB input) and <name>.<W>x<H>.png (Pillow's Image.resize((W, H), BICUBIC)).
Sizes cover strong and mild down/upscaling, one axis only, and extreme aspect ratios.
"""
import numpy as np
from PIL import Image

CASES = [
    ("noise-97x61", (97, 61), [(56, 28), (28, 56), (196, 140), (97, 28), (28, 61), (300, 17), (1, 1)]),
    ("noise-300x200", (300, 200), [(28, 28), (322, 210), (126, 84), (448, 308), (300, 56)]),
    ("noise-7x5", (7, 5), [(56, 84), (28, 28), (7, 9)]),
    ("noise-1000x9", (1000, 9), [(560, 28), (28, 28), (1000, 28)]),
]
rng = np.random.default_rng(7)
for name, (w, h), targets in CASES:
    arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    # Mix in smooth regions so both sharp and flat content are exercised.
    yy, xx = np.mgrid[0:h, 0:w]
    arr[: h // 2, : w // 2, 0] = (xx[: h // 2, : w // 2] * 255 // max(1, w - 1)).astype(np.uint8)
    img = Image.fromarray(arr, "RGB")
    img.save(f"{name}.png")
    for tw, th in targets:
        img.resize((tw, th), Image.Resampling.BICUBIC).save(f"{name}.{tw}x{th}.png")
