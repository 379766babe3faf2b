package io.vlsuite.qwen2vl.engine;

/**
 * A prompt made ready for the engine by the model: what {@link SequenceChunk}s are cut from.
 *
 * @param tokenIds            prompt ids with every vision pad token already expanded, length L
 * @param positions           M-RoPE positions {@code [3][L]}
 * @param ropeDelta           offset for generated tokens: the token at sequence index i (i &ge; L) has position
 *                            {@code i + ropeDelta} on all three axes
 * @param embeddingOverrides  {@code [L]} rows, non-null at vision pad tokens (the merged vision embeddings);
 *                            null for text-only prompts
 */
public record PreparedPrompt(int[] tokenIds, int[][] positions, int ropeDelta, float[][] embeddingOverrides) {

    public int length() {
        return tokenIds.length;
    }
}
