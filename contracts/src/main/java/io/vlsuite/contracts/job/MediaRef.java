package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A picture or a video that preprocess-service has already decoded, resized with the exact Qwen2-VL math and
 * stored losslessly in the media bucket. Workers only normalize and patchify.
 *
 * @param kind      {@code image} or {@code video}
 * @param keys      object keys: one PNG for an image ({@code media/{sha256}.png}); the sampled frames in order
 *                  for a video ({@code video/{sha256}/frame-NNNNN.png})
 * @param width     resized width in pixels (a multiple of 28)
 * @param height    resized height in pixels (a multiple of 28)
 * @param gridThw   the vision grid {@code [t, h, w]} in 14-pixel patches
 * @param fps       for videos, the sampling rate of the frames; null for images
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MediaRef(String kind, List<String> keys, int width, int height, List<Integer> gridThw, Double fps) {

    public static final String IMAGE = "image";
    public static final String VIDEO = "video";

    /** Vision tokens this media adds to the prompt: t·h·w / 4 (2×2 patch merge). */
    public int visionTokens() {
        return gridThw.get(0) * gridThw.get(1) * gridThw.get(2) / 4;
    }
}
