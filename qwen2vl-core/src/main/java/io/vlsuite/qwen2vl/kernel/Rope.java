package io.vlsuite.qwen2vl.kernel;

/**
 * Rotary position embedding in the rotate-half (NeoX) layout used by Qwen2 and its ViT: dimension {@code i} pairs
 * with {@code i + half}; both use the angle of pair {@code i}.
 */
public final class Rope {

    private Rope() {
    }

    /** {@code inv_freq[j] = 1 / theta^(2j / dim)} for {@code j < dim/2}, rounded to float32 as torch does. */
    public static float[] inverseFrequencies(double theta, int dim) {
        float[] inv = new float[dim / 2];
        for (int j = 0; j < inv.length; j++) {
            // torch: 1.0 / (base ** (arange(0, dim, 2, dtype=int64).float() / dim)) in float32
            float exponent = (float) (2 * j) / dim;
            float pow = (float) Math.pow(theta, exponent);
            inv[j] = 1.0f / pow;
        }
        return inv;
    }

    /**
     * Rotates the {@code heads} consecutive heads of width {@code headDim} starting at {@code x[off]}, with
     * {@code cos[c + j], sin[c + j]} (j &lt; headDim/2) the angle of pair j.
     */
    public static void rotate(float[] x, int off, int heads, int headDim, float[] cos, float[] sin, int c) {
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            int base = off + h * headDim;
            for (int j = 0; j < half; j++) {
                float x1 = x[base + j];
                float x2 = x[base + j + half];
                float co = cos[c + j];
                float si = sin[c + j];
                x[base + j] = x1 * co - x2 * si;
                x[base + j + half] = x2 * co + x1 * si;
            }
        }
    }
}
