package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * Server-side ceilings for one video, checked from metadata before any frame is decoded. Request options can ask
 * for more frames or pixels than the reference defaults; these limits cap what they can make the server do.
 *
 * @param maxFrames         most frames sampled (the reference's own cap is 768)
 * @param maxSourcePixels   largest decoded frame ({@code width * height} of the container's stream)
 * @param maxTotalPixels    largest sum of resized pixels over all sampled frames; the default equals what the
 *                          reference defaults can produce (768 frames x 105,369 pixels)
 */
public record VideoLimits(int maxFrames, long maxSourcePixels, long maxTotalPixels) {

    public static final VideoLimits DEFAULT = new VideoLimits(FrameSampler.FPS_MAX_FRAMES, 40_000_000L, 81_000_000L);

    public VideoLimits {
        if (maxFrames < 2 || maxSourcePixels <= 0 || maxTotalPixels <= 0) {
            throw new IllegalArgumentException("limits must be positive (and allow at least 2 frames)");
        }
    }

    void checkFrames(int frames) {
        if (frames > maxFrames) {
            throw new Qwen2VlException("too_many_frames", frames + " frames requested, limit " + maxFrames);
        }
    }

    void checkSource(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new Qwen2VlException("video_undecodable", "video stream has no pixels: " + width + "x" + height);
        }
        if ((long) width * height > maxSourcePixels) {
            throw new Qwen2VlException("video_too_large",
                    "video frames of " + width + "x" + height + " exceed " + maxSourcePixels + " pixels");
        }
    }

    void checkTotal(long totalPixels) {
        if (totalPixels > maxTotalPixels) {
            throw new Qwen2VlException("video_too_large",
                    "video needs " + totalPixels + " resized pixels, limit " + maxTotalPixels);
        }
    }
}
