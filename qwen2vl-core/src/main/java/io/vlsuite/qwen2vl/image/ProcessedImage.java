package io.vlsuite.qwen2vl.image;

/**
 * Result of {@link ImageProcessor#processWithResized}: the model input and the resized uint8 image it was made from
 * (kept for parity checks and debugging output).
 */
public record ProcessedImage(RgbImage resized, VisionInput input) {
}
