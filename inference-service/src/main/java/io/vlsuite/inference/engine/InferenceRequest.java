package io.vlsuite.inference.engine;

import io.vlsuite.contracts.job.Lane;
import io.vlsuite.qwen2vl.image.VisionInput;
import io.vlsuite.qwen2vl.sampling.SamplingParams;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One prepared job, ready for any engine.
 *
 * @param requestId      unique among the engine's live requests (the job id)
 * @param promptText     the rendered chat template, one vision placeholder ({@code <|image_pad|>} /
 *                       {@code <|video_pad|>}) per medium, as the template wrote it (for engines that tokenize
 *                       themselves)
 * @param promptTokenIds the prompt ids with every vision pad expanded to {@code t*h*w/4} copies; its length is the
 *                       prompt token count (vision tokens included)
 * @param vision         the preprocessed images/videos in prompt order: normalised {@code [patches][1176]} pixel
 *                       values and {@code [t,h,w]} grids; empty for text-only prompts
 * @param sampling       decoding and stopping settings
 * @param lane           priority class: interactive requests are scheduled before batch ones
 * @param deadline       when to give up ({@link FinishReason#DEADLINE}); null for none
 */
public record InferenceRequest(
        String requestId,
        String promptText,
        int[] promptTokenIds,
        List<VisionInput> vision,
        SamplingParams sampling,
        Lane lane,
        Instant deadline) {

    public InferenceRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(promptTokenIds, "promptTokenIds");
        Objects.requireNonNull(sampling, "sampling");
        vision = vision == null ? List.of() : List.copyOf(vision);
        lane = lane == null ? Lane.INTERACTIVE : lane;
    }

    /** Prompt tokens, vision tokens included (what {@code usage.prompt_tokens} reports). */
    public int promptTokens() {
        return promptTokenIds.length;
    }
}
