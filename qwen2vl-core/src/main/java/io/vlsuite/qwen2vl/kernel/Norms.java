package io.vlsuite.qwen2vl.kernel;

/** Row normalisations, computed in float32 with double accumulators. */
public final class Norms {

    private Norms() {
    }

    /**
     * Qwen2 RMSNorm over each {@code size}-wide row of {@code x}: {@code x / sqrt(mean(x²) + eps) * weight}.
     * The normalised value is rounded to float32 before the weight multiply, as transformers does.
     */
    public static void rmsNorm(float[] out, float[] x, float[] weight, int rows, int size, float eps) {
        for (int r = 0; r < rows; r++) {
            int off = r * size;
            double sumSq = 0;
            for (int i = 0; i < size; i++) {
                sumSq += (double) x[off + i] * x[off + i];
            }
            float inv = (float) (1.0 / Math.sqrt((float) (sumSq / size) + eps));
            for (int i = 0; i < size; i++) {
                out[off + i] = weight[i] * (x[off + i] * inv);
            }
        }
    }

    /** LayerNorm over each row: {@code (x - mean) / sqrt(var + eps) * weight + bias} (biased variance). */
    public static void layerNorm(float[] out, float[] x, float[] weight, float[] bias, int rows, int size, float eps) {
        for (int r = 0; r < rows; r++) {
            int off = r * size;
            double sum = 0;
            for (int i = 0; i < size; i++) {
                sum += x[off + i];
            }
            double mean = sum / size;
            double var = 0;
            for (int i = 0; i < size; i++) {
                double d = x[off + i] - mean;
                var += d * d;
            }
            double inv = 1.0 / Math.sqrt(var / size + eps);
            for (int i = 0; i < size; i++) {
                out[off + i] = (float) ((x[off + i] - mean) * inv) * weight[i] + bias[i];
            }
        }
    }
}
