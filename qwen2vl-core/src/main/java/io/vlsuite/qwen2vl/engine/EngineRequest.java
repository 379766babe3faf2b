package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.sampling.SamplingParams;

import java.time.Instant;
import java.util.Objects;

/**
 * One generation request.
 *
 * @param requestId  caller's id, unique among live requests (used by {@code cancel})
 * @param prompt     the model-ready prompt
 * @param params     sampling and stopping
 * @param priority   scheduling class
 * @param deadline   when to give up (queued or running) with finish reason {@code deadline}; null for none
 */
public record EngineRequest(String requestId, PreparedPrompt prompt, SamplingParams params, Priority priority,
                            Instant deadline) {

    public EngineRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(params, "params");
        priority = priority == null ? Priority.INTERACTIVE : priority;
    }

    public EngineRequest(String requestId, PreparedPrompt prompt, SamplingParams params) {
        this(requestId, prompt, params, Priority.INTERACTIVE, null);
    }
}
