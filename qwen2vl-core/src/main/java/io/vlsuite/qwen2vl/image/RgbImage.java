package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * An 8-bit RGB picture stored row-major and interleaved ({@code r,g,b,r,g,b,...}), the in-memory form every
 * preprocessing step works on. Equivalent to a Pillow image in mode {@code "RGB"} or a numpy {@code [H][W][3]}
 * uint8 array.
 *
 * <p>The array is shared, not copied, to keep the hot path allocation-free: callers must not modify it after
 * handing it over.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new Qwen2VlException("image_undecodable", "image has no pixels: " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("rgb holds " + rgb.length + " bytes, expected " + width + "*" + height + "*3");
        }
    }

    /** A black image of the given size. */
    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)]);
    }

    /** Channel {@code c} (0 = red) of pixel {@code (x, y)}, 0..255. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    public long pixelCount() {
        return (long) width * height;
    }
}
