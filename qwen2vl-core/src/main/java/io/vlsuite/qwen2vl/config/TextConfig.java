package io.vlsuite.qwen2vl.config;

/**
 * The language model's shape (a Qwen2 decoder with M-RoPE).
 *
 * @param mropeSection frequency pairs per axis (temporal, height, width); sums to {@code headDim / 2}
 */
public record TextConfig(
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        float rmsNormEps,
        double ropeTheta,
        int[] mropeSection) {

    public int headDim() {
        return hiddenSize / numHeads;
    }

    public int kvDim() {
        return numKvHeads * headDim();
    }
}
