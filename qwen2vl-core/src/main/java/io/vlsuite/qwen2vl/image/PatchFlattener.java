package io.vlsuite.qwen2vl.image;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Turns equally sized RGB frames into Qwen2-VL's patch matrix ({@code [patches][1176]}, see {@link VisionInput}
 * for the exact row and column order), normalising each sample on the way.
 *
 * <p>Reference: the transformers processor views the normalised {@code [T][C][H][W]} stack as
 * {@code [gt][tp][C][gh/2][2][14][gw/2][2][14]} and permutes it to {@code [gt][gh/2][gw/2][2][2][C][tp][14][14]};
 * this class writes that permuted layout directly instead of materialising the intermediate tensors.
 * A frame count that is not a multiple of the temporal patch size (2) is padded by repeating the last frame,
 * which is how a single image becomes two identical temporal slices.
 */
public final class PatchFlattener {

    public static final int PATCH = 14;
    public static final int MERGE = 2;
    public static final int TEMPORAL = 2;
    public static final int FACTOR = PATCH * MERGE;
    /** Frames at least this large are flattened in parallel (below it, task overhead dominates). */
    private static final long PARALLEL_PIXELS = 1L << 18;

    private final PixelNormalizer normalizer;

    public PatchFlattener(PixelNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    /** Flattens frames whose sides are multiples of 28. */
    public VisionInput flatten(List<RgbImage> frames, MediaKind kind) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames");
        }
        int w = frames.getFirst().width();
        int h = frames.getFirst().height();
        for (RgbImage f : frames) {
            if (f.width() != w || f.height() != h) {
                throw new io.vlsuite.qwen2vl.Qwen2VlException("frame_size_mismatch",
                        "all frames must have the same size: " + w + "x" + h + " vs " + f.width() + "x" + f.height());
            }
        }
        if (w % FACTOR != 0 || h % FACTOR != 0) {
            throw new IllegalArgumentException("frame size must be a multiple of 28, got " + w + "x" + h);
        }
        int gridT = (frames.size() + TEMPORAL - 1) / TEMPORAL;
        int patches = Math.multiplyExact(Math.multiplyExact(gridT, h / PATCH), w / PATCH);
        float[] out = new float[Math.multiplyExact(patches, VisionInput.PATCH_DIM)];
        for (int t = 0; t < gridT; t++) {
            // Padding rule of the reference: repeat the last frame.
            RgbImage first = frames.get(Math.min(t * TEMPORAL, frames.size() - 1));
            RgbImage second = frames.get(Math.min(t * TEMPORAL + 1, frames.size() - 1));
            writeTemporalSlice(out, t, first, second);
        }
        return new VisionInput(out, patches, new int[] {gridT, h / PATCH, w / PATCH}, kind);
    }

    /**
     * Writes the patches of temporal slice {@code t} (frames {@code 2t} and {@code 2t+1}) into {@code out}, which
     * holds the rows of all slices. Lets a video be flattened while its frames stream in, two at a time.
     */
    public void writeTemporalSlice(float[] out, int t, RgbImage first, RgbImage second) {
        int w = first.width();
        int h = first.height();
        if (second.width() != w || second.height() != h) {
            throw new io.vlsuite.qwen2vl.Qwen2VlException("frame_size_mismatch", "frames of one slice differ in size");
        }
        int gridH = h / PATCH;
        int gridW = w / PATCH;
        byte[] a = first.rgb();
        byte[] b = second.rgb();
        float[][] lut = {normalizer.channelTable(0), normalizer.channelTable(1), normalizer.channelTable(2)};
        int sliceStart = t * gridH * gridW;
        int blockRows = gridH / MERGE;
        // Merge-block rows are independent: large images are split across the common pool.
        IntStream rows = IntStream.range(0, blockRows);
        if ((long) w * h >= PARALLEL_PIXELS) {
            rows = rows.parallel();
        }
        rows.forEach(bh -> {
            int row = sliceStart + bh * (gridW / MERGE) * MERGE * MERGE;
            for (int bw = 0; bw < gridW / MERGE; bw++) {
                for (int mh = 0; mh < MERGE; mh++) {
                    for (int mw = 0; mw < MERGE; mw++) {
                        int y0 = (bh * MERGE + mh) * PATCH;
                        int x0 = (bw * MERGE + mw) * PATCH;
                        writePatch(out, row * VisionInput.PATCH_DIM, a, b, lut, w, y0, x0);
                        row++;
                    }
                }
            }
        });
    }

    /** One patch row: for each channel, 14x14 samples of the first frame, then of the second. */
    private static void writePatch(float[] out, int base, byte[] first, byte[] second, float[][] lut, int w, int y0, int x0) {
        int block = PATCH * PATCH;
        int o = base;
        for (int c = 0; c < 3; c++) {
            float[] table = lut[c];
            writeBlock(out, o, first, table, w, y0, x0, c);
            if (second == first) {
                // A still image is its own second frame: copy instead of converting again.
                System.arraycopy(out, o, out, o + block, block);
            } else {
                writeBlock(out, o + block, second, table, w, y0, x0, c);
            }
            o += 2 * block;
        }
    }

    private static void writeBlock(float[] out, int o, byte[] frame, float[] table, int w, int y0, int x0, int c) {
        for (int py = 0; py < PATCH; py++) {
            int p = ((y0 + py) * w + x0) * 3 + c;
            for (int px = 0; px < PATCH; px++, p += 3) {
                out[o++] = table[frame[p] & 0xFF];
            }
        }
    }
}
