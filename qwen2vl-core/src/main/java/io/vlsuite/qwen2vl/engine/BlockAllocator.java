package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * A bounded pool of fixed-size KV blocks (vLLM's paged attention): a sequence holds a list of block ids, and
 * its token at index i lives in block {@code table[i / blockSize]}, slot {@code i % blockSize}. Fixed blocks
 * mean no fragmentation and freeing is O(blocks).
 *
 * <p>Blocks are reference-counted so that full blocks can be shared (prefix caching): a full block may be
 * {@link #register registered} under the {@link BlockKey} of its content, and a later sequence with the same
 * prefix {@link #acquire acquires} it instead of recomputing it. A registered block whose last user left stays
 * cached but free: it is handed out (and forgotten) only after every never-cached free block, oldest first.
 *
 * <p>Used only from the engine thread.
 */
public final class BlockAllocator {

    /** Content identity of a full block: a 128-bit chained hash of every token up to and including it. */
    public record BlockKey(long high, long low) {
    }

    private final int numBlocks;
    private final int blockSize;
    private final int[] refCount;
    private final BlockKey[] keyOf;
    private final Map<BlockKey, Integer> cached = new HashMap<>();
    /** Blocks nobody uses: uncached ones at the front (reused first), cached ones at the back in release order. */
    private final LinkedHashSet<Integer> free = new LinkedHashSet<>();

    public BlockAllocator(int numBlocks, int blockSize) {
        if (numBlocks < 1 || blockSize < 1) {
            throw new Qwen2VlException("invalid_engine_config",
                    "the KV pool needs at least one block of at least one token, got " + numBlocks + " x " + blockSize);
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.refCount = new int[numBlocks];
        this.keyOf = new BlockKey[numBlocks];
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

    /** Takes a free block (evicting its cached content, if any); callers check {@link #canAllocate} first. */
    public int allocate() {
        if (free.isEmpty()) {
            throw new IllegalStateException("KV block pool exhausted (the scheduler must check canAllocate first)");
        }
        int id = free.removeFirst();
        if (keyOf[id] != null) {
            cached.remove(keyOf[id]);
            keyOf[id] = null;
        }
        refCount[id] = 1;
        return id;
    }

    /** Drops one user of a block; with no user left it becomes free (and stays findable if registered). */
    public void release(int blockId) {
        if (blockId < 0 || blockId >= numBlocks || refCount[blockId] == 0) {
            throw new IllegalArgumentException("not a block in use: " + blockId);
        }
        if (--refCount[blockId] == 0) {
            // LIFO reuse of plain blocks keeps recently touched storage warm; cached ones wait at the back.
            if (keyOf[blockId] != null) {
                free.addLast(blockId);
            } else {
                free.addFirst(blockId);
            }
        }
    }

    /** The registered block holding this content, or -1. */
    public int lookup(BlockKey key) {
        Integer id = cached.get(key);
        return id == null ? -1 : id;
    }

    /** Whether a block is free (a cached block found by {@link #lookup} may be). */
    public boolean isFree(int blockId) {
        return refCount[blockId] == 0;
    }

    /** Adds a user to a block found by {@link #lookup}. */
    public void acquire(int blockId) {
        if (refCount[blockId]++ == 0) {
            free.remove(blockId);
        }
    }

    /**
     * Makes a full, computed block findable by its content. Ignored when another block already holds that
     * content (two sequences computed the same prefix at once): the first stays the shared one.
     */
    public void register(int blockId, BlockKey key) {
        if (keyOf[blockId] == null && !cached.containsKey(key)) {
            cached.put(key, blockId);
            keyOf[blockId] = key;
        }
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Blocks that can be allocated now (cached ones nobody uses included). */
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
