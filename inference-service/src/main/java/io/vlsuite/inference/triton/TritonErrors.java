package io.vlsuite.inference.triton;

import io.grpc.Status;
import io.vlsuite.contracts.triton.ModelInferResponse;
import io.vlsuite.inference.engine.EngineFailure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Triton errors (gRPC statuses, in-band stream errors) as engine failures with stable codes. */
public final class TritonErrors {

    /** "code: message" as the Java engine server writes it; other servers' messages are free text. */
    private static final Pattern CODED = Pattern.compile("^([a-z][a-z0-9_]*): (.*)$", Pattern.DOTALL);

    private TritonErrors() {
    }

    /**
     * A failed RPC or broken stream. Transport-level trouble (server gone, shutting down, overloaded) is
     * retryable; a request Triton calls invalid or unsupported is not.
     */
    public static EngineFailure fromStatus(Status status) {
        String detail = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        return switch (status.getCode()) {
            case UNAVAILABLE, CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED ->
                    new EngineFailure("engine_unavailable", "Triton: " + detail, true);
            case NOT_FOUND -> new EngineFailure("triton_model_not_found", "Triton: " + detail, true);
            case INTERNAL -> new EngineFailure("triton_internal", "Triton: " + detail, true);
            case INVALID_ARGUMENT -> new EngineFailure("triton_invalid_argument", "Triton: " + detail, false);
            case UNIMPLEMENTED -> new EngineFailure("triton_unimplemented", "Triton: " + detail, false);
            default -> new EngineFailure("triton_error", "Triton: " + detail, false);
        };
    }

    /**
     * A {@code ModelStreamInferResponse.error_message}: the stream stays open, only this request failed.
     * Deterministic unless the server says otherwise through the {@code vlsuite_retryable} parameter.
     */
    public static EngineFailure fromStreamError(String message, ModelInferResponse response) {
        var retryable = response.getParametersMap().get(TensorNames.RETRYABLE);
        boolean retry = retryable != null && retryable.getBoolParam();
        Matcher m = CODED.matcher(message);
        if (m.matches()) {
            return new EngineFailure(m.group(1), m.group(2), retry);
        }
        return new EngineFailure("triton_request_failed", "Triton: " + message, retry);
    }
}
