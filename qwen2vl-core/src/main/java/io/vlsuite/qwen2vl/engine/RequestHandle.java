package io.vlsuite.qwen2vl.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted request: its final result, and a way to cancel it. Streaming goes to the {@link EngineListener}
 * given at submission.
 */
public final class RequestHandle {

    private final String requestId;
    private final CompletableFuture<GenerationResult> result;
    private final Runnable canceller;

    RequestHandle(String requestId, CompletableFuture<GenerationResult> result, Runnable canceller) {
        this.requestId = requestId;
        this.result = result;
        this.canceller = canceller;
    }

    public String requestId() {
        return requestId;
    }

    /**
     * Completes when the request finishes, whatever the reason (never exceptionally: errors are finish reason
     * {@code error}). Dependent actions run on the engine thread unless given an executor.
     */
    public CompletableFuture<GenerationResult> result() {
        return result.copy();
    }

    /** Asks the engine to stop the request; it finishes with {@code cancelled} within one step. */
    public void cancel() {
        canceller.run();
    }
}
