package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.kernel.WeightMatrix;

/** One ViT block: LayerNorm, fused qkv attention with output projection, LayerNorm, quick-GELU MLP. */
record VisionBlockWeights(
        float[] norm1Weight, float[] norm1Bias,
        WeightMatrix qkv, float[] qkvBias,
        WeightMatrix proj, float[] projBias,
        float[] norm2Weight, float[] norm2Bias,
        WeightMatrix fc1, float[] fc1Bias,
        WeightMatrix fc2, float[] fc2Bias) {
}
