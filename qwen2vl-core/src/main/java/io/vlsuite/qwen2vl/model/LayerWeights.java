package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.kernel.WeightMatrix;

/** One Qwen2 decoder layer: attention with q/k/v biases, SwiGLU MLP, two RMSNorms. */
record LayerWeights(
        float[] inputNorm,
        WeightMatrix q, float[] qBias,
        WeightMatrix k, float[] kBias,
        WeightMatrix v, float[] vBias,
        WeightMatrix o,
        float[] postAttentionNorm,
        WeightMatrix gate,
        WeightMatrix up,
        WeightMatrix down) {
}
