package io.vlsuite.media.s3;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential back-off for transient storage failures (connection refused, timeouts, 5xx).
 *
 * @param maxAttempts    total attempts including the first, {@code 1} disables retries
 * @param initialBackoff pause before the first retry
 * @param maxBackoff     cap of any single pause
 * @param multiplier     growth of the pause per retry
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

    public static final RetryPolicy DEFAULTS =
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);

    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new IllegalArgumentException("retry max-attempts must be within 1..20, got " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("retry back-off durations must be zero or positive");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("retry max-backoff " + maxBackoff + " is below initial-backoff " + initialBackoff);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("retry multiplier must be >= 1, got " + multiplier);
        }
    }

    /** Upper bound of the pause before retry number {@code retry} (1-based). */
    public Duration maxPauseBefore(int retry) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, retry - 1);
        return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
    }

    /**
     * The pause actually taken: half fixed, half random ("equal jitter"), so that many clients failing together
     * do not retry in lock-step, while the pause still grows.
     */
    public Duration pauseBefore(int retry) {
        long max = maxPauseBefore(retry).toMillis();
        long half = max / 2;
        return Duration.ofMillis(half + (max - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(max - half + 1)));
    }

    /** Sum of the longest pauses over all retries: with the call timeout it bounds the time a call can take. */
    public Duration maxTotalPause() {
        Duration total = Duration.ZERO;
        for (int retry = 1; retry < maxAttempts; retry++) {
            total = total.plus(maxPauseBefore(retry));
        }
        return total;
    }
}
