package io.vlsuite.inference.engine;

import java.util.Objects;

/**
 * Why a request failed.
 *
 * @param code      stable lower_snake_case code ({@code engine_error}, {@code engine_unavailable}, ...)
 * @param message   for humans
 * @param retryable true when running the same request again may succeed (a server was unreachable, the engine
 *                  restarted); false when it fails deterministically (the worker then dead-letters the job)
 */
public record EngineFailure(String code, String message, boolean retryable) {

    public EngineFailure {
        Objects.requireNonNull(code, "code");
        message = message == null ? code : message;
    }
}
