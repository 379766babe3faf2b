package io.vlsuite.qwen2vl.image;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * Per-request {@code min_pixels} / {@code max_pixels} override (the qwen-vl-utils message keys). Null fields keep
 * the model's configured value.
 *
 * <p>Overrides are clamped by the processor to the model's configured maximum: a request may ask for fewer
 * tokens, never for more than the operator allowed (unbounded request-level overrides are how a single request
 * can exhaust memory).
 */
public record PixelBounds(Long minPixels, Long maxPixels) {

    public static final PixelBounds NONE = new PixelBounds(null, null);

    public PixelBounds {
        if (minPixels != null && minPixels < 0 || maxPixels != null && maxPixels <= 0) {
            throw new Qwen2VlException("invalid_pixel_bounds", "min_pixels must be >= 0 and max_pixels > 0");
        }
        if (minPixels != null && maxPixels != null && minPixels > maxPixels) {
            throw new Qwen2VlException("invalid_pixel_bounds", "min_pixels " + minPixels + " > max_pixels " + maxPixels);
        }
    }
}
