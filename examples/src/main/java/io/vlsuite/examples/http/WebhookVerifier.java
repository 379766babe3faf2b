package io.vlsuite.examples.http;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks a Standard Webhooks signature: {@code webhook-signature} holds space-separated {@code v1,<base64>} entries,
 * one of which must be HMAC-SHA256 over {@code "{webhook-id}.{webhook-timestamp}.{raw body}"} keyed with the
 * base64-decoded part of the {@code whsec_...} secret; the timestamp must be within a tolerance of now, so that a
 * captured delivery cannot be replayed later.
 */
public final class WebhookVerifier {

    private static final String SECRET_PREFIX = "whsec_";

    private final byte[] key;
    private final Duration tolerance;

    /** @param secret {@code whsec_} followed by base64 (the prefix is optional) */
    public WebhookVerifier(String secret, Duration tolerance) {
        String base64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        this.key = Base64.getDecoder().decode(base64);
        this.tolerance = tolerance;
    }

    /** A verifier with the spec's recommended five-minute tolerance. */
    public WebhookVerifier(String secret) {
        this(secret, Duration.ofMinutes(5));
    }

    /**
     * @throws InvalidWebhookException when a header is missing, the timestamp is too old or too new, or no
     *                                 signature matches
     */
    public void verify(String webhookId, String timestamp, String signatureHeader, byte[] body, Instant now) {
        if (webhookId == null || timestamp == null || signatureHeader == null) {
            throw new InvalidWebhookException("missing webhook-id, webhook-timestamp or webhook-signature header");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new InvalidWebhookException("webhook-timestamp is not a number of seconds: " + timestamp);
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            throw new InvalidWebhookException("webhook-timestamp " + seconds + " is outside the tolerance of " + tolerance);
        }
        byte[] expected = sign(webhookId, timestamp.trim(), body);
        for (String entry : signatureHeader.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !"v1".equals(entry.substring(0, comma))) {
                continue;   // other schemes (v1a asymmetric) are not ours to check
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {   // constant time
                return;
            }
        }
        throw new InvalidWebhookException("no v1 signature matches");
    }

    /** The raw HMAC of a delivery (what {@code v1,} is followed by, before base64). */
    public byte[] sign(String webhookId, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** A delivery that must not be trusted. */
    public static final class InvalidWebhookException extends RuntimeException {
        public InvalidWebhookException(String message) {
            super(message);
        }
    }
}
