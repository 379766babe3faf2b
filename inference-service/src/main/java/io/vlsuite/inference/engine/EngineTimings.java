package io.vlsuite.inference.engine;

import java.time.Duration;

/**
 * Latencies of one request as the engine measured them from its arrival; a field is null when unknown or when the
 * request never got that far.
 *
 * @param queueTime          arrival to first scheduling
 * @param timeToFirstToken   arrival to the first generated token
 * @param timePerOutputToken mean gap between generated tokens after the first
 * @param endToEnd           arrival to finish
 */
public record EngineTimings(Duration queueTime, Duration timeToFirstToken, Duration timePerOutputToken,
                            Duration endToEnd) {

    public static final EngineTimings NONE = new EngineTimings(null, null, null, null);
}
