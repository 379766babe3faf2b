package io.vlsuite.media;

/**
 * A storage operation failed. Each kind has a stable lower_snake_case {@link #code()} that services put into
 * their RFC 9457 problem+json answers, and an HTTP status they usually map it to.
 *
 * <p>The base class itself stands for failures that are neither "missing", "changed meanwhile" nor "storage
 * unreachable" (e.g. access denied because of wrong credentials): code {@code storage_error}.
 */
public class MediaStoreException extends RuntimeException {

    private final String code;

    public MediaStoreException(String message, Throwable cause) {
        this("storage_error", message, cause);
    }

    protected MediaStoreException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable machine-readable error code. */
    public String code() {
        return code;
    }

    /** HTTP status a service usually answers with when this error reaches its API. */
    public int httpStatus() {
        return 500;
    }

    /** The object (media, frame, manifest or job document) does not exist. */
    public static final class NotFound extends MediaStoreException {
        public NotFound(String message) {
            super("object_not_found", message, null);
        }

        @Override
        public int httpStatus() {
            return 404;
        }
    }

    /**
     * A conditional write lost: the object already exists (create) or changed since it was read (update).
     * Another writer won; re-read and decide again.
     */
    public static final class PreconditionFailed extends MediaStoreException {
        public PreconditionFailed(String message, Throwable cause) {
            super("precondition_failed", message, cause);
        }

        @Override
        public int httpStatus() {
            return 409;
        }
    }

    /**
     * The storage did not answer in time, refused the connection or answered 5xx, also after the configured
     * retries. Callers answer 503 and must not assume the write did or did not happen.
     */
    public static final class Unavailable extends MediaStoreException {
        public Unavailable(String message, Throwable cause) {
            super("storage_unavailable", message, cause);
        }

        @Override
        public int httpStatus() {
            return 503;
        }
    }

    /**
     * The storage does not implement this request (e.g. S3Proxy answers {@code NotImplemented} to bucket
     * lifecycle configuration). Not retried.
     */
    public static final class Unsupported extends MediaStoreException {
        public Unsupported(String message, Throwable cause) {
            super("storage_unsupported", message, cause);
        }

        @Override
        public int httpStatus() {
            return 501;
        }
    }
}
