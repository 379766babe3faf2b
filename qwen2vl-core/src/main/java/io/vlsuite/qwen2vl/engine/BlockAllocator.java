package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.ArrayDeque;

/**
 * A bounded pool of fixed-size KV blocks (vLLM's paged attention): a sequence holds a list of block ids, and
 * its token at index i lives in block {@code table[i / blockSize]}, slot {@code i % blockSize}. Fixed blocks
 * mean no fragmentation and freeing is O(blocks).
 *
 * <p>Used only from the engine thread.
 */
public final class BlockAllocator {

    private final int numBlocks;
    private final int blockSize;
    private final ArrayDeque<Integer> free;

    public BlockAllocator(int numBlocks, int blockSize) {
        if (numBlocks < 1 || blockSize < 1) {
            throw new Qwen2VlException("invalid_engine_config",
                    "the KV pool needs at least one block of at least one token, got " + numBlocks + " x " + blockSize);
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.free = new ArrayDeque<>(numBlocks);
        for (int i = 0; i < numBlocks; i++) {
            free.addLast(i);
        }
    }

    /**
     * How many blocks of {@code blockSize} tokens fit a memory budget.
     *
     * @throws Qwen2VlException {@code kv_cache_too_small} when not even one block fits
     */
    public static int blocksForBudget(long budgetBytes, long kvBytesPerToken, int blockSize) {
        if (kvBytesPerToken <= 0 || blockSize <= 0) {
            throw new Qwen2VlException("invalid_engine_config",
                    "kvBytesPerToken and blockSize must be positive, got " + kvBytesPerToken + ", " + blockSize);
        }
        long blocks = budgetBytes / (kvBytesPerToken * blockSize);
        if (blocks < 1) {
            throw new Qwen2VlException("kv_cache_too_small", "a KV budget of " + budgetBytes
                    + " bytes holds no block of " + blockSize + " tokens at " + kvBytesPerToken + " bytes per token");
        }
        return (int) Math.min(blocks, Integer.MAX_VALUE);
    }

    /** Blocks needed to hold {@code tokens} tokens. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    public boolean canAllocate(int blocks) {
        return blocks <= free.size();
    }

    /** Takes one block; callers check {@link #canAllocate} first. */
    public int allocate() {
        Integer id = free.pollFirst();
        if (id == null) {
            throw new IllegalStateException("KV block pool exhausted (the scheduler must check canAllocate first)");
        }
        return id;
    }

    public void free(int blockId) {
        if (blockId < 0 || blockId >= numBlocks) {
            throw new IllegalArgumentException("not a block of this pool: " + blockId);
        }
        // LIFO reuse keeps recently touched storage warm in CPU caches.
        free.addFirst(blockId);
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    public int numFree() {
        return free.size();
    }

    public int numUsed() {
        return numBlocks - free.size();
    }

    /** Fraction of blocks in use, vLLM's {@code kv_cache_usage_perc}. */
    public double usage() {
        return (double) numUsed() / numBlocks;
    }

    /** Tokens the whole pool can hold: no single sequence may grow past this. */
    public int capacityTokens() {
        long tokens = (long) numBlocks * blockSize;
        return (int) Math.min(tokens, Integer.MAX_VALUE);
    }
}
