package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * Which frames of a video are sampled, following qwen-vl-utils v0.0.8 ({@code fetch_video}) exactly:
 * <pre>
 *   nframes given:  n = round(nframes / 2) * 2
 *   else:           n = total / video_fps * fps, clamped to [ceil_even(min_frames), floor_even(max_frames)],
 *                   then n = round(n / 2) * 2
 *   require 2 &lt;= n &lt;= total
 *   indices = round(linspace(0, total - 1, n))      (torch.linspace in float32, round half to even)
 * </pre>
 * Python's {@code round} and {@code torch.round} are half-to-even, hence {@link Math#rint}.
 */
public final class FrameSampler {

    public static final double FPS = 2.0;
    public static final int FRAME_FACTOR = 2;
    public static final int FPS_MIN_FRAMES = 4;
    public static final int FPS_MAX_FRAMES = 768;

    private FrameSampler() {
    }

    /** The number of frames to sample ({@code nframes} in qwen-vl-utils). */
    public static int frameCount(int totalFrames, double videoFps, VideoSamplingOptions options) {
        if (totalFrames <= 0) {
            throw new Qwen2VlException("video_too_short", "video has no frames");
        }
        long n;
        if (options.nframes() != null) {
            n = roundByFactor(options.nframes());
        } else {
            if (!(videoFps > 0) || !Double.isFinite(videoFps)) {
                throw new Qwen2VlException("video_undecodable", "video frame rate unknown: " + videoFps);
            }
            double fps = options.fps() != null ? options.fps() : FPS;
            int minFrames = ceilByFactor(options.minFrames() != null ? options.minFrames() : FPS_MIN_FRAMES);
            int maxFrames = floorByFactor(options.maxFrames() != null ? options.maxFrames() : Math.min(FPS_MAX_FRAMES, totalFrames));
            double wanted = totalFrames / videoFps * fps;
            wanted = Math.min(Math.max(wanted, minFrames), maxFrames);
            n = roundByFactor(wanted);
        }
        if (n < FRAME_FACTOR || n > totalFrames) {
            throw new Qwen2VlException("video_too_short",
                    "nframes should be in [" + FRAME_FACTOR + ", " + totalFrames + "], got " + n);
        }
        return (int) n;
    }

    /** Frame indices {@code round(torch.linspace(0, total - 1, n))}, ascending. */
    public static int[] frameIndices(int totalFrames, int n) {
        float start = 0f;
        float end = totalFrames - 1;
        int[] idx = new int[n];
        if (n == 1) {
            return idx;
        }
        // torch's CPU linspace for float32: step in float, first half counts up from start, second half down
        // from end (so the last value is exactly end).
        float step = (end - start) / (n - 1);
        int halfway = n / 2;
        for (int i = 0; i < n; i++) {
            float v = i < halfway ? start + step * i : end - step * (n - i - 1);
            idx[i] = (int) Math.rint(v);
        }
        return idx;
    }

    private static long roundByFactor(double number) {
        return (long) Math.rint(number / FRAME_FACTOR) * FRAME_FACTOR;
    }

    private static int ceilByFactor(int number) {
        return (int) Math.ceil(number / (double) FRAME_FACTOR) * FRAME_FACTOR;
    }

    private static int floorByFactor(int number) {
        return (int) Math.floor(number / (double) FRAME_FACTOR) * FRAME_FACTOR;
    }
}
