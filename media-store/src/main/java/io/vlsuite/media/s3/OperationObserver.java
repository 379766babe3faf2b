package io.vlsuite.media.s3;

/** Receives the duration and outcome of every storage operation (metrics); must be cheap and never throw. */
@FunctionalInterface
public interface OperationObserver {

    OperationObserver NOOP = (operation, outcome, nanos) -> { };

    /**
     * @param operation e.g. {@code put_object}, {@code get_object}
     * @param outcome   {@code success} or the error code ({@code object_not_found}, {@code precondition_failed},
     *                  {@code storage_unavailable}, {@code storage_error})
     */
    void record(String operation, String outcome, long nanos);
}
