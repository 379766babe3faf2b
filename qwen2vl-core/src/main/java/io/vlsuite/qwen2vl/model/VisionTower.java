package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.image.MediaKind;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.config.VisionConfig;
import io.vlsuite.qwen2vl.kernel.Activations;
import io.vlsuite.qwen2vl.kernel.Blas;
import io.vlsuite.qwen2vl.kernel.MatMul;
import io.vlsuite.qwen2vl.kernel.Norms;
import io.vlsuite.qwen2vl.kernel.Parallel;
import io.vlsuite.qwen2vl.kernel.Rope;

/**
 * The Qwen2-VL vision transformer: patch embedding, {@code depth} pre-norm blocks with 2D rotary attention
 * restricted to each temporal slice (one image, or one pair of video frames), then the 2x2 patch merger that
 * produces one language-model embedding per merged token. Everything in float32.
 */
final class VisionTower {

    private static final float LAYER_NORM_EPS = 1e-6f;

    /** Outputs of one image or video. */
    record Output(float[] patchEmbeddings, float[] merged, int mergedTokens) {
    }

    private final VisionConfig config;
    private final VisionWeights weights;
    private final float[] invFreq;

    VisionTower(VisionConfig config, VisionWeights weights) {
        this.config = config;
        this.weights = weights;
        // Rotary dim is head_dim/2: half of each head rotates with the patch row, half with the column.
        this.invFreq = Rope.inverseFrequencies(config.ropeTheta(), config.headDim() / 2);
    }

    Output encode(VisionInput input) {
        int n = input.patches();
        int e = config.embedDim();
        int in = config.patchInputSize();
        int merge = config.spatialMergeSize();
        if (input.gridThw()[1] % merge != 0 || input.gridThw()[2] % merge != 0) {
            throw new Qwen2VlException("invalid_vision_grid", "grid height and width must be multiples of "
                    + merge + ", got " + java.util.Arrays.toString(input.gridThw()));
        }
        if (input.pixelValues().length != (long) n * in) {
            throw new Qwen2VlException("invalid_pixel_values", "expected " + n + " x " + in + " pixel values for grid "
                    + input.gridThw()[0] + "x" + input.gridThw()[1] + "x" + input.gridThw()[2] + ", got "
                    + input.pixelValues().length);
        }

        // Patch embedding: Conv3d with stride = kernel is a matmul over the 1176-wide patch rows.
        float[] x = new float[n * e];
        MatMul.matmul(input.pixelValues(), n, weights.patchEmbed(), x);
        float[] patchEmbeddings = x.clone();

        int half = config.headDim() / 2;
        float[] cos = new float[n * half];
        float[] sin = new float[n * half];
        rotaryTables(input, cos, sin);

        float[] xb = new float[n * e];
        float[] qkv = new float[n * 3 * e];
        float[] att = new float[n * e];
        float[] proj = new float[n * e];
        float[] hidden = new float[n * config.mlpHiddenSize()];
        for (VisionBlockWeights b : weights.blocks()) {
            Norms.layerNorm(xb, x, b.norm1Weight(), b.norm1Bias(), n, e, LAYER_NORM_EPS);
            MatMul.matmul(xb, n, b.qkv(), b.qkvBias(), qkv);
            for (int t = 0; t < n; t++) {
                Rope.rotate(qkv, t * 3 * e, config.numHeads(), config.headDim(), cos, sin, t * half);     // q
                Rope.rotate(qkv, t * 3 * e + e, config.numHeads(), config.headDim(), cos, sin, t * half); // k
            }
            attention(qkv, att, n, input.gridThw()[1] * input.gridThw()[2]);
            MatMul.matmul(att, n, b.proj(), b.projBias(), proj);
            add(x, proj, n * e);

            Norms.layerNorm(xb, x, b.norm2Weight(), b.norm2Bias(), n, e, LAYER_NORM_EPS);
            MatMul.matmul(xb, n, b.fc1(), b.fc1Bias(), hidden);
            Activations.quickGelu(hidden, n * config.mlpHiddenSize());
            MatMul.matmul(hidden, n, b.fc2(), b.fc2Bias(), proj);
            add(x, proj, n * e);
        }

        // Patch merger: LayerNorm per patch, then each 4 consecutive rows (one 2x2 block) become one row.
        Norms.layerNorm(xb, x, weights.mergerNormWeight(), weights.mergerNormBias(), n, e, LAYER_NORM_EPS);
        int tokens = n / config.mergeUnit();
        int mergedWidth = e * config.mergeUnit();
        float[] mid = new float[tokens * mergedWidth];
        MatMul.matmul(xb, tokens, weights.mergerFc1(), weights.mergerFc1Bias(), mid);
        Activations.gelu(mid, mid.length);
        float[] merged = new float[tokens * config.hiddenSize()];
        MatMul.matmul(mid, tokens, weights.mergerFc2(), weights.mergerFc2Bias(), merged);
        return new Output(patchEmbeddings, merged, tokens);
    }

    /**
     * Angles per patch: pair j &lt; half/2 rotates with the patch row, the rest with the column. Rows follow the
     * processor's patch order: temporal slice, 2x2 block row, block column, row inside the block, column inside.
     */
    private void rotaryTables(VisionInput input, float[] cos, float[] sin) {
        int merge = config.spatialMergeSize();
        int quarter = invFreq.length;
        int half = 2 * quarter;
        int p = 0;
        for (int t = 0; t < input.gridThw()[0]; t++) {
            for (int bh = 0; bh < input.gridThw()[1] / merge; bh++) {
                for (int bw = 0; bw < input.gridThw()[2] / merge; bw++) {
                    for (int mh = 0; mh < merge; mh++) {
                        for (int mw = 0; mw < merge; mw++) {
                            float row = bh * merge + mh;
                            float col = bw * merge + mw;
                            for (int j = 0; j < quarter; j++) {
                                float a = row * invFreq[j];
                                float b = col * invFreq[j];
                                cos[p * half + j] = (float) Math.cos(a);
                                sin[p * half + j] = (float) Math.sin(a);
                                cos[p * half + quarter + j] = (float) Math.cos(b);
                                sin[p * half + quarter + j] = (float) Math.sin(b);
                            }
                            p++;
                        }
                    }
                }
            }
        }
    }

    /**
     * Bidirectional attention inside each slice of {@code sliceLength} patches; no attention across slices.
     *
     * <p>Keys of one (slice, head) are first transposed to {@code [headDim][sliceLength]}, so a query's scores are
     * {@code headDim} full-width axpy's over all keys instead of {@code sliceLength} 80-wide dot products that each
     * end in a horizontal lane reduction (which dominated the tower's time: 12% of the FMA peak before, see
     * docs/performance.md).
     */
    private void attention(float[] qkv, float[] out, int n, int sliceLength) {
        int e = config.embedDim();
        int heads = config.numHeads();
        int hd = config.headDim();
        float scale = (float) (1.0 / Math.sqrt(hd));
        int slices = n / sliceLength;
        java.util.Arrays.fill(out, 0, n * e, 0f);
        Parallel.forEach(slices * heads, (long) n * sliceLength * hd * 2, task -> {
            int slice = task / heads;
            int h = task % heads;
            int start = slice * sliceLength;
            float[] keysT = new float[hd * sliceLength];
            for (int j = 0; j < sliceLength; j++) {
                int kOff = (start + j) * 3 * e + e + h * hd;
                for (int d = 0; d < hd; d++) {
                    keysT[d * sliceLength + j] = qkv[kOff + d];
                }
            }
            float[] scores = new float[sliceLength];
            for (int i = start; i < start + sliceLength; i++) {
                int qOff = i * 3 * e + h * hd;
                java.util.Arrays.fill(scores, 0f);
                for (int d = 0; d < hd; d++) {
                    Blas.axpy(scores, 0, qkv[qOff + d] * scale, keysT, d * sliceLength, sliceLength);
                }
                Activations.softmax(scores, 0, sliceLength);
                int oOff = i * e + h * hd;
                for (int j = 0; j < sliceLength; j++) {
                    Blas.axpy(out, oOff, scores[j], qkv, (start + j) * 3 * e + 2 * e + h * hd, hd);
                }
            }
        });
    }

    private static void add(float[] x, float[] y, int length) {
        for (int i = 0; i < length; i++) {
            x[i] += y[i];
        }
    }
}
