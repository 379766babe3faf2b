package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * Qwen2-VL's {@code smart_resize}: picks the size an image is resized to so that both sides are multiples of
 * {@code factor} (patch 14 x merge 2 = 28), the pixel count lies in {@code [minPixels, maxPixels]} and the aspect
 * ratio is kept as well as possible.
 *
 * <p>Two variants exist and differ only at the edges: {@link Variant#TRANSFORMERS} (the image processor of
 * transformers 4.5x/5.x, which produced the golden fixtures) and {@link Variant#QWEN_VL_UTILS} (qwen-vl-utils,
 * used for video frame sizing). Both round the quotient, then shrink with floor or grow with ceil. All arithmetic is
 * IEEE double in the same operation order as the Python source, and Python's {@code round} is
 * round-half-to-even, hence {@link Math#rint} (never {@link Math#round}: 70/28 = 2.5 must give 2).
 */
public final class SmartResize {

    /** Python's rule: {@code max(h,w)/min(h,w) > 200} is rejected. */
    public static final double MAX_ASPECT_RATIO = 200;

    private SmartResize() {
    }

    /** Which reference implementation to follow. */
    public enum Variant {
        /** transformers: no clamp after rounding; the floor (shrink) branch clamps each side to at least factor. */
        TRANSFORMERS,
        /** qwen-vl-utils: each side clamped to at least factor after rounding; the shrink branch does not clamp. */
        QWEN_VL_UTILS
    }

    /** The transformers variant. */
    public static ResizedSize compute(int height, int width, int factor, double minPixels, double maxPixels) {
        return compute(height, width, factor, minPixels, maxPixels, Variant.TRANSFORMERS);
    }

    /**
     * @param minPixels lower pixel bound (a double because qwen-vl-utils computes video budgets as floats)
     * @param maxPixels upper pixel bound
     * @throws Qwen2VlException {@code aspect_ratio_too_large} beyond 200:1, {@code image_too_small} for an empty
     *                          image or when the bounds leave no valid size
     */
    public static ResizedSize compute(int height, int width, int factor, double minPixels, double maxPixels,
                                      Variant variant) {
        if (height <= 0 || width <= 0) {
            throw new Qwen2VlException("image_too_small", "image must have at least one pixel, got " + width + "x" + height);
        }
        double ratio = (double) Math.max(height, width) / Math.min(height, width);
        if (ratio > MAX_ASPECT_RATIO) {
            throw new Qwen2VlException("aspect_ratio_too_large",
                    "absolute aspect ratio must be smaller than 200, got " + ratio);
        }
        long hBar = (long) Math.rint((double) height / factor) * factor;
        long wBar = (long) Math.rint((double) width / factor) * factor;
        long floorMin = factor;
        if (variant == Variant.QWEN_VL_UTILS) {
            hBar = Math.max(factor, hBar);
            wBar = Math.max(factor, wBar);
            floorMin = 0;
        }
        double area = (double) ((long) height * width);
        if ((double) (hBar * wBar) > maxPixels) {
            double beta = Math.sqrt(area / maxPixels);
            hBar = Math.max(floorMin, (long) Math.floor(height / beta / factor) * factor);
            wBar = Math.max(floorMin, (long) Math.floor(width / beta / factor) * factor);
        } else if ((double) (hBar * wBar) < minPixels) {
            double beta = Math.sqrt(minPixels / area);
            hBar = (long) Math.ceil(height * beta / factor) * factor;
            wBar = (long) Math.ceil(width * beta / factor) * factor;
        }
        if (hBar <= 0 || wBar <= 0 || hBar > Integer.MAX_VALUE || wBar > Integer.MAX_VALUE) {
            throw new Qwen2VlException("image_too_small",
                    "no valid resize for " + width + "x" + height + " within [" + minPixels + ", " + maxPixels + "] pixels");
        }
        return new ResizedSize((int) hBar, (int) wBar);
    }
}
