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
    Instant firstScheduledAt;
    Instant firstTokenAt;
    Instant lastTokenAt;

    private int[] tokens;
    private int length;
    private int[] blockTable = new int[8];
    private int numBlocks;

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

    /** Gives up all blocks (finish or preemption). */
    int[] releaseBlocks() {
        int[] released = blockTable();
        numBlocks = 0;
        numComputed = 0;
        return released;
    }
}
