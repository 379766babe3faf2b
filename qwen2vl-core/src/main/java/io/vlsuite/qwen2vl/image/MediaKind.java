package io.vlsuite.qwen2vl.image;

/** Whether a {@link VisionInput} came from a still image or from video frames (they use different pad tokens). */
public enum MediaKind {
    /** Encoded with {@code <|image_pad|>} tokens; always {@code grid_t = 1}. */
    IMAGE,
    /** Encoded with {@code <|video_pad|>} tokens; {@code grid_t = frames / 2}. */
    VIDEO
}
