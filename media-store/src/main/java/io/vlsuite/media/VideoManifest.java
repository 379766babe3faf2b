package io.vlsuite.media;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * {@code video/{sha256}/manifest.json}: how the frames were sampled. Written after all frames, so its presence
 * means the frame set is complete.
 *
 * @param fps               sampling rate used
 * @param timestampsSeconds presentation time of each stored frame, one per frame, in frame order
 * @param grid              patch grid of the whole clip ({@code t} = temporal patches)
 * @param resizedWidth      width of every stored frame
 * @param resizedHeight     height of every stored frame
 */
public record VideoManifest(int version, double fps, List<Double> timestampsSeconds, Grid grid, int originalWidth,
                            int originalHeight, int resizedWidth, int resizedHeight, String sourceType) {

    public static final int CURRENT_VERSION = 1;

    @JsonCreator
    public VideoManifest {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        if (timestampsSeconds == null || timestampsSeconds.isEmpty() || timestampsSeconds.size() > MediaKeys.MAX_FRAMES) {
            throw new IllegalArgumentException("a video needs 1.." + MediaKeys.MAX_FRAMES + " frame timestamps");
        }
        timestampsSeconds = List.copyOf(timestampsSeconds);
        if (grid == null) {
            throw new IllegalArgumentException("grid must be set");
        }
        if (originalWidth < 1 || originalHeight < 1 || resizedWidth < 1 || resizedHeight < 1) {
            throw new IllegalArgumentException("frame sizes must be positive");
        }
    }

    public VideoManifest(double fps, List<Double> timestampsSeconds, Grid grid, int originalWidth, int originalHeight,
                         int resizedWidth, int resizedHeight, String sourceType) {
        this(CURRENT_VERSION, fps, timestampsSeconds, grid, originalWidth, originalHeight, resizedWidth, resizedHeight,
                sourceType);
    }

    @JsonIgnore
    public int frameCount() {
        return timestampsSeconds.size();
    }
}
