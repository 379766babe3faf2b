package io.vlsuite.media.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the S3 endpoint.
 *
 * @param endpoint        S3 API base URI (MinIO, AWS S3, or the embedded server), e.g. {@code http://minio:9000}
 * @param presignEndpoint endpoint written into presigned URLs when clients reach the storage under another name
 *                        (e.g. a public host); {@code null} = {@code endpoint}
 * @param presignMaxTtl   longest lifetime a presigned URL may get; longer requests are rejected
 */
public record StorageSettings(URI endpoint, String region, String accessKey, String secretKey, URI presignEndpoint,
                              Timeouts timeouts, RetryPolicy retry, Duration presignMaxTtl) {

    /** SigV4 cannot sign for longer than 7 days. */
    public static final Duration SIGV4_MAX_TTL = Duration.ofDays(7);

    public StorageSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("S3 endpoint must be an http(s) URI, got " + endpoint);
        }
        if (region == null || region.isBlank()) {
            region = "us-east-1";
        }
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalArgumentException("S3 access key and secret key must be set");
        }
        timeouts = timeouts == null ? Timeouts.DEFAULTS : timeouts;
        retry = retry == null ? RetryPolicy.DEFAULTS : retry;
        Objects.requireNonNull(presignMaxTtl, "presignMaxTtl");
        if (presignMaxTtl.isNegative() || presignMaxTtl.isZero() || presignMaxTtl.compareTo(SIGV4_MAX_TTL) > 0) {
            throw new IllegalArgumentException("presign max TTL must be within (0, 7 days], got " + presignMaxTtl);
        }
    }

    /** Settings with default timeouts, retries and a 15 minute presign cap. */
    public static StorageSettings of(URI endpoint, String accessKey, String secretKey) {
        return new StorageSettings(endpoint, "us-east-1", accessKey, secretKey, null, Timeouts.DEFAULTS,
                RetryPolicy.DEFAULTS, Duration.ofMinutes(15));
    }

    public StorageSettings withTimeouts(Timeouts t) {
        return new StorageSettings(endpoint, region, accessKey, secretKey, presignEndpoint, t, retry, presignMaxTtl);
    }

    public StorageSettings withRetry(RetryPolicy r) {
        return new StorageSettings(endpoint, region, accessKey, secretKey, presignEndpoint, timeouts, r, presignMaxTtl);
    }

    public StorageSettings withEndpoint(URI e) {
        return new StorageSettings(e, region, accessKey, secretKey, presignEndpoint, timeouts, retry, presignMaxTtl);
    }

    public StorageSettings withPresignMaxTtl(Duration max) {
        return new StorageSettings(endpoint, region, accessKey, secretKey, presignEndpoint, timeouts, retry, max);
    }

    /**
     * Longest time one storage call can take with these settings, retries and back-off included; callers can use
     * it to size their own deadlines.
     */
    public Duration worstCaseCallDuration() {
        return timeouts.call().multipliedBy(retry.maxAttempts()).plus(retry.maxTotalPause());
    }
}
