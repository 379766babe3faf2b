package io.vlsuite.media;

/** Qwen2-VL patch grid ({@code grid_thw}): temporal, height and width in patches. */
public record Grid(int t, int h, int w) {

    public Grid {
        if (t < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("grid dimensions must be positive, got " + t + "x" + h + "x" + w);
        }
    }
}
