package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * Per-video settings, named after the keys of a qwen-vl-utils video message element. A null field takes the
 * qwen-vl-utils v0.0.8 default (the version released with Qwen2-VL).
 *
 * @param fps         frames sampled per second of video (default 2.0); exclusive with {@code nframes}
 * @param nframes     exact number of frames to sample (rounded to even)
 * @param minFrames   lower bound on the sampled frame count for the fps rule (default 4)
 * @param maxFrames   upper bound on the sampled frame count for the fps rule (default min(768, total frames))
 * @param minPixels   per-frame lower pixel bound (default 128*28*28)
 * @param maxPixels   per-frame upper pixel bound (default computed from {@code totalPixels}, see
 *                    {@link VideoFramePlan})
 * @param totalPixels pixel budget of the whole video (default 24576*28*28)
 */
public record VideoSamplingOptions(
        Double fps,
        Integer nframes,
        Integer minFrames,
        Integer maxFrames,
        Long minPixels,
        Long maxPixels,
        Long totalPixels) {

    public static final VideoSamplingOptions DEFAULTS = new VideoSamplingOptions(null, null, null, null, null, null, null);

    public VideoSamplingOptions {
        if (fps != null && nframes != null) {
            throw new Qwen2VlException("invalid_video_options", "only one of fps and nframes may be given");
        }
        if (fps != null && !(fps > 0 && Double.isFinite(fps))) {
            throw new Qwen2VlException("invalid_video_options", "fps must be positive, got " + fps);
        }
        if (nframes != null && nframes <= 0 || minFrames != null && minFrames <= 0 || maxFrames != null && maxFrames <= 0) {
            throw new Qwen2VlException("invalid_video_options", "frame counts must be positive");
        }
        if (minPixels != null && minPixels < 0 || maxPixels != null && maxPixels <= 0 || totalPixels != null && totalPixels <= 0) {
            throw new Qwen2VlException("invalid_video_options", "pixel bounds must be positive");
        }
    }

    public static VideoSamplingOptions withFps(double fps) {
        return new VideoSamplingOptions(fps, null, null, null, null, null, null);
    }

    public static VideoSamplingOptions withFrameCount(int nframes) {
        return new VideoSamplingOptions(null, nframes, null, null, null, null, null);
    }
}
