package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Decoding settings of a job, already validated by preprocess-service against the server's limits. Null means
 * "the model's default" (from {@code generation_config.json}).
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
        Integer n) {
}
