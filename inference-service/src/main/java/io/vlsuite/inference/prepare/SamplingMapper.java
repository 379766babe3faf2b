package io.vlsuite.inference.prepare;

import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.qwen2vl.Qwen2VlException;
import io.vlsuite.qwen2vl.sampling.SamplingParams;

import java.util.Set;

/** A job's {@link Sampling} (nulls = model defaults) to the engine's {@link SamplingParams}. */
public final class SamplingMapper {

    private final GenerationDefaults defaults;

    public SamplingMapper(GenerationDefaults defaults) {
        this.defaults = defaults;
    }

    /**
     * @param maxNewTokens how many tokens fit after the prompt: the default and the cap of {@code max_tokens}
     * @throws InferenceException {@code invalid_sampling_params} or {@code n_not_supported} (deterministic)
     */
    public SamplingParams map(Sampling s, int maxNewTokens) {
        Sampling in = s == null ? new Sampling(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null) : s;
        if (in.n() != null && in.n() != 1) {
            throw new InferenceException("n_not_supported", "workers generate one choice per job, got n=" + in.n(), false);
        }
        int maxTokens = in.maxTokens() == null ? maxNewTokens : Math.min(in.maxTokens(), maxNewTokens);
        Integer logprobs = Boolean.TRUE.equals(in.logprobs())
                ? (in.topLogprobs() == null ? 0 : in.topLogprobs()) : null;
        try {
            return SamplingParams.builder()
                    .temperature(or(in.temperature(), defaults.temperature()))
                    .topP(or(in.topP(), defaults.topP()))
                    .topK(in.topK() == null ? defaults.topK() : in.topK())
                    .minP(or(in.minP(), 0.0))
                    .repetitionPenalty(or(in.repetitionPenalty(), defaults.repetitionPenalty()))
                    .presencePenalty(or(in.presencePenalty(), 0.0))
                    .frequencyPenalty(or(in.frequencyPenalty(), 0.0))
                    .seed(in.seed())
                    .stop(in.stop())
                    .stopTokenIds(in.stopTokenIds() == null ? Set.of() : Set.copyOf(in.stopTokenIds()))
                    .maxTokens(Math.max(1, maxTokens))
                    .ignoreEos(Boolean.TRUE.equals(in.ignoreEos()))
                    .logprobs(logprobs)
                    .skipSpecialTokens(!Boolean.FALSE.equals(in.skipSpecialTokens()))
                    .build();
        } catch (Qwen2VlException e) {
            throw new InferenceException(e.code(), e.getMessage(), false, e);
        }
    }

    private static double or(Double value, double fallback) {
        return value == null ? fallback : value;
    }
}
