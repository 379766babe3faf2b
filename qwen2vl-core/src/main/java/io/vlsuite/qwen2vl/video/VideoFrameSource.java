package io.vlsuite.qwen2vl.video;

import io.vlsuite.qwen2vl.image.RgbImage;

/**
 * Decoded frames of one video, as provided by a container decoder (FFmpeg lives outside this package). The
 * metadata is read first so that frame sampling and every limit are decided before a single frame is decoded.
 */
public interface VideoFrameSource {

    /** Frames in the stream (after any start/end trimming the source applies). */
    int frameCount();

    /** Average frame rate of the stream, frames per second. */
    double fps();

    /** Width of the decoded frames. */
    int width();

    /** Height of the decoded frames. */
    int height();

    /**
     * Decodes the frames at {@code indices} (ascending, possibly repeated) and hands each to {@code sink} in order,
     * with its position in {@code indices}. Implementations may decode sequentially and skip unrequested frames.
     */
    void read(int[] indices, FrameSink sink);

    /** Receives sampled frames one at a time, so a whole video never has to be held in memory. */
    @FunctionalInterface
    interface FrameSink {
        void accept(int position, RgbImage frame);
    }
}
