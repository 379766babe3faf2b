package io.vlsuite.qwen2vl.model;

import io.vlsuite.qwen2vl.kernel.WeightMatrix;

import java.util.List;

/**
 * The vision tower's weights.
 *
 * @param patchEmbed the Conv3d kernel {@code [embed][3][2][14][14]} viewed as a {@code [embed][1176]} matrix:
 *                   with stride = kernel the convolution is one dot product per patch row
 */
record VisionWeights(
        WeightMatrix patchEmbed,
        List<VisionBlockWeights> blocks,
        float[] mergerNormWeight, float[] mergerNormBias,
        WeightMatrix mergerFc1, float[] mergerFc1Bias,
        WeightMatrix mergerFc2, float[] mergerFc2Bias) {
}
