package io.vlsuite.inference.engine;

import io.vlsuite.qwen2vl.Qwen2VlException;

/**
 * A request the engine (or the worker preparing it) cannot run.
 * {@link #retryable()} tells transient causes (a server unreachable) from deterministic ones (prompt too long,
 * unreadable media), which workers dead-letter instead of retrying.
 */
public class InferenceException extends Qwen2VlException {

    private final boolean retryable;

    public InferenceException(String code, String message, boolean retryable) {
        super(code, message);
        this.retryable = retryable;
    }

    public InferenceException(String code, String message, boolean retryable, Throwable cause) {
        super(code, message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
