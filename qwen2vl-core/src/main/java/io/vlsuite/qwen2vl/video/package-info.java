/**
 * Qwen2-VL video preprocessing: frame sampling and per-frame sizing of qwen-vl-utils v0.0.8 (released with
 * Qwen2-VL), then the processor's normalisation and temporal patching.
 *
 * <p>Container decoding is not done here: a decoder implements {@link io.vlsuite.qwen2vl.video.VideoFrameSource}
 * (metadata first, then the sampled frames streamed in order), and {@link io.vlsuite.qwen2vl.video.VideoProcessor}
 * decides everything from metadata, checks {@link io.vlsuite.qwen2vl.video.VideoLimits}, and flattens frames two at
 * a time as they arrive. Frames that are already sampled and sized are handled by
 * {@link io.vlsuite.qwen2vl.video.VideoProcessor#processFrames(java.util.List)}, matching the golden {@code video}
 * case within 1e-5.
 */
package io.vlsuite.qwen2vl.video;
