package io.vlsuite.qwen2vl.sampling;

import io.vlsuite.qwen2vl.Qwen2VlException;

import java.util.List;
import java.util.Set;

/**
 * How one request turns logits into tokens and when it stops; the fields and defaults follow vLLM's
 * {@code SamplingParams} (and so the OpenAI API), so services can copy request fields across one to one.
 *
 * <p>Invalid values raise {@link Qwen2VlException} with code {@value #INVALID_CODE}.
 *
 * @param temperature        0 means greedy (argmax of the penalised logits); default 1
 * @param topP               nucleus mass in (0, 1]; 1 disables
 * @param topK               keep the k most likely tokens; 0 or -1 disables (vLLM accepts both)
 * @param minP               drop tokens whose probability is below {@code minP * p_max}; 0 disables
 * @param repetitionPenalty  HF-style, over prompt and output tokens: positive logits divided, negative multiplied;
 *                           1 disables
 * @param presencePenalty    subtracted once from the logit of every token already in the output, in [-2, 2]
 * @param frequencyPenalty   subtracted per occurrence in the output, in [-2, 2]
 * @param seed               per-request RNG seed; null draws a fresh one. Same seed, same output, whatever else
 *                           runs in the batch
 * @param stop               stop strings; the matched string is not part of the output text
 * @param stopTokenIds       extra token ids that end generation (on top of the model's EOS ids)
 * @param maxTokens          most tokens to generate (vLLM's default is 16)
 * @param minTokens          EOS, stop token ids and stop strings are ignored until this many tokens exist
 * @param ignoreEos          keep going past the model's EOS ids (benchmarks)
 * @param logprobs           null: none; n &ge; 0: the sampled token's logprob plus the n most likely alternatives
 * @param skipSpecialTokens  leave special tokens out of the output text (default true; false to see grounding
 *                           markers such as {@code <|box_start|>})
 */
public record SamplingParams(
        double temperature,
        double topP,
        int topK,
        double minP,
        double repetitionPenalty,
        double presencePenalty,
        double frequencyPenalty,
        Long seed,
        List<String> stop,
        Set<Integer> stopTokenIds,
        int maxTokens,
        int minTokens,
        boolean ignoreEos,
        Integer logprobs,
        boolean skipSpecialTokens) {

    public static final String INVALID_CODE = "invalid_sampling_params";
    /** vLLM's cap on returned alternatives per token; larger values cost a sort of the vocabulary per token. */
    public static final int MAX_LOGPROBS = 20;
    public static final int DEFAULT_MAX_TOKENS = 16;
    /** Below this temperature vLLM samples greedily; dividing by it would overflow anyway. */
    public static final double GREEDY_EPSILON = 1e-5;

    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
        stopTokenIds = stopTokenIds == null ? Set.of() : Set.copyOf(stopTokenIds);
        check(Double.isFinite(temperature) && temperature >= 0, "temperature must be >= 0, got " + temperature);
        check(topP > 0 && topP <= 1, "top_p must be in (0, 1], got " + topP);
        check(topK >= -1, "top_k must be -1 or 0 (disabled) or >= 1, got " + topK);
        check(minP >= 0 && minP <= 1, "min_p must be in [0, 1], got " + minP);
        check(Double.isFinite(repetitionPenalty) && repetitionPenalty > 0,
                "repetition_penalty must be > 0, got " + repetitionPenalty);
        check(presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty must be in [-2, 2], got " + presencePenalty);
        check(frequencyPenalty >= -2 && frequencyPenalty <= 2,
                "frequency_penalty must be in [-2, 2], got " + frequencyPenalty);
        check(maxTokens >= 1, "max_tokens must be >= 1, got " + maxTokens);
        check(minTokens >= 0 && minTokens <= maxTokens,
                "min_tokens must be in [0, max_tokens], got " + minTokens + " with max_tokens " + maxTokens);
        check(logprobs == null || (logprobs >= 0 && logprobs <= MAX_LOGPROBS),
                "logprobs must be in [0, " + MAX_LOGPROBS + "], got " + logprobs);
        for (String s : stop) {
            check(s != null && !s.isEmpty(), "stop strings must not be empty");
        }
        for (Integer id : stopTokenIds) {
            check(id != null && id >= 0, "stop_token_ids must be >= 0, got " + id);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new Qwen2VlException(INVALID_CODE, message);
        }
    }

    /** Whether this request samples greedily (vLLM: temperature below {@value #GREEDY_EPSILON}). */
    public boolean greedy() {
        return temperature < GREEDY_EPSILON;
    }

    /** Whether top-k filtering is active. */
    public boolean topKEnabled() {
        return topK > 0;
    }

    /** Length of the longest stop string, 0 when there is none: how much text must be held back. */
    public int longestStopString() {
        return stop.stream().mapToInt(String::length).max().orElse(0);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Greedy decoding of up to {@code maxTokens} tokens. */
    public static SamplingParams greedy(int maxTokens) {
        return builder().temperature(0).maxTokens(maxTokens).build();
    }

    /** A copy to change a few fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.minP = minP;
        b.repetitionPenalty = repetitionPenalty;
        b.presencePenalty = presencePenalty;
        b.frequencyPenalty = frequencyPenalty;
        b.seed = seed;
        b.stop = stop;
        b.stopTokenIds = stopTokenIds;
        b.maxTokens = maxTokens;
        b.minTokens = minTokens;
        b.ignoreEos = ignoreEos;
        b.logprobs = logprobs;
        b.skipSpecialTokens = skipSpecialTokens;
        return b;
    }

    /** Builder whose unset fields take vLLM's defaults. */
    public static final class Builder {
        private double temperature = 1.0;
        private double topP = 1.0;
        private int topK = 0;
        private double minP = 0.0;
        private double repetitionPenalty = 1.0;
        private double presencePenalty = 0.0;
        private double frequencyPenalty = 0.0;
        private Long seed;
        private List<String> stop = List.of();
        private Set<Integer> stopTokenIds = Set.of();
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private int minTokens = 0;
        private boolean ignoreEos;
        private Integer logprobs;
        private boolean skipSpecialTokens = true;

        private Builder() {
        }

        public Builder temperature(double v) { temperature = v; return this; }
        public Builder topP(double v) { topP = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder minP(double v) { minP = v; return this; }
        public Builder repetitionPenalty(double v) { repetitionPenalty = v; return this; }
        public Builder presencePenalty(double v) { presencePenalty = v; return this; }
        public Builder frequencyPenalty(double v) { frequencyPenalty = v; return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder stop(List<String> v) { stop = v; return this; }
        public Builder stopTokenIds(Set<Integer> v) { stopTokenIds = v; return this; }
        public Builder maxTokens(int v) { maxTokens = v; return this; }
        public Builder minTokens(int v) { minTokens = v; return this; }
        public Builder ignoreEos(boolean v) { ignoreEos = v; return this; }
        public Builder logprobs(Integer v) { logprobs = v; return this; }
        public Builder skipSpecialTokens(boolean v) { skipSpecialTokens = v; return this; }

        public SamplingParams build() {
            return new SamplingParams(temperature, topP, topK, minP, repetitionPenalty, presencePenalty,
                    frequencyPenalty, seed, stop, stopTokenIds, maxTokens, minTokens, ignoreEos, logprobs,
                    skipSpecialTokens);
        }
    }
}
