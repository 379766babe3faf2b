package io.vlsuite.inference.engine;

/** A submitted request. */
@FunctionalInterface
public interface InferenceHandle {

    /**
     * Asks the engine to stop the request; it ends with {@link FinishReason#CANCELLED} within one decoding step and
     * its slot is free afterwards. Idempotent; does nothing once the request has finished.
     */
    void cancel();
}
