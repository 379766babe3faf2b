package io.vlsuite.preprocess.media;

/**
 * Per-request processing options ({@code mm_processor_kwargs} and video sampling); null means the model's default.
 *
 * @param minPixels lower pixel budget per image/frame
 * @param maxPixels upper pixel budget per image/frame
 * @param fps       video sampling rate
 */
public record MediaOptions(Integer minPixels, Integer maxPixels, Double fps) {

    public static final MediaOptions DEFAULTS = new MediaOptions(null, null, null);
}
