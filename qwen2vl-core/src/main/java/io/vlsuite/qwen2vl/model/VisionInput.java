package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * One image or video, preprocessed: {@code pixel_values} rows of {@code 3·2·14·14 = 1176} values in the patch
 * order of the processor, and its grid in patches.
 *
 * @param pixelValues flat {@code [gridT·gridH·gridW][patchInputSize]}
 */
public record VisionInput(Kind kind, float[] pixelValues, int gridT, int gridH, int gridW) {

    public enum Kind { IMAGE, VIDEO }

    public VisionInput {
        if (gridT <= 0 || gridH <= 0 || gridW <= 0 || gridH % 2 != 0 || gridW % 2 != 0) {
            throw new Qwen2VlException("invalid_vision_grid",
                    "grid " + gridT + "x" + gridH + "x" + gridW + " must be positive with even height and width");
        }
        if (pixelValues.length % (gridT * gridH * gridW) != 0) {
            throw new Qwen2VlException("invalid_pixel_values", pixelValues.length
                    + " pixel values do not split into " + gridT * gridH * gridW + " patch rows");
        }
    }

    public static VisionInput image(float[] pixelValues, int gridT, int gridH, int gridW) {
        return new VisionInput(Kind.IMAGE, pixelValues, gridT, gridH, gridW);
    }

    public static VisionInput video(float[] pixelValues, int gridT, int gridH, int gridW) {
        return new VisionInput(Kind.VIDEO, pixelValues, gridT, gridH, gridW);
    }

    public int patches() {
        return gridT * gridH * gridW;
    }

    /** Language-model tokens after the 2x2 merge. */
    public int mergedTokens() {
        return patches() / 4;
    }
}
