package io.vlsuite.qwen2vl.template;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;

/**
 * The patch grid of one preprocessed image or video ({@code image_grid_thw} / {@code video_grid_thw} rows).
 *
 * @param kind image or video: selects which placeholder token it fills
 * @param t    temporal patches (1 for images)
 * @param h    height in 14-pixel patches
 * @param w    width in 14-pixel patches
 */
public record MediaGrid(MediaKind kind, int t, int h, int w) {

    public MediaGrid {
        if (kind == null || t < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("bad media grid " + kind + " " + t + "x" + h + "x" + w);
        }
    }

    /** The grid of a preprocessed image or video. */
    public static MediaGrid of(VisionInput input) {
        int[] thw = input.gridThw();
        return new MediaGrid(input.kind(), thw[0], thw[1], thw[2]);
    }

    public static MediaGrid image(int h, int w) {
        return new MediaGrid(MediaKind.IMAGE, 1, h, w);
    }

    /** Placeholder tokens for this medium: {@code t*h*w / mergeSize^2} (each token is one merged 2x2 block). */
    public int tokenCount(int mergeSize) {
        if (h % mergeSize != 0 || w % mergeSize != 0) {
            throw new IllegalArgumentException("grid " + h + "x" + w + " is not a multiple of merge size " + mergeSize);
        }
        return Math.toIntExact((long) t * h * w / ((long) mergeSize * mergeSize));
    }
}
