package io.vlsuite.qwen2vl;

/**
 * Base of every error the core raises about its input (media, prompts, model folders).
 *
 * <p>The {@link #code()} is a stable, lower-snake-case identifier (for example {@code image_too_large}) that
 * services copy into the {@code code} member of their RFC 9457 problem documents, so clients can branch on it
 * without parsing messages. Messages are for humans and may change.
 */
public class Qwen2VlException extends RuntimeException {

    private final String code;

    public Qwen2VlException(String code, String message) {
        super(message);
        this.code = code;
    }

    public Qwen2VlException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable machine-readable error code. */
    public String code() {
        return code;
    }
}
