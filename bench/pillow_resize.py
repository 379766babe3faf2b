"""Times Pillow's Image.resize(BICUBIC) on a 1920x1080 RGB picture built like bench-preprocess's synthetic photo
(gradients + noise + checker), to the same two targets: the Qwen2-VL smart_resize size (1932x1092) and a 1288x728
downscale. Prints one JSON object of median milliseconds. Resize cost does not depend on pixel values (fixed-tap
separable convolution), so the same size and mode is the same work."""
import json, random, statistics, sys, time
from PIL import Image, __version__ as pil_version

W, H = 1920, 1080
iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20
rnd = random.Random(42)
px = bytearray(W * H * 3)
i = 0
for y in range(H):
    for x in range(W):
        px[i] = (x * 255 // W + rnd.randrange(24)) & 0xFF
        px[i + 1] = (y * 255 // H + rnd.randrange(24)) & 0xFF
        px[i + 2] = ((x + y) * 128 // (W + H) + ((x // 40 + y // 40) % 2) * 100) & 0xFF
        i += 3
img = Image.frombytes("RGB", (W, H), bytes(px))


def median_ms(fn):
    for _ in range(iterations):
        fn()
    times = []
    for _ in range(iterations):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


print(json.dumps({
    "pillow": pil_version,
    "resize_target_ms": median_ms(lambda: img.resize((1932, 1092), Image.BICUBIC)),
    "resize_1288x728_ms": median_ms(lambda: img.resize((1288, 728), Image.BICUBIC)),
}, indent=2))
