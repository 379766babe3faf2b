package io.vlsuite.qwen2vl.image;

/**
 * The preprocessed form of one image or one video: exactly what the Hugging Face processor returns as
 * {@code pixel_values} and {@code image_grid_thw} / {@code video_grid_thw} for that medium.
 *
 * <p>Layout of {@link #pixelValues()}: {@code [patches][1176]} row-major float32, where
 * {@code patches = grid_t * grid_h * grid_w} and {@code 1176 = 3 channels * 2 temporal * 14 * 14}.
 * <ul>
 *   <li>Row (patch) order: {@code t}, merge-block row {@code bh}, merge-block column {@code bw}, inner row
 *       {@code mh}, inner column {@code mw}; every 4 consecutive rows form one 2x2 merge block (the patch
 *       merger relies on this). The patch's top-left pixel is {@code ((2*bh+mh)*14, (2*bw+mw)*14)}.</li>
 *   <li>Column order: {@code ((c*2 + tp)*14 + py)*14 + px}, value = normalised channel {@code c} of frame
 *       {@code 2t+tp} at pixel {@code (y0+py, x0+px)}.</li>
 * </ul>
 * The number of LLM placeholder tokens is {@link #tokenCount()} = {@code patches / 4}; the vision tower must use
 * the same patch order for its 2-D rotary position ids.
 *
 * @param pixelValues normalised patches, length {@code patches * 1176}
 * @param patches     number of rows
 * @param gridThw     {@code [grid_t, grid_h, grid_w]} in 14-pixel patches
 * @param kind        image or video (selects the pad token and the vision call)
 */
public record VisionInput(float[] pixelValues, int patches, int[] gridThw, MediaKind kind) {

    /** Features per patch row: 3 channels x temporal patch 2 x 14 x 14. */
    public static final int PATCH_DIM = 3 * 2 * 14 * 14;

    public VisionInput {
        if (gridThw.length != 3) {
            throw new IllegalArgumentException("gridThw must have 3 entries");
        }
        if ((long) gridThw[0] * gridThw[1] * gridThw[2] != patches) {
            throw new IllegalArgumentException("patches " + patches + " != product of grid " + java.util.Arrays.toString(gridThw));
        }
        if ((long) patches * PATCH_DIM != pixelValues.length) {
            throw new IllegalArgumentException("pixelValues length " + pixelValues.length + " != patches*1176");
        }
    }

    /** LLM placeholder tokens for this medium: {@code t*h*w / merge^2} with merge size 2. */
    public int tokenCount() {
        return patches / 4;
    }
}
