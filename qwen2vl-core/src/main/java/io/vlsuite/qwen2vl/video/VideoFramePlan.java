package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.image.ResizedSize;
import io.vlsuite.qwen2vl.image.SmartResize;

/**
 * What will be done with a video, decided from its metadata alone: which frames, and the size every frame is
 * resized to.
 *
 * <p>Per-frame pixel budget (qwen-vl-utils v0.0.8):
 * {@code max_pixels = max(min(768*28*28, total_pixels / nframes * 2), int(min_pixels * 1.05))}, unless the request
 * gives {@code max_pixels}; the size is {@code smart_resize} (qwen-vl-utils variant) with those bounds.
 *
 * @param indices   sampled frame indices
 * @param size      size of every sampled frame after resizing (multiples of 28)
 * @param minPixels per-frame lower bound used
 * @param maxPixels per-frame upper bound used
 */
public record VideoFramePlan(int[] indices, ResizedSize size, double minPixels, double maxPixels) {

    public static final long VIDEO_MIN_PIXELS = 128L * 28 * 28;
    public static final long VIDEO_MAX_PIXELS = 768L * 28 * 28;
    public static final long VIDEO_TOTAL_PIXELS = 24576L * 28 * 28;

    /** Plans sampling and sizing for a {@code width x height} video of {@code totalFrames} at {@code fps}. */
    public static VideoFramePlan plan(int totalFrames, double fps, int width, int height, VideoSamplingOptions options) {
        int n = FrameSampler.frameCount(totalFrames, fps, options);
        int[] indices = FrameSampler.frameIndices(totalFrames, n);
        double minPixels = options.minPixels() != null ? options.minPixels() : VIDEO_MIN_PIXELS;
        double totalPixels = options.totalPixels() != null ? options.totalPixels() : VIDEO_TOTAL_PIXELS;
        double maxPixels = Math.max(Math.min(VIDEO_MAX_PIXELS, totalPixels / n * FrameSampler.FRAME_FACTOR),
                (long) (minPixels * 1.05));
        if (options.maxPixels() != null) {
            maxPixels = options.maxPixels();
        }
        ResizedSize size = SmartResize.compute(height, width, 28, minPixels, maxPixels, SmartResize.Variant.QWEN_VL_UTILS);
        return new VideoFramePlan(indices, size, minPixels, maxPixels);
    }

    public int frames() {
        return indices.length;
    }
}
