package io.vlsuite.preprocess.problem;

import java.time.Duration;
import java.util.List;

/**
 * A request the API refuses, answered as RFC 9457 problem+json with a stable {@code code}.
 *
 * @see ProblemResponses
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Duration retryAfter;
    private final List<FieldError> errors;
    private final String jobId;

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, null, List.of(), null);
    }

    public ApiException(int status, String code, String detail, Duration retryAfter, List<FieldError> errors,
                        String jobId) {
        super(detail);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
        this.errors = List.copyOf(errors);
        this.jobId = jobId;
    }

    public static ApiException invalid(String detail, List<FieldError> errors) {
        return new ApiException(400, ErrorCodes.INVALID_REQUEST, detail, null, errors, null);
    }

    public static ApiException jobNotFound(String id) {
        return new ApiException(404, ErrorCodes.JOB_NOT_FOUND, "no job " + id);
    }

    public static ApiException unavailable(String code, String detail, Duration retryAfter) {
        return new ApiException(503, code, detail, retryAfter, List.of(), null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public String jobId() {
        return jobId;
    }

    /** One thing wrong with one field: a JSON pointer-ish path ({@code messages[0].content[1].image_url}) and why. */
    public record FieldError(String field, String message) {
    }
}
