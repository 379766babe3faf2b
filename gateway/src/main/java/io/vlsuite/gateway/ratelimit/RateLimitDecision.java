package io.vlsuite.gateway.ratelimit;

import io.vlsuite.gateway.problem.Problems;
import org.springframework.http.HttpHeaders;

import java.time.Duration;

/**
 * The outcome of taking one token from a tenant's bucket.
 *
 * @param allowed    whether the request may pass
 * @param limit      bucket size (the burst)
 * @param remaining  whole tokens left after this request
 * @param retryAfter when the next token will be there (zero when allowed)
 * @param resetAfter when the bucket will be full again
 */
public record RateLimitDecision(boolean allowed, int limit, long remaining, Duration retryAfter, Duration resetAfter) {

    public static final String LIMIT = "X-RateLimit-Limit";
    public static final String REMAINING = "X-RateLimit-Remaining";
    public static final String RESET = "X-RateLimit-Reset";

    /** From a bucket's fractional token count after the request. */
    static RateLimitDecision of(boolean allowed, double tokensAfter, double ratePerSecond, int capacity) {
        double missingForNext = Math.max(0, 1 - tokensAfter);
        double missingForFull = Math.max(0, capacity - tokensAfter);
        return new RateLimitDecision(allowed, capacity, (long) Math.floor(Math.max(0, tokensAfter)),
                allowed ? Duration.ZERO : seconds(missingForNext / ratePerSecond),
                seconds(missingForFull / ratePerSecond));
    }

    /** {@code X-RateLimit-*} headers; Reset is in seconds from now (as in the IETF RateLimit header draft). */
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(LIMIT, Integer.toString(limit));
        headers.set(REMAINING, Long.toString(remaining));
        headers.set(RESET, Long.toString((resetAfter.toMillis() + 999) / 1000));
        if (!allowed) {
            headers.set(HttpHeaders.RETRY_AFTER, Problems.seconds(retryAfter));
        }
        return headers;
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) Math.ceil(seconds * 1e9));
    }
}
