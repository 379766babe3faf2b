package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * Ceilings checked against an image's header before any pixel is decoded, so a small file that claims a huge size
 * (a "pixel bomb") is rejected without allocating its raster.
 *
 * @param maxEncodedBytes largest accepted file
 * @param maxPixels       largest decoded {@code width * height}
 * @param maxSide         largest accepted width or height
 */
public record ImageLimits(long maxEncodedBytes, long maxPixels, int maxSide) {

    /** 64 MiB files, 40 megapixels, 20,000 px per side. */
    public static final ImageLimits DEFAULT = new ImageLimits(64L << 20, 40_000_000L, 20_000);

    public ImageLimits {
        if (maxEncodedBytes <= 0 || maxPixels <= 0 || maxSide <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** Throws {@code image_too_large} when a header-declared size exceeds the limits. */
    public void checkDimensions(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new Qwen2VlException("image_undecodable", "image header declares no pixels: " + width + "x" + height);
        }
        if (width > maxSide || height > maxSide) {
            throw new Qwen2VlException("image_too_large",
                    "image side exceeds " + maxSide + " px: " + width + "x" + height);
        }
        if ((long) width * height > maxPixels) {
            throw new Qwen2VlException("image_too_large",
                    "image has " + (long) width * height + " pixels, limit " + maxPixels + ": " + width + "x" + height);
        }
    }

    public void checkEncodedSize(long bytes) {
        if (bytes > maxEncodedBytes) {
            throw new Qwen2VlException("image_too_large", "image file has " + bytes + " bytes, limit " + maxEncodedBytes);
        }
    }
}
