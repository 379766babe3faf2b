package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Decoding settings of a job, already validated by preprocess-service against the server's limits. Null means
 * "the model's default" (from {@code generation_config.json}). {@code skipSpecialTokens = false} keeps tokens such
 * as Qwen2-VL's grounding markers ({@code <|box_start|>...<|box_end|>}) in the output text.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sampling(
        Integer maxTokens,
        Double temperature,
        Double topP,
        Integer topK,
        Double minP,
        Long seed,
        List<String> stop,
        List<Integer> stopTokenIds,
        Double repetitionPenalty,
        Double presencePenalty,
        Double frequencyPenalty,
        Integer topLogprobs,
        Boolean logprobs,
        Boolean ignoreEos,
        Integer n,
        Boolean skipSpecialTokens) {

    /** Without {@code skipSpecialTokens} (the default: special tokens are left out of the text, as vLLM does). */
    public Sampling(Integer maxTokens, Double temperature, Double topP, Integer topK, Double minP, Long seed,
                    List<String> stop, List<Integer> stopTokenIds, Double repetitionPenalty, Double presencePenalty,
                    Double frequencyPenalty, Integer topLogprobs, Boolean logprobs, Boolean ignoreEos, Integer n) {
        this(maxTokens, temperature, topP, topK, minP, seed, stop, stopTokenIds, repetitionPenalty, presencePenalty,
                frequencyPenalty, topLogprobs, logprobs, ignoreEos, n, null);
    }
}
