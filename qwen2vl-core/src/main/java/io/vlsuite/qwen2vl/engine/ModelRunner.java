package io.vlsuite.qwen2vl.engine;

import java.util.List;

/**
 * The model as the engine sees it: one batched forward step over chunks of many sequences.
 *
 * <p>The engine (scheduler, block allocator, sampler) owns <em>which</em> tokens run and <em>where</em> their
 * keys and values live (block ids); the runner owns the numbers: the KV storage itself and the math. This is
 * the seam between {@code engine} and {@code model}, as between vLLM's scheduler and its model runner.
 */
public interface ModelRunner {

    /** Size of the logits rows returned by {@link #forward}. */
    int vocabSize();

    /** Bytes of KV cache one token occupies across all layers; the engine sizes its block pool with it. */
    long kvBytesPerToken();

    /**
     * Allocates KV storage for {@code numBlocks} blocks of {@code blockSize} tokens each. Called once, before
     * the first {@link #forward}. Block ids in {@link SequenceChunk#blockTable()} index this storage.
     */
    void allocateKvCache(int numBlocks, int blockSize);

    /**
     * Runs one iteration. For each chunk, the keys and values of its tokens are written at cache positions
     * {@code cacheStart .. cacheStart + tokens - 1} of its block table, and its tokens attend to every cached
     * position before them. Returns one logits row per chunk whose {@code computeLogits} is set, in chunk
     * order (the logits of the chunk's last token).
     */
    float[][] forward(List<SequenceChunk> chunks);
}
