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
        matmulGroup(x, n, new WeightMatrix[] {w}, new float[][] {bias}, new float[][] {out});
    }

    /**
     * Several products of the same input ({@code outs[g] = x · ws[g]^T + biases[g]}), e.g. q/k/v or gate/up, in
     * one parallel dispatch: fewer fork-join round trips per layer, and the small k/v projections share the
     * threads with q instead of running as separate, under-filled steps. {@code biases[g]} may be null.
     */
    public static void matmulGroup(float[] x, int n, WeightMatrix[] ws, float[][] biases, float[][] outs) {
        int k = ws[0].cols();
        long totalRows = 0;
        for (int g = 0; g < ws.length; g++) {
            if (ws[g].cols() != k || x.length < (long) n * k || outs[g].length < (long) n * ws[g].rows()) {
                throw new IllegalArgumentException("matmul buffers too small or widths differ for n=" + n + " k="
                        + k + " m=" + ws[g].rows());
            }
            totalRows += ws[g].rows();
        }
        if (n == 0) {
            return;
        }
        int tokenBlocks = (n + TOKEN_BLOCK - 1) / TOKEN_BLOCK;
        int threads = Parallel.threads();
        // Enough row blocks to keep every thread busy, but at least 16 rows each so a task is worth scheduling.
        long targetBlocks = Math.max(1, (threads * 4L + tokenBlocks - 1) / tokenBlocks);
        int rowsPerBlock = (int) Math.max(16, (totalRows + targetBlocks - 1) / targetBlocks);
        int[] firstBlock = new int[ws.length + 1];
        for (int g = 0; g < ws.length; g++) {
            firstBlock[g + 1] = firstBlock[g] + (ws[g].rows() + rowsPerBlock - 1) / rowsPerBlock;
        }
        int rowBlocks = firstBlock[ws.length];
        Parallel.forEach(tokenBlocks * rowBlocks, (long) n * totalRows * k, task -> {
            int tb = task / rowBlocks;
            int rb = task % rowBlocks;
            int g = 0;
            while (rb >= firstBlock[g + 1]) {
                g++;
            }
            WeightMatrix w = ws[g];
            int m = w.rows();
            int n0 = tb * TOKEN_BLOCK;
            int n1 = Math.min(n, n0 + TOKEN_BLOCK);
            int m0 = (rb - firstBlock[g]) * rowsPerBlock;
            int m1 = Math.min(m, m0 + rowsPerBlock);
            float[] out = outs[g];
            if (VectorSupport.AVAILABLE) {
                VectorMatMul.tile(x, k, w, out, m, n0, n1, m0, m1);
            } else {
                ScalarMatMul.tile(x, k, w, out, m, n0, n1, m0, m1);
            }
            float[] bias = biases[g];
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
