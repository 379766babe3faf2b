package io.vlsuite.preprocess.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Job ids: random for requests without an {@code Idempotency-Key}; derived from tenant and key otherwise, so a
 * retried request names the same job (and its document) without any lookup table.
 */
public final class JobIds {

    private JobIds() {
    }

    /** Ids of sync and streaming chat completions; also the response's {@code id}, as OpenAI's look. */
    public static String newCompletion() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }

    public static String newJob() {
        return "job-" + UUID.randomUUID().toString().replace("-", "");
    }

    public static String forIdempotencyKey(String tenant, String key) {
        return "job-" + sha256Hex(tenant + "\n" + key).substring(0, 40);
    }

    static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
