package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.sampling.SampledToken;
import io.vlsuite.qwen2vl.sampling.Sampler;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.tokenizer.TokenDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The synchronous heart of the engine (vLLM's {@code EngineCore}): requests in, one {@link #step()} at a time,
 * events out. A step is: expire deadlines, schedule, build one {@link SequenceChunk} per scheduled sequence,
 * ONE {@link ModelRunner#forward} call for all of them, then sample, detokenize and check stops for every
 * sequence whose chunk reached its last token.
 *
 * <p>Not thread-safe: {@link LLMEngine} drives it from its own thread; tests drive it directly, step by step.
 */
public final class EngineCore {

    private static final Logger log = LoggerFactory.getLogger(EngineCore.class);

    private final ModelRunner runner;
    private final TokenDecoder decoder;
    private final EngineConfig config;
    private final InstantSource clock;
    private final BlockAllocator allocator;
    private final Scheduler scheduler;
    private final Sampler sampler;
    private final int maxSequenceLength;
    private final Map<String, Sequence> live = new LinkedHashMap<>();
    private final SplittableRandom seedSource = new SplittableRandom();

    private long nextSequenceId;
    private long promptTokensTotal;
    private long generationTokensTotal;
    private long stepsTotal;
    private final Map<FinishReason, Long> finishedTotal = new EnumMap<>(FinishReason.class);
    private volatile EngineStats stats;

    /** Sizes the KV pool and has the runner allocate it. */
    public EngineCore(ModelRunner runner, TokenDecoder decoder, EngineConfig config, InstantSource clock) {
        this.runner = runner;
        this.decoder = decoder;
        this.config = config;
        this.clock = clock;
        int numBlocks = config.resolveNumBlocks(runner);
        this.allocator = new BlockAllocator(numBlocks, config.blockSize());
        this.scheduler = new Scheduler(allocator, config.maxNumSeqs(), config.maxNumBatchedTokens(),
                config.enablePrefixCaching());
        this.sampler = new Sampler(runner.vocabSize(), config.eosTokenIds());
        // No sequence may outgrow the whole pool, or preempting everybody else would still not make room.
        this.maxSequenceLength = Math.min(config.maxModelLen(), allocator.capacityTokens());
        runner.allocateKvCache(numBlocks, config.blockSize());
        publishStats();
    }

    /** Longest sequence (prompt plus output) this engine runs: the model limit or the KV pool, whichever is less. */
    public int maxSequenceLength() {
        return maxSequenceLength;
    }

    /**
     * Checks a request against this engine's limits without queueing it; safe from any thread.
     *
     * @throws Qwen2VlException {@code empty_prompt}, {@code invalid_prompt}, {@code prompt_too_long}
     */
    public void validate(EngineRequest request) {
        PreparedPrompt prompt = request.prompt();
        int length = prompt.length();
        if (length == 0) {
            throw new Qwen2VlException("empty_prompt", "request " + request.requestId() + " has an empty prompt");
        }
        int[][] positions = prompt.positions();
        if (positions == null || positions.length != 3 || positions[0].length != length
                || positions[1].length != length || positions[2].length != length) {
            throw new Qwen2VlException("invalid_prompt", "positions must be [3][" + length + "]");
        }
        if (prompt.embeddingOverrides() != null && prompt.embeddingOverrides().length != length) {
            throw new Qwen2VlException("invalid_prompt", "embeddingOverrides must have " + length + " rows");
        }
        for (int id : prompt.tokenIds()) {
            if (id < 0 || id >= runner.vocabSize()) {
                throw new Qwen2VlException("invalid_prompt", "token id " + id + " is outside the vocabulary");
            }
        }
        if (length >= maxSequenceLength) {
            String limit = maxSequenceLength == config.maxModelLen()
                    ? "the model's maximum length of " + config.maxModelLen() + " tokens"
                    : "the KV cache pool, which holds " + allocator.capacityTokens() + " tokens";
            throw new Qwen2VlException("prompt_too_long", "prompt of " + length
                    + " tokens leaves no room to generate within " + limit);
        }
    }

    /**
     * Queues a request; events go to {@code listener} on this thread during {@link #step()}.
     *
     * @throws Qwen2VlException as {@link #validate}, {@code duplicate_request_id}, or {@code engine_overloaded} when
     *                          {@code maxQueuedRequests} requests already wait
     */
    public RequestHandle add(EngineRequest request, EngineListener listener) {
        if (config.maxQueuedRequests() > 0 && scheduler.numWaiting() >= config.maxQueuedRequests()) {
            throw overloaded();
        }
        CompletableFuture<GenerationResult> result = add(request, listener, clock.instant());
        return new RequestHandle(request.requestId(), result, () -> abort(request.requestId()));
    }

    CompletableFuture<GenerationResult> add(EngineRequest request, EngineListener listener, Instant arrival) {
        validate(request);
        if (live.containsKey(request.requestId())) {
            throw new Qwen2VlException("duplicate_request_id", "request id " + request.requestId() + " is in use");
        }
        SamplingParams params = request.params();
        long seed = params.seed() != null ? params.seed() : seedSource.nextLong();
        long id = nextSequenceId++;
        Sequence seq = new Sequence(id, id, request, listener, arrival, maxSequenceLength, decoder, seed);
        live.put(request.requestId(), seq);
        scheduler.add(seq);
        promptTokensTotal += seq.promptLength();
        publishStats();
        return seq.result;
    }

    Qwen2VlException overloaded() {
        return new Qwen2VlException("engine_overloaded", "the engine queue is full (" + config.maxQueuedRequests()
                + " waiting requests); retry later");
    }

    /** Cancels a request now: its blocks are free before the next step. Returns false if it is not live. */
    public boolean abort(String requestId) {
        Sequence seq = live.get(requestId);
        if (seq == null) {
            return false;
        }
        finish(seq, FinishReason.CANCELLED, null, null, null, clock.instant());
        publishStats();
        return true;
    }

    /** Ends every live request (shutdown). */
    public void abortAll(FinishReason reason, String message) {
        Instant now = clock.instant();
        for (Sequence seq : new ArrayList<>(live.values())) {
            finish(seq, reason, null, null, message, now);
        }
        publishStats();
    }

    /** Requests queued or running. */
    public int numUnfinished() {
        return live.size();
    }

    public boolean hasUnfinished() {
        return !live.isEmpty();
    }

    /**
     * Runs one iteration.
     *
     * @return the number of tokens that went through the model (0 when nothing could be scheduled)
     */
    public int step() {
        Instant now = clock.instant();
        expireDeadlines(now);
        Scheduler.Plan plan = scheduler.schedule();
        if (!plan.preempted().isEmpty()) {
            log.debug("preempted {} sequence(s) for lack of KV blocks", plan.preempted().size());
        }
        if (plan.isEmpty()) {
            publishStats();
            return 0;
        }
        List<SequenceChunk> chunks = new ArrayList<>(plan.chunks().size());
        for (Scheduler.ScheduledChunk scheduled : plan.chunks()) {
            Sequence seq = scheduled.sequence();
            if (seq.firstScheduledAt == null) {
                seq.firstScheduledAt = now;
            }
            chunks.add(toChunk(scheduled));
        }

        float[][] logits;
        try {
            logits = runner.forward(chunks);
            int expected = (int) plan.chunks().stream().filter(Scheduler.ScheduledChunk::completesPrompt).count();
            if (logits == null || logits.length != expected) {
                throw new IllegalStateException("the model returned " + (logits == null ? "no" : logits.length)
                        + " logits rows for " + expected + " chunks that asked for them");
            }
            for (float[] row : logits) {
                if (row == null || row.length != runner.vocabSize()) {
                    throw new IllegalStateException("the model returned a logits row of " + (row == null ? "no"
                            : row.length) + " entries; the vocabulary has " + runner.vocabSize());
                }
            }
        } catch (RuntimeException e) {
            log.error("model step failed; failing the {} request(s) in it", plan.chunks().size(), e);
            Instant failedAt = clock.instant();
            for (Scheduler.ScheduledChunk scheduled : plan.chunks()) {
                finish(scheduled.sequence(), FinishReason.ERROR, null, null, "model step failed: " + e, failedAt);
            }
            stepsTotal++;
            publishStats();
            return plan.numTokens();
        }

        stepsTotal++;
        Instant done = clock.instant();
        int row = 0;
        for (Scheduler.ScheduledChunk scheduled : plan.chunks()) {
            Sequence seq = scheduled.sequence();
            seq.numComputed += scheduled.numTokens();
            scheduler.onComputed(seq);
            if (scheduled.completesPrompt()) {
                float[] rowLogits = logits[row++];
                try {
                    onLogits(seq, rowLogits, done);
                } catch (RuntimeException e) {
                    log.error("sampling failed for request {}", seq.requestId(), e);
                    finish(seq, FinishReason.ERROR, null, null, "sampling failed: " + e, done);
                }
            }
        }
        publishStats();
        return plan.numTokens();
    }

    /** The latest snapshot; safe from any thread. */
    public EngineStats stats() {
        return stats;
    }

    private SequenceChunk toChunk(Scheduler.ScheduledChunk scheduled) {
        Sequence seq = scheduled.sequence();
        PreparedPrompt prompt = seq.request.prompt();
        int start = scheduled.start();
        int n = scheduled.numTokens();
        int promptLength = prompt.length();
        int[][] positions = new int[3][n];
        for (int j = 0; j < n; j++) {
            int index = start + j;
            for (int axis = 0; axis < 3; axis++) {
                // Generated tokens (also when recomputed after preemption) sit at index + ropeDelta on every axis.
                positions[axis][j] = index < promptLength ? prompt.positions()[axis][index] : index + prompt.ropeDelta();
            }
        }
        float[][] overrides = null;
        if (prompt.embeddingOverrides() != null && start < promptLength) {
            float[][] rows = new float[n][];
            boolean any = false;
            for (int j = 0; j < n && start + j < promptLength; j++) {
                rows[j] = prompt.embeddingOverrides()[start + j];
                any |= rows[j] != null;
            }
            overrides = any ? rows : null;
        }
        return new SequenceChunk(seq.id, seq.tokens(start, start + n), positions, overrides, start,
                seq.blockTable(), scheduled.completesPrompt());
    }

    /** Samples the next token of a sequence and handles everything that follows from it. */
    private void onLogits(Sequence seq, float[] logits, Instant now) {
        SamplingParams params = seq.params();
        SampledToken sampled = sampler.sample(logits, params, seq, seq.rng);
        int token = sampled.tokenId();
        seq.append(token);
        generationTokensTotal++;
        if (seq.firstTokenAt == null) {
            seq.firstTokenAt = now;
        }
        seq.lastTokenAt = now;
        if (params.logprobs() != null) {
            seq.logprobs.add(sampled);
        }

        int outputLength = seq.outputLength();
        boolean stopsActive = outputLength >= params.minTokens();
        boolean eos = !params.ignoreEos() && config.eosTokenIds().contains(token);
        boolean stopToken = params.stopTokenIds().contains(token);
        FinishReason reason = null;
        Integer stopTokenId = null;
        if (stopsActive && (eos || stopToken)) {
            reason = FinishReason.STOP;
            stopTokenId = eos ? null : token;
        } else if (outputLength >= params.maxTokens() || seq.length() >= seq.maxLength) {
            reason = FinishReason.LENGTH;
        }

        // The token that stops generation is not part of the text (vLLM).
        String text = reason == FinishReason.STOP ? "" : seq.detokenizer.append(token);
        if (reason != null) {
            text += seq.detokenizer.flush();
        }
        StopStringMatcher.Result matched = seq.stopMatcher.append(text, stopsActive);
        String delta = matched.emit();
        String stopString = matched.matchedStop();
        if (stopString != null) {
            reason = FinishReason.STOP;
            stopTokenId = null;
        } else if (reason != null) {
            delta += seq.stopMatcher.flush();
        }
        seq.text.append(delta);
        emit(seq, new EngineEvent.Delta(seq.requestId(), delta, sampled));
        if (reason != null) {
            finish(seq, reason, stopString, stopTokenId, null, now);
        }
    }

    private void expireDeadlines(Instant now) {
        List<Sequence> expired = new ArrayList<>();
        for (Sequence seq : live.values()) {
            Instant deadline = seq.request.deadline();
            if (deadline != null && !now.isBefore(deadline)) {
                expired.add(seq);
            }
        }
        for (Sequence seq : expired) {
            finish(seq, FinishReason.DEADLINE, null, null, null, now);
        }
    }

    private void finish(Sequence seq, FinishReason reason, String stopString, Integer stopTokenId, String error,
                        Instant now) {
        scheduler.remove(seq);
        live.remove(seq.requestId());
        finishedTotal.merge(reason, 1L, Long::sum);
        int completion = seq.outputLength();
        Duration tpot = completion > 1 && seq.firstTokenAt != null
                ? Duration.between(seq.firstTokenAt, seq.lastTokenAt).dividedBy(completion - 1) : null;
        RequestTimings timings = new RequestTimings(
                seq.firstScheduledAt == null ? null : Duration.between(seq.arrival, seq.firstScheduledAt),
                seq.firstTokenAt == null ? null : Duration.between(seq.arrival, seq.firstTokenAt),
                tpot,
                Duration.between(seq.arrival, now));
        GenerationResult result = new GenerationResult(seq.requestId(), seq.text.toString(), seq.outputTokens(),
                reason, stopString, stopTokenId,
                new Usage(seq.promptLength(), completion, Math.max(0, seq.cachedPromptTokens)), timings,
                List.copyOf(seq.logprobs), seq.numPreemptions, error);
        // Published before anyone hears of the end, so a caller woken by the result sees the freed blocks.
        publishStats();
        emit(seq, new EngineEvent.Finished(seq.requestId(), result));
        seq.result.complete(result);
    }

    private static void emit(Sequence seq, EngineEvent event) {
        try {
            seq.listener.onEvent(event);
        } catch (RuntimeException e) {
            // A broken listener must not take the batch down; the request still finishes normally.
            log.warn("listener of request {} threw", seq.requestId(), e);
        }
    }

    private void publishStats() {
        stats = new EngineStats(scheduler.numRunning(), scheduler.numWaiting(), allocator.usage(),
                allocator.numUsed(), allocator.numBlocks(), scheduler.preemptionsTotal(), promptTokensTotal,
                generationTokensTotal, stepsTotal, new HashMap<>(finishedTotal), scheduler.prefixQueriedTokens(),
                scheduler.prefixHitTokens());
    }
}
