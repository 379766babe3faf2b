package io.vlsuite.qwen2vl.engine;

/**
 * Receives a request's events on the engine thread, in order. It must return quickly and never block: every
 * request in the batch waits for it. Hand work to another thread (a queue, a reactive sink) instead.
 */
@FunctionalInterface
public interface EngineListener {

    EngineListener NONE = event -> {
    };

    void onEvent(EngineEvent event);
}
