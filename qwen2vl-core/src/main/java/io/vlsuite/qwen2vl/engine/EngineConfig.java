package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.Set;

/**
 * Sizing and limits of one engine (vLLM's cache and scheduler configs in one record).
 *
 * @param blockSize            tokens per KV block
 * @param numKvBlocks          blocks in the pool; 0 derives it from {@code kvCacheBytes} and
 *                             {@link ModelRunner#kvBytesPerToken()}
 * @param kvCacheBytes         memory budget for the KV pool when {@code numKvBlocks} is 0
 * @param maxNumSeqs           most sequences running (holding KV blocks) at once
 * @param maxNumBatchedTokens  token budget of one step: decodes (1 token each) plus prefill chunks; long prompts
 *                             are prefilled across several steps so decoding never stalls behind them
 * @param maxModelLen          longest sequence (prompt plus output) the model accepts
 * @param eosTokenIds          ids that end generation unless {@code ignore_eos}
 * @param maxQueuedRequests    most requests waiting beyond the running ones before submissions are refused with
 *                             {@code engine_overloaded} (fail fast instead of an unbounded queue); 0 = unbounded
 * @param enablePrefixCaching  share the KV blocks of identical prompt prefixes (system prompt, the same image
 *                             asked about again) between requests instead of recomputing them (vLLM's automatic
 *                             prefix caching)
 */
public record EngineConfig(
        int blockSize,
        int numKvBlocks,
        long kvCacheBytes,
        int maxNumSeqs,
        int maxNumBatchedTokens,
        int maxModelLen,
        Set<Integer> eosTokenIds,
        int maxQueuedRequests,
        boolean enablePrefixCaching) {

    /** Qwen2-VL's {@code <|im_end|>} and {@code <|endoftext|>} (generation_config.json). */
    public static final Set<Integer> QWEN2_VL_EOS = Set.of(151645, 151643);

    public EngineConfig {
        eosTokenIds = eosTokenIds == null ? Set.of() : Set.copyOf(eosTokenIds);
        check(blockSize >= 1, "blockSize must be >= 1, got " + blockSize);
        check(numKvBlocks >= 0, "numKvBlocks must be >= 0, got " + numKvBlocks);
        check(numKvBlocks > 0 || kvCacheBytes > 0, "give numKvBlocks or a positive kvCacheBytes");
        check(maxNumSeqs >= 1, "maxNumSeqs must be >= 1, got " + maxNumSeqs);
        // Every running sequence needs one token of the step budget to decode, or some would starve (vLLM checks
        // the same).
        check(maxNumBatchedTokens >= maxNumSeqs, "maxNumBatchedTokens (" + maxNumBatchedTokens
                + ") must be >= maxNumSeqs (" + maxNumSeqs + ")");
        check(maxModelLen >= 2, "maxModelLen must be >= 2, got " + maxModelLen);
        check(maxQueuedRequests >= 0, "maxQueuedRequests must be >= 0, got " + maxQueuedRequests);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new Qwen2VlException("invalid_engine_config", message);
        }
    }

    /** Blocks of the pool for this runner: {@code numKvBlocks}, or as many as {@code kvCacheBytes} holds. */
    public int resolveNumBlocks(ModelRunner runner) {
        return numKvBlocks > 0 ? numKvBlocks
                : BlockAllocator.blocksForBudget(kvCacheBytes, runner.kvBytesPerToken(), blockSize);
    }

    /**
     * An engine for one request at a time, with just enough KV blocks for {@code maxLen} tokens: what the CLI and
     * test oracles use to run a single prompt exactly as the batched engine would.
     */
    public static EngineConfig singleSequence(int maxLen, int[] eosTokenIds) {
        int blockSize = 16;
        Set<Integer> eos = new java.util.HashSet<>();
        for (int id : eosTokenIds) {
            eos.add(id);
        }
        return builder()
                .blockSize(blockSize)
                .numKvBlocks((maxLen + blockSize - 1) / blockSize + 1)
                .maxNumSeqs(1)
                .maxNumBatchedTokens(Math.max(512, Math.min(maxLen, 8192)))
                .maxModelLen(maxLen)
                .eosTokenIds(eos)
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults sized for a CPU engine: 16-token blocks, 1 GiB of KV, 16 sequences, 512 tokens per step, prefix
     * caching on, unbounded queue.
     */
    public static final class Builder {
        private int blockSize = 16;
        private int numKvBlocks = 0;
        private long kvCacheBytes = 1L << 30;
        private int maxNumSeqs = 16;
        private int maxNumBatchedTokens = 512;
        private int maxModelLen = 32768;
        private Set<Integer> eosTokenIds = QWEN2_VL_EOS;
        private int maxQueuedRequests = 0;
        private boolean enablePrefixCaching = true;

        private Builder() {
        }

        public Builder blockSize(int v) { blockSize = v; return this; }
        public Builder numKvBlocks(int v) { numKvBlocks = v; return this; }
        public Builder kvCacheBytes(long v) { kvCacheBytes = v; return this; }
        public Builder maxNumSeqs(int v) { maxNumSeqs = v; return this; }
        public Builder maxNumBatchedTokens(int v) { maxNumBatchedTokens = v; return this; }
        public Builder maxModelLen(int v) { maxModelLen = v; return this; }
        public Builder eosTokenIds(Set<Integer> v) { eosTokenIds = v; return this; }
        public Builder maxQueuedRequests(int v) { maxQueuedRequests = v; return this; }
        public Builder enablePrefixCaching(boolean v) { enablePrefixCaching = v; return this; }

        public EngineConfig build() {
            return new EngineConfig(blockSize, numKvBlocks, kvCacheBytes, maxNumSeqs, maxNumBatchedTokens,
                    maxModelLen, eosTokenIds, maxQueuedRequests, enablePrefixCaching);
        }
    }
}
