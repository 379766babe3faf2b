package io.vlsuite.preprocess.media;

/**
 * A media part that cannot be taken in, with a stable {@code code} (for example {@code media_fetch_blocked},
 * {@code media_too_large}, {@code media_fetch_timeout}) and the HTTP status the API answers with.
 */
public class MediaIntakeException extends RuntimeException {

    private final String code;
    private final int status;

    public MediaIntakeException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public MediaIntakeException(String code, int status, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
