package io.vlsuite.inference.embedded;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.inference.config.InferenceProperties;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.EngineLoad;
import io.vlsuite.inference.engine.EngineTimings;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceHandle;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.engine.EngineConfig;
import io.vlsuite.qwen2vl.engine.EngineEvent;
import io.vlsuite.qwen2vl.engine.EngineListener;
import io.vlsuite.qwen2vl.engine.EngineRequest;
import io.vlsuite.qwen2vl.engine.EngineStats;
import io.vlsuite.qwen2vl.engine.GenerationResult;
import io.vlsuite.qwen2vl.engine.LLMEngine;
import io.vlsuite.qwen2vl.engine.PreparedPrompt;
import io.vlsuite.qwen2vl.engine.Priority;
import io.vlsuite.qwen2vl.model.Qwen2VlModel;
import io.vlsuite.qwen2vl.sampling.SampledToken;
import io.vlsuite.qwen2vl.sampling.TokenLogprob;
import io.vlsuite.qwen2vl.tokenizer.Qwen2Tokenizer;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The pure-Java Qwen2-VL engine in this process: the vision tower runs at submission (on the caller's thread), then
 * the request joins the qwen2vl-core {@link LLMEngine}, which batches all live requests step by step (continuous
 * batching, paged KV cache). Cancellation and deadlines are handled by the core between two steps.
 */
public final class EmbeddedEngine implements InferenceEngine {

    private final Qwen2VlModel model;
    private final Qwen2Tokenizer tokenizer;
    private final LLMEngine engine;
    private final int capacity;
    /** The vision tower is run one medium at a time: it parallelises internally, and that keeps memory bounded. */
    private final Object visionLock = new Object();
    private volatile boolean closed;

    public EmbeddedEngine(Qwen2VlModel model, Qwen2Tokenizer tokenizer, EngineConfig config) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.engine = new LLMEngine(model, tokenizer, config);
        this.capacity = config.maxNumSeqs();
    }

    /** Loads weights and tokenizer from a model folder; the stop ids come from its generation config. */
    public static EmbeddedEngine load(Path modelDir, InferenceProperties.Embedded settings) {
        Qwen2VlModel model = Qwen2VlModel.load(modelDir);
        Set<Integer> eos = Arrays.stream(model.config().eosTokenIds()).boxed().collect(Collectors.toSet());
        EngineConfig config = EngineConfig.builder()
                .maxNumSeqs(settings.maxNumSeqs())
                .maxNumBatchedTokens(settings.maxNumBatchedTokens())
                .maxModelLen(settings.maxModelLen())
                .kvCacheBytes(settings.kvCacheSize().toBytes())
                .blockSize(settings.blockSize())
                .eosTokenIds(eos)
                .build();
        return new EmbeddedEngine(model, Qwen2Tokenizer.load(modelDir), config);
    }

    @Override
    public InferenceHandle submit(InferenceRequest request, InferenceListener listener) {
        if (closed) {
            throw new InferenceException("engine_shut_down", "the embedded engine is shutting down", true);
        }
        PreparedPrompt prompt;
        try {
            synchronized (visionLock) {
                prompt = model.prepare(request.promptTokenIds(), request.vision());
            }
        } catch (Qwen2VlException e) {
            throw new InferenceException(e.code(), e.getMessage(), false, e);
        }
        var forwarding = new Forwarding(listener);
        Priority priority = request.lane() == Lane.BATCH ? Priority.BATCH : Priority.INTERACTIVE;
        try {
            var handle = engine.submit(new EngineRequest(request.requestId(), prompt, request.sampling(), priority,
                    request.deadline()), forwarding);
            forwarding.ensureStarted();
            return handle::cancel;
        } catch (Qwen2VlException e) {
            boolean retryable = "engine_shut_down".equals(e.code()) || "duplicate_request_id".equals(e.code());
            throw new InferenceException(e.code(), e.getMessage(), retryable, e);
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public boolean ready() {
        return !closed;
    }

    @Override
    public EngineLoad load() {
        EngineStats stats = engine.stats();
        return new EngineLoad(stats.numRunning(), stats.numWaiting(), stats.kvCacheUsage());
    }

    @Override
    public String name() {
        return "embedded";
    }

    /** Longest prompt plus output. */
    public int maxModelLen() {
        return engine.maxSequenceLength();
    }

    @Override
    public void close() {
        closed = true;
        engine.shutdown();
    }

    /**
     * Core events to the worker's listener. Synchronized because {@code onStarted} is called from the submitting
     * thread while the engine thread may already deliver the first token: started must come first.
     */
    private final class Forwarding implements EngineListener {
        private final InferenceListener listener;
        private boolean started;

        Forwarding(InferenceListener listener) {
            this.listener = listener;
        }

        synchronized void ensureStarted() {
            if (!started) {
                started = true;
                listener.onStarted();
            }
        }

        @Override
        public synchronized void onEvent(EngineEvent event) {
            ensureStarted();
            switch (event) {
                case EngineEvent.Delta d -> listener.onDelta(new TokenDelta(d.text(), List.of(d.token().tokenId()),
                        d.token().logprob() == null ? null : List.of(logprob(d.token()))));
                case EngineEvent.Finished f -> finish(f.result());
            }
        }

        private void finish(GenerationResult r) {
            FinishReason reason = switch (r.finishReason()) {
                case STOP -> FinishReason.STOP;
                case LENGTH -> FinishReason.LENGTH;
                case CANCELLED -> FinishReason.CANCELLED;
                case DEADLINE -> FinishReason.DEADLINE;
                case ERROR -> null;
            };
            if (reason == null) {
                // A failed step fails every request of the batch, not only the culprit: worth one more try.
                listener.onFailed(new EngineFailure("engine_error", r.errorMessage(), true));
                return;
            }
            var t = r.timings();
            listener.onCompleted(new Completion(reason, r.text(), Arrays.stream(r.tokenIds()).boxed().toList(),
                    new JobEvent.Usage(r.usage().promptTokens(), r.usage().completionTokens()),
                    t == null ? EngineTimings.NONE
                            : new EngineTimings(t.queueTime(), t.timeToFirstToken(), t.timePerOutputToken(), t.endToEnd())));
        }
    }

    private JobEvent.TokenLogprob logprob(SampledToken token) {
        List<JobEvent.TopLogprob> top = token.top().stream()
                .map(alt -> new JobEvent.TopLogprob(text(alt.tokenId()), alt.tokenId(), alt.logprob())).toList();
        TokenLogprob chosen = token.logprob();
        return new JobEvent.TokenLogprob(text(token.tokenId()), token.tokenId(), chosen.logprob(), top);
    }

    private String text(int tokenId) {
        return tokenizer.decode(new int[] {tokenId}, false);
    }
}
