package io.vlsuite.media.s3;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits of one HTTP attempt against the storage. {@code call} bounds the whole attempt (connect, write,
 * server time and read together), so a stalled server can never hold a caller longer than that per attempt.
 */
public record Timeouts(Duration connect, Duration read, Duration write, Duration call) {

    public static final Timeouts DEFAULTS =
            new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30));

    public Timeouts {
        requirePositive(connect, "connect");
        requirePositive(read, "read");
        requirePositive(write, "write");
        requirePositive(call, "call");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name + " timeout");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive (zero would mean no limit), got " + d);
        }
    }
}
