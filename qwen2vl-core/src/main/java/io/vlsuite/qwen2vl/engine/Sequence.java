package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.sampling.SampledToken;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.sampling.TokenHistory;
import io.vlsuite.qwen2vl.tokenizer.TokenDecoder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's mutable state of one request: its tokens (prompt then output), how many of them are in the KV
 * cache, the blocks holding them, and the per-request sampling, detokenizing and stop-matching state.
 *
 * <p>Invariant while running: {@code numComputed < length()}; a step computes tokens
 * {@code numComputed .. numComputed + n - 1}, and when that reaches the last token the logits give the next one.
 * Preemption by recompute sets {@code numComputed} to 0; everything else (RNG included) is kept, so the
 * recomputed sequence continues exactly where it was.
 */
final class Sequence implements TokenHistory {

    enum Status { WAITING, RUNNING, FINISHED }

    final long id;
    final long arrivalOrder;
    final EngineRequest request;
    final EngineListener listener;
    final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    final Instant arrival;
    final int maxLength;

    final SplittableRandom rng;
    final IncrementalDetokenizer detokenizer;
    final StopStringMatcher stopMatcher;
    final StringBuilder text = new StringBuilder();
    final List<SampledToken> logprobs = new ArrayList<>();

    Status status = Status.WAITING;
    int numComputed;
    int numPreemptions;
    /** Leading blocks registered in (or taken from) the prefix cache. */
    int numRegisteredBlocks;
    /** Prompt tokens found in the prefix cache at first admission (OpenAI's {@code cached_tokens}). */
    int cachedPromptTokens = -1;
    Instant firstScheduledAt;
    Instant firstTokenAt;
    Instant lastTokenAt;

    private int[] tokens;
    private int length;
    private int[] blockTable = new int[8];
    private int numBlocks;
    /** Chained content hashes of the full blocks computed so far (two independent 64-bit lanes). */
    private long[] keyHigh = new long[8];
    private long[] keyLow = new long[8];
    private int numKeys;

    Sequence(long id, long arrivalOrder, EngineRequest request, EngineListener listener, Instant arrival,
             int maxLength, TokenDecoder decoder, long seed) {
        this.id = id;
        this.arrivalOrder = arrivalOrder;
        this.request = request;
        this.listener = listener;
        this.arrival = arrival;
        this.maxLength = maxLength;
        SamplingParams params = request.params();
        this.rng = new SplittableRandom(seed);
        this.detokenizer = new IncrementalDetokenizer(decoder, params.skipSpecialTokens());
        this.stopMatcher = new StopStringMatcher(params.stop());
        int[] prompt = request.prompt().tokenIds();
        this.tokens = Arrays.copyOf(prompt, prompt.length + Math.min(params.maxTokens(), 256));
        this.length = prompt.length;
    }

    String requestId() {
        return request.requestId();
    }

    SamplingParams params() {
        return request.params();
    }

    void append(int token) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[length++] = token;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int promptLength() {
        return request.prompt().length();
    }

    @Override
    public int tokenAt(int index) {
        return tokens[index];
    }

    int[] tokens(int from, int to) {
        return Arrays.copyOfRange(tokens, from, to);
    }

    int[] outputTokens() {
        return Arrays.copyOfRange(tokens, promptLength(), length);
    }

    int numBlocks() {
        return numBlocks;
    }

    void addBlock(int blockId) {
        if (numBlocks == blockTable.length) {
            blockTable = Arrays.copyOf(blockTable, numBlocks * 2);
        }
        blockTable[numBlocks++] = blockId;
    }

    int[] blockTable() {
        return Arrays.copyOf(blockTable, numBlocks);
    }

    int blockAt(int index) {
        return blockTable[index];
    }

    /** Gives up all blocks (finish or preemption). */
    int[] releaseBlocks() {
        int[] released = blockTable();
        numBlocks = 0;
        numComputed = 0;
        numRegisteredBlocks = 0;
        return released;
    }

    /**
     * Content key of full block {@code b}: a hash over every token up to the end of that block, of its id, its
     * three M-RoPE positions and its embedding override (so the same pad tokens with another image, or the same
     * ids laid out on another grid, do not match).
     */
    BlockAllocator.BlockKey blockKey(int b, int blockSize) {
        while (numKeys <= b) {
            if (numKeys == keyHigh.length) {
                keyHigh = Arrays.copyOf(keyHigh, numKeys * 2);
                keyLow = Arrays.copyOf(keyLow, numKeys * 2);
            }
            long high = numKeys == 0 ? 0x6A09E667F3BCC908L : keyHigh[numKeys - 1];
            long low = numKeys == 0 ? 0xBB67AE8584CAA73BL : keyLow[numKeys - 1];
            for (int i = numKeys * blockSize; i < (numKeys + 1) * blockSize; i++) {
                long token = tokenFingerprint(i);
                high = mix(high ^ token) * 0x9E3779B97F4A7C15L;
                low = mix(low + token * 0xC2B2AE3D27D4EB4FL) ^ (low >>> 29);
            }
            keyHigh[numKeys] = high;
            keyLow[numKeys] = low;
            numKeys++;
        }
        return new BlockAllocator.BlockKey(keyHigh[b], keyLow[b]);
    }

    private long tokenFingerprint(int index) {
        PreparedPrompt prompt = request.prompt();
        long f = tokens[index];
        if (index < prompt.length()) {
            f = f * 31 + prompt.positions()[0][index];
            f = f * 31 + prompt.positions()[1][index];
            f = f * 31 + prompt.positions()[2][index];
            float[] override = prompt.embeddingOverrides() == null ? null : prompt.embeddingOverrides()[index];
            if (override != null) {
                f = f * 31 + Arrays.hashCode(override) + 0x1000000000L;
            }
        } else {
            long p = index + prompt.ropeDelta();
            f = ((f * 31 + p) * 31 + p) * 31 + p;
        }
        return mix(f);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
