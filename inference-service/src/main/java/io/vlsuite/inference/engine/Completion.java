package io.vlsuite.inference.engine;

import io.vlsuite.contracts.job.JobEvent;

import java.util.List;

/**
 * How a request ended (normally).
 *
 * @param finishReason why it ended
 * @param text         the whole output text (stop string and special tokens excluded)
 * @param tokenIds     every generated token id, the terminating EOS/stop token included
 * @param usage        prompt tokens (vision tokens included) and generated tokens
 * @param timings      latencies as the engine measured them
 */
public record Completion(FinishReason finishReason, String text, List<Integer> tokenIds, JobEvent.Usage usage,
                         EngineTimings timings) {

    public Completion {
        text = text == null ? "" : text;
        tokenIds = tokenIds == null ? List.of() : List.copyOf(tokenIds);
        timings = timings == null ? EngineTimings.NONE : timings;
    }
}
