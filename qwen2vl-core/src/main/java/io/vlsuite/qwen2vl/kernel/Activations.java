package io.vlsuite.qwen2vl.kernel;

/** Element-wise activations and softmax, in float32. */
public final class Activations {

    private Activations() {
    }

    /** Elements per parallel task of the element-wise functions. */
    private static final int SLICE = 8192;
    /** An {@code exp} costs about as much as this many multiply-adds (for the parallel-split decision). */
    private static final int EXP_COST = 32;

    /** SwiGLU gate: {@code gate[i] = silu(gate[i]) * up[i]}. */
    public static void siluMul(float[] gate, float[] up, int length) {
        // Split like the matmuls: a 2B prefill has millions of exp() per layer, which would otherwise run serially.
        sliced(length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = gate[i];
                gate[i] = (float) (g / (1.0 + Math.exp(-g))) * up[i];
            }
        });
    }

    /** The ViT MLP activation: {@code x * sigmoid(1.702 x)}. */
    public static void quickGelu(float[] x, int length) {
        sliced(length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[i];
                float sig = (float) (1.0 / (1.0 + Math.exp(-(1.702f * v))));
                x[i] = v * sig;
            }
        });
    }

    /** Exact GELU (erf form) used by the patch merger: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    public static void gelu(float[] x, int length) {
        sliced(length, (from, to) -> {
            for (int i = from; i < to; i++) {
                double v = x[i];
                x[i] = (float) (0.5 * v * (1.0 + erf(v / Math.sqrt(2.0))));
            }
        });
    }

    private interface Range {
        void apply(int from, int to);
    }

    private static void sliced(int length, Range body) {
        int slices = (length + SLICE - 1) / SLICE;
        Parallel.forEach(slices, (long) length * EXP_COST,
                s -> body.apply(s * SLICE, Math.min(length, (s + 1) * SLICE)));
    }

    /**
     * Error function to ~1e-12 for |x| &lt; 4 (Maclaurin series in double) and to ~1e-4 relative of erfc beyond
     * (asymptotic series), i.e. well below float32 resolution everywhere: erf(x) rounds to 1.0f past x ≈ 3.9.
     */
    public static double erf(double x) {
        double a = Math.abs(x);
        double result;
        if (a < 4.0) {
            double x2 = a * a;
            double term = a;
            double sum = a;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            result = 2.0 / Math.sqrt(Math.PI) * sum;
        } else {
            double inv2 = 1.0 / (2 * a * a);
            double series = 1 - inv2 + 3 * inv2 * inv2 - 15 * inv2 * inv2 * inv2 + 105 * Math.pow(inv2, 4);
            result = 1.0 - Math.exp(-a * a) / (a * Math.sqrt(Math.PI)) * series;
        }
        return x < 0 ? -result : result;
    }

    /** In-place softmax of {@code x[off..off+length)}, max-subtracted. */
    public static void softmax(float[] x, int off, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < length; i++) {
            x[off + i] *= inv;
        }
    }
}
