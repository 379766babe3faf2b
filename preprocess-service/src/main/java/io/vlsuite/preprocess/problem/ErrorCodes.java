package io.vlsuite.preprocess.problem;

/** The stable {@code code}s of this API's problem documents (media codes come from the media pipeline). */
public final class ErrorCodes {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String UNSUPPORTED_CONTENT_TYPE = "unsupported_content_type";
    public static final String REQUEST_TOO_LARGE = "request_too_large";
    public static final String MODEL_NOT_FOUND = "model_not_found";
    public static final String TOO_MANY_MEDIA = "too_many_media";
    public static final String INVALID_SAMPLING_PARAMS = "invalid_sampling_params";
    public static final String JOB_NOT_FOUND = "job_not_found";
    public static final String IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused";
    public static final String OVERLOADED = "overloaded";
    public static final String QUEUE_UNAVAILABLE = "queue_unavailable";
    public static final String STORAGE_UNAVAILABLE = "storage_unavailable";
    public static final String REQUEST_TIMEOUT = "request_timeout";
    public static final String WEBHOOK_URL_FORBIDDEN = "webhook_url_forbidden";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String NOT_ACCEPTABLE = "not_acceptable";
    public static final String JOB_FAILED = "job_failed";
    public static final String INTERNAL_ERROR = "internal_error";

    private ErrorCodes() {
    }
}
