package io.vlsuite.qwen2vl.config;

/**
 * The vision tower's shape (ViT with 2D rotary embedding and a 2x2 patch merger).
 *
 * @param embedDim        width of the ViT blocks (1280 for the released models)
 * @param hiddenSize      width of the merger output = the language model's hidden size
 * @param mlpHiddenSize   width of each block's fc1 ({@code embedDim * mlp_ratio})
 */
public record VisionConfig(
        int depth,
        int embedDim,
        int hiddenSize,
        int numHeads,
        int mlpHiddenSize,
        int inChannels,
        int patchSize,
        int spatialMergeSize,
        int temporalPatchSize,
        double ropeTheta) {

    public int headDim() {
        return embedDim / numHeads;
    }

    /** Values per patch row of {@code pixel_values}: channels x temporal x patch x patch (1176). */
    public int patchInputSize() {
        return inChannels * temporalPatchSize * patchSize * patchSize;
    }

    /** Patches merged into one language-model token (4). */
    public int mergeUnit() {
        return spatialMergeSize * spatialMergeSize;
    }
}
