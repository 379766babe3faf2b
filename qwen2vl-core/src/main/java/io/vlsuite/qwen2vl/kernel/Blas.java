package io.vlsuite.qwen2vl.kernel;

/** Level-1 helpers for attention (dot products over keys, weighted sums of values). */
public final class Blas {

    private Blas() {
    }

    public static float dot(float[] a, int aOff, float[] b, int bOff, int length) {
        if (VectorSupport.AVAILABLE) {
            return VectorOps.dot(a, aOff, b, bOff, length);
        }
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** {@code y += alpha * x} over {@code length} elements. */
    public static void axpy(float[] y, int yOff, float alpha, float[] x, int xOff, int length) {
        if (VectorSupport.AVAILABLE) {
            VectorOps.axpy(y, yOff, alpha, x, xOff, length);
            return;
        }
        for (int i = 0; i < length; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }
}
