package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.tokenizer.TokenDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine as services use it: a step loop on its own thread around an {@link EngineCore}. Any thread may
 * {@link #submit}, {@link #cancel} or read {@link #stats()}; those calls only enqueue work that the loop picks
 * up between two steps, so a cancelled request is gone (its KV blocks free) before the next step runs.
 *
 * <pre>{@code
 * try (var engine = new LLMEngine(runner, tokenizer, EngineConfig.builder().build())) {
 *     var handle = engine.submit(new EngineRequest("r1", prompt, params), event -> { ... stream ... });
 *     GenerationResult result = handle.result().join();
 * }
 * }</pre>
 */
public final class LLMEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LLMEngine.class);
    /** How long an idle loop sleeps before looking for work again (it also wakes on every submission). */
    private static final long IDLE_POLL_MILLIS = 50;

    private final EngineCore core;
    private final InstantSource clock;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Set<String> liveRequestIds = ConcurrentHashMap.newKeySet();
    private final Object submitLock = new Object();
    private final Thread thread;
    private volatile boolean shuttingDown;
    private final int maxNumSeqs;
    private final int maxQueuedRequests;

    public LLMEngine(ModelRunner runner, TokenDecoder decoder, EngineConfig config) {
        this(runner, decoder, config, InstantSource.system());
    }

    public LLMEngine(ModelRunner runner, TokenDecoder decoder, EngineConfig config, InstantSource clock) {
        this.core = new EngineCore(runner, decoder, config, clock);
        this.clock = clock;
        this.maxNumSeqs = config.maxNumSeqs();
        this.maxQueuedRequests = config.maxQueuedRequests();
        this.thread = Thread.ofPlatform().name("qwen2vl-engine").daemon(true).start(this::loop);
    }

    /**
     * Queues a request. Checks it right away, so a request that can never run fails here, not later.
     *
     * @throws Qwen2VlException {@code prompt_too_long}, {@code empty_prompt}, {@code invalid_prompt},
     *                          {@code duplicate_request_id}, {@code engine_overloaded}, {@code engine_shut_down}
     */
    public RequestHandle submit(EngineRequest request, EngineListener listener) {
        core.validate(request);
        String id = request.requestId();
        Instant arrival = clock.instant();
        CompletableFuture<GenerationResult> result = new CompletableFuture<>();
        EngineListener forwarding = event -> {
            if (event instanceof EngineEvent.Finished) {
                liveRequestIds.remove(id);
            }
            listener.onEvent(event);
        };
        synchronized (submitLock) {
            if (shuttingDown) {
                throw new Qwen2VlException("engine_shut_down", "the engine is shutting down");
            }
            // Live ids count running and queued requests alike, so this bound is the engine's capacity
            // (maxNumSeqs running) plus the allowed queue.
            if (maxQueuedRequests > 0 && liveRequestIds.size() >= maxNumSeqs + maxQueuedRequests) {
                throw core.overloaded();
            }
            if (!liveRequestIds.add(id)) {
                throw new Qwen2VlException("duplicate_request_id", "request id " + id + " is in use");
            }
            inbox.add(() -> {
                try {
                    core.add(request, forwarding, arrival).thenAccept(result::complete);
                } catch (RuntimeException e) {
                    liveRequestIds.remove(id);
                    result.completeExceptionally(e);
                }
            });
        }
        return new RequestHandle(id, result, () -> cancel(id));
    }

    public RequestHandle submit(EngineRequest request) {
        return submit(request, EngineListener.NONE);
    }

    /**
     * Submits a request and returns its events as a {@link java.util.concurrent.Flow.Publisher}; cancelling the
     * subscription cancels the request (a client disconnect frees its blocks within one step).
     */
    public java.util.concurrent.Flow.Publisher<EngineEvent> stream(EngineRequest request) {
        EventStream stream = new EventStream();
        RequestHandle handle = submit(request, stream);
        stream.onCancel(handle::cancel);
        return stream;
    }

    /** Runs one request to the end (tests, CLI). */
    public GenerationResult generate(EngineRequest request) {
        return submit(request).result().join();
    }

    /** Runs requests together and returns their results in order. */
    public List<GenerationResult> generate(List<EngineRequest> requests) {
        List<RequestHandle> handles = requests.stream().map(this::submit).toList();
        return handles.stream().map(h -> h.result().join()).toList();
    }

    /** Cancels a request; it finishes with {@code cancelled} before the next step. Unknown ids are ignored. */
    public void cancel(String requestId) {
        inbox.add(() -> core.abort(requestId));
    }

    /** Live numbers for metrics; safe from any thread. */
    public EngineStats stats() {
        return core.stats();
    }

    /** Longest sequence (prompt plus output) this engine runs. */
    public int maxSequenceLength() {
        return core.maxSequenceLength();
    }

    /** Stops the loop; unfinished requests end with {@code cancelled}. Waits for the loop to exit. */
    public void shutdown() {
        synchronized (submitLock) {
            shuttingDown = true;
        }
        inbox.add(() -> {
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    private void loop() {
        while (true) {
            drainInbox(core.hasUnfinished() ? 0 : IDLE_POLL_MILLIS);
            if (shuttingDown) {
                break;
            }
            if (!core.hasUnfinished()) {
                continue;
            }
            try {
                if (core.step() == 0) {
                    // Nothing schedulable (cannot happen with a sane config); do not spin.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } catch (RuntimeException | Error e) {
                log.error("engine step failed unexpectedly; failing all requests", e);
                core.abortAll(FinishReason.ERROR, "engine failure: " + e);
            }
        }
        drainInbox(0);
        core.abortAll(FinishReason.CANCELLED, "engine shut down");
    }

    private void drainInbox(long waitMillis) {
        try {
            Runnable task = waitMillis > 0 ? inbox.poll(waitMillis, TimeUnit.MILLISECONDS) : inbox.poll();
            while (task != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("engine task failed", e);
                }
                task = inbox.poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shuttingDown = true;
        }
    }
}
