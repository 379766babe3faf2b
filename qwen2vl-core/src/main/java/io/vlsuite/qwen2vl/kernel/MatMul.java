package io.vlsuite.qwen2vl.kernel;

/**
 * {@code out[n][m] = x[n][k] · W[m][k]^T (+ bias[m])}: every linear layer of the model.
 *
 * <p>All tokens of a step go through one call, so each weight row is brought from memory once and reused for
 * every token (matrix-matrix), which is what makes batching raise throughput. Work is split over tiles of
 * (token block x weight-row block) and run on the fork-join pool.
 */
public final class MatMul {

    /** Tokens per tile: a tile's activations stay in the L2 cache while its weight rows are streamed. */
    static final int TOKEN_BLOCK = 64;

    private MatMul() {
    }

    public static void matmul(float[] x, int n, WeightMatrix w, float[] out) {
        matmul(x, n, w, null, out);
    }

    public static void matmul(float[] x, int n, WeightMatrix w, float[] bias, float[] out) {
        int m = w.rows();
        int k = w.cols();
        if (x.length < (long) n * k || out.length < (long) n * m) {
            throw new IllegalArgumentException("matmul buffers too small for n=" + n + " k=" + k + " m=" + m);
        }
        if (n == 0) {
            return;
        }
        int tokenBlocks = (n + TOKEN_BLOCK - 1) / TOKEN_BLOCK;
        int threads = Parallel.threads();
        // Enough row blocks to keep every thread busy, but at least 16 rows each so a task is worth scheduling.
        int rowBlocks = Math.max(1, Math.min((m + 15) / 16, (threads * 4 + tokenBlocks - 1) / tokenBlocks));
        int rowsPerBlock = (m + rowBlocks - 1) / rowBlocks;
        long work = (long) n * m * k;
        Parallel.forEach(tokenBlocks * rowBlocks, work, task -> {
            int tb = task / rowBlocks;
            int rb = task % rowBlocks;
            int n0 = tb * TOKEN_BLOCK;
            int n1 = Math.min(n, n0 + TOKEN_BLOCK);
            int m0 = rb * rowsPerBlock;
            int m1 = Math.min(m, m0 + rowsPerBlock);
            if (m0 >= m1) {
                return;
            }
            if (VectorSupport.AVAILABLE) {
                VectorMatMul.tile(x, k, w, out, m, n0, n1, m0, m1);
            } else {
                ScalarMatMul.tile(x, k, w, out, m, n0, n1, m0, m1);
            }
            if (bias != null) {
                for (int i = n0; i < n1; i++) {
                    int base = i * m;
                    for (int j = m0; j < m1; j++) {
                        out[base + j] += bias[j];
                    }
                }
            }
        });
    }
}
