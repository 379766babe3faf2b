package io.vlsuite.qwen2vl.engine;

import java.time.Duration;

/**
 * Latencies of one request, measured from its arrival at the engine (vLLM's split: queue time ends when the
 * request is first scheduled). A field is null when the request never got that far.
 *
 * @param queueTime           arrival to first scheduling
 * @param timeToFirstToken    arrival to the first generated token
 * @param timePerOutputToken  mean gap between generated tokens after the first
 * @param endToEnd            arrival to finish
 */
public record RequestTimings(Duration queueTime, Duration timeToFirstToken, Duration timePerOutputToken,
                             Duration endToEnd) {
}
