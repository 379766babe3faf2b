package io.vlsuite.inference.engine;

/**
 * Receives one request's progress, in order: {@link #onStarted} once, {@link #onDelta} per released piece of
 * output, then exactly one of {@link #onCompleted} and {@link #onFailed}. Implementations return quickly and never
 * throw; engines may call them on their own threads.
 */
public interface InferenceListener {

    /** The engine accepted the request (it may still wait for a batch slot inside the engine). */
    void onStarted();

    /** New output since the previous delta. */
    void onDelta(TokenDelta delta);

    /** The request ended normally: stop, length, cancelled or deadline. */
    void onCompleted(Completion completion);

    /** The request ended with an error. */
    void onFailed(EngineFailure failure);
}
