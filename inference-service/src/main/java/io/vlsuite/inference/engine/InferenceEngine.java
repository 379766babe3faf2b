package io.vlsuite.inference.engine;

/**
 * What the Kafka workers run jobs on: the embedded Java Qwen2-VL engine, Triton TensorRT-LLM over gRPC, or a pool
 * of Java engine servers speaking Triton's protocol. Engine-neutral on purpose: a request carries both the rendered
 * prompt text and the token ids with vision pads expanded, plus the preprocessed pixels, so every engine takes
 * what it needs.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>{@link #submit} is called from worker threads (never the Kafka poll thread) and may block briefly (vision
 *       encoding, opening a stream). A request that can never run is rejected by throwing
 *       {@link InferenceException} (code such as {@code prompt_too_long}); everything after acceptance is reported
 *       to the listener.</li>
 *   <li>The listener receives, in order: {@link InferenceListener#onStarted} once, zero or more
 *       {@link InferenceListener#onDelta}, then exactly one of {@link InferenceListener#onCompleted} or
 *       {@link InferenceListener#onFailed}. Nothing follows the terminal call.</li>
 *   <li>{@link InferenceHandle#cancel()} ends the request within one decoding step with finish reason
 *       {@link FinishReason#CANCELLED} (reported through {@code onCompleted}), freeing its slot; cancelling a
 *       finished request does nothing.</li>
 *   <li>A request whose {@link InferenceRequest#deadline()} passes ends with {@link FinishReason#DEADLINE}.</li>
 *   <li>Callbacks may run on engine threads: they must not throw and must return quickly (workers hand work
 *       to their own threads).</li>
 * </ul>
 */
public interface InferenceEngine extends AutoCloseable {

    /**
     * Starts a request.
     *
     * @throws InferenceException when the request is rejected before it starts (then no listener call happens)
     */
    InferenceHandle submit(InferenceRequest request, InferenceListener listener);

    /**
     * Most requests this engine runs at once: the worker keeps at most this many jobs in flight and pauses its
     * Kafka partitions while they are all busy. Constant for the life of the engine.
     */
    int capacity();

    /** Whether the engine can take requests now (model loaded, server reachable). */
    boolean ready();

    /** Live load numbers for metrics; {@link EngineLoad#UNKNOWN} where the engine cannot tell. */
    default EngineLoad load() {
        return EngineLoad.UNKNOWN;
    }

    /** A short name for logs and metrics tags ({@code embedded}, {@code triton}). */
    String name();

    /** Stops the engine; unfinished requests end with {@link FinishReason#CANCELLED}. */
    @Override
    void close();
}
