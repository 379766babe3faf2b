package io.vlsuite.qwen2vl.kernel;

/** Plain-Java tile of {@link MatMul}, used when the Vector API module is not present. */
final class ScalarMatMul {

    private ScalarMatMul() {
    }

    static void tile(float[] x, int k, WeightMatrix w, float[] out, int m, int n0, int n1, int m0, int m1) {
        float[] row = new float[k];
        for (int j = m0; j < m1; j++) {
            w.readRow(j, row, 0);
            for (int i = n0; i < n1; i++) {
                int xo = i * k;
                float sum = 0f;
                for (int c = 0; c < k; c++) {
                    sum += x[xo + c] * row[c];
                }
                out[i * m + j] = sum;
            }
        }
    }
}
