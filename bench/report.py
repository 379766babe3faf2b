"""Reads the outputs of bench/run-all.sh, prints the one table of figures (also written to <out>/table.md) and
draws docs/img/decode-tokens-per-batch.png with Pillow (no plotting library needed)."""
import json, re, sys
from pathlib import Path
from PIL import Image, ImageDraw

out, img_dir = Path(sys.argv[1]), Path(sys.argv[2])
model = (out / "model.txt").read_text()
vision = (out / "vision.txt").read_text()
pre = json.loads((out / "preprocess.json").read_text())
pil = json.loads((out / "pillow.json").read_text())


def num(pattern, text):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else float("nan")


layers = int(num(r"hidden 1536, (\d+) layers", model))
decode = {int(b): float(r) for b, r in re.findall(r"^decode batch\s+(\d+): ([\d.]+)", model, re.M)}
engine = {int(b): float(r) for b, r in re.findall(r"^engine decode batch\s+(\d+): ([\d.]+)", model, re.M)}
bound = num(r"batch-1 decode bound: ([\d.]+)", model)
bw = num(r"memory bandwidth: ([\d.]+) GB/s", model)
prefill = num(r"prefill: \d+ tokens, ([\d.]+) tokens/s", model)
prefill_gf = num(r"prefill compute: ([\d.]+) GFLOP/s", model)
peak = num(r"fma peak: ([\d.]+) GFLOP/s", model)
vis_depth = int(num(r"depth (\d+):", vision))
vis_ips = num(r"images/s \(extrapolated|: ([\d.]+) images/s", vision)
vis_full = num(r"depth 32 \(extrapolated from depth \d+\): ([\d.]+) images/s", vision)
if vis_full != vis_full:  # NaN: measured at full depth
    vis_full = num(r"depth 32: ([\d.]+) images/s", vision)
vis_gf = num(r"([\d.]+) GFLOP/s = ", vision)
vis_peak = num(r"fma peak: ([\d.]+) GFLOP/s", vision)
b1, b16 = decode.get(1, float("nan")), decode.get(16, float("nan"))

rows = [
    ("decode b1 / bandwidth bound", f"{b1:.2f} / {bound:.2f} tok/s ({bw:.1f} GB/s)", f"{100 * b1 / bound:.0f}%", ">= 70%"),
    ("decode b16 / b1 (model forward)", f"{b16:.2f} / {b1:.2f} tok/s", f"{b16 / b1:.1f}x", ">= 6x"),
    ("decode b16 / b1 (LLMEngine)", f"{engine.get(16, float('nan')):.2f} / {engine.get(1, float('nan')):.2f} tok/s",
     f"{engine.get(16, float('nan')) / engine.get(1, float('nan')):.1f}x", ">= 6x"),
    ("prefill / FMA peak", f"{prefill:.1f} tok/s = {prefill_gf:.1f} / {peak:.1f} GFLOP/s", f"{100 * prefill_gf / peak:.0f}%", "(none)"),
    ("vision 448x448 (depth 32)", f"{vis_full:.4f} images/s (measured at depth {vis_depth}); {vis_gf:.1f} / {vis_peak:.1f} GFLOP/s",
     f"{100 * vis_gf / vis_peak:.0f}% of peak", "(none)"),
    ("resize 1920x1080->1288x728 vs Pillow", f"{pre['resize_1288x728_ms_1thread']} ms (1 thread), "
     f"{pre['resize_1288x728_ms_parallel']} ms (parallel) / {pil['resize_1288x728_ms']} ms",
     f"{pre['resize_1288x728_ms_1thread'] / pil['resize_1288x728_ms']:.2f}x / {pre['resize_1288x728_ms_parallel'] / pil['resize_1288x728_ms']:.2f}x", "<= 1.0x"),
    ("resize 1920x1080->1932x1092 vs Pillow", f"{pre['resize_target_ms_1thread']} ms (1 thread), "
     f"{pre['resize_target_ms_parallel']} ms (parallel) / {pil['resize_target_ms']} ms",
     f"{pre['resize_target_ms_1thread'] / pil['resize_target_ms']:.2f}x / {pre['resize_target_ms_parallel'] / pil['resize_target_ms']:.2f}x", "<= 1.0x"),
]
machine = (out / "machine.txt").read_text().strip()
lines = [f"<!-- {machine.replace(chr(10), '; ')}; model layers: {layers} -->",
         "| figure | measured (same run) | ratio | target |", "|---|---|---|---|"]
lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
table = "\n".join(lines)
(out / "table.md").write_text(table + "\n")
print(table)


def plot(path, title, series, xlabel, ylabel):
    """Line chart on a log2 x axis: series = [(label, colour, {x: y})]."""
    w, h, left, bottom, top, right = 760, 460, 80, 60, 50, 30
    im = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(im)
    xs = sorted({x for _, _, pts in series for x in pts})
    ymax = max(y for _, _, pts in series for y in pts.values()) * 1.15
    import math
    lx = lambda x: left + (math.log2(x) - math.log2(xs[0])) / max(1e-9, math.log2(xs[-1]) - math.log2(xs[0])) * (w - left - right)
    ly = lambda y: h - bottom - y / ymax * (h - top - bottom)
    d.line([(left, top), (left, h - bottom), (w - right, h - bottom)], fill="black", width=2)
    for i in range(6):
        y = ymax * i / 5
        d.line([(left - 5, ly(y)), (w - right, ly(y))], fill=(225, 225, 225))
        d.text((10, ly(y) - 6), f"{y:.1f}", fill="black")
    for x in xs:
        d.text((lx(x) - 6, h - bottom + 8), str(x), fill="black")
    d.text((w // 2 - 60, h - 25), xlabel, fill="black")
    d.text((10, 20), ylabel, fill="black")
    d.text((left + 10, 10), title, fill="black")
    for n, (label, colour, pts) in enumerate(series):
        p = [(lx(x), ly(pts[x])) for x in sorted(pts)]
        d.line(p, fill=colour, width=3)
        for px, py in p:
            d.ellipse([px - 4, py - 4, px + 4, py + 4], fill=colour)
        d.rectangle([w - 290, top + 10 + n * 18, w - 278, top + 22 + n * 18], fill=colour)
        d.text((w - 272, top + 10 + n * 18), label, fill="black")
    im.save(path)


plot(img_dir / "decode-tokens-per-batch.png",
     f"Decode tokens/s vs batch size (2B-shaped BF16, {layers} layers, {machine.splitlines()[0].split(',')[0]})",
     [("model forward", (30, 90, 200), decode), ("LLMEngine (sched+sampler)", (220, 80, 40), engine),
      ("linear scaling from b1", (160, 160, 160), {b: b1 * b for b in decode})],
     "batch size (sequences decoded together)", "tokens/s")
print(f"plot: {img_dir / 'decode-tokens-per-batch.png'}")
