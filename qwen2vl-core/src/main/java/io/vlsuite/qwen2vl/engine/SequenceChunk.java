package io.vlsuite.qwen2vl.engine;

/**
 * The tokens one sequence contributes to one engine step: a prefill chunk or a single decode token.
 *
 * @param sequenceId          the engine's id for the sequence (stable across steps)
 * @param tokenIds            the new tokens, length n
 * @param positions           M-RoPE positions of the new tokens, {@code [3][n]} (temporal, height, width)
 * @param embeddingOverrides  {@code [n]} rows: a non-null row replaces the token's embedding (vision
 *                            embeddings at {@code <|image_pad|>}/{@code <|video_pad|>} tokens); may be null
 *                            when no token of the chunk is overridden
 * @param cacheStart          number of this sequence's tokens already in the KV cache
 * @param blockTable          KV block ids of the sequence, covering at least {@code cacheStart + n} tokens
 * @param computeLogits       whether the logits of the chunk's last token are needed
 */
public record SequenceChunk(
        long sequenceId,
        int[] tokenIds,
        int[][] positions,
        float[][] embeddingOverrides,
        int cacheStart,
        int[] blockTable,
        boolean computeLogits) {

    public int length() {
        return tokenIds.length;
    }
}
