package io.vlsuite.qwen2vl.image;

/**
 * Maps a uint8 sample to its normalised float32 value exactly as the reference (transformers' PIL path) does:
 * {@code rescale} multiplies in float64 and stores float32 ({@code float32(u8 * rescale_factor)}), then
 * {@code normalize} computes {@code (x - mean) / std} in float32 with float32 mean/std.
 *
 * <p>Only 256 inputs exist per channel, so the whole mapping is a lookup table: the hot loop does no arithmetic.
 */
public final class PixelNormalizer {

    private final float[][] table = new float[3][256];

    public PixelNormalizer(double rescaleFactor, double[] mean, double[] std) {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 channels");
        }
        for (int c = 0; c < 3; c++) {
            float m = (float) mean[c];
            float s = (float) std[c];
            for (int v = 0; v < 256; v++) {
                float rescaled = (float) (v * rescaleFactor);
                table[c][v] = (rescaled - m) / s;
            }
        }
    }

    /** Normalised value of uint8 {@code value} (0..255) in channel {@code channel}. */
    public float normalize(int channel, int value) {
        return table[channel][value];
    }

    float[] channelTable(int channel) {
        return table[channel];
    }
}
