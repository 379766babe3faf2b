package io.vlsuite.qwen2vl.sampling;

import java.util.List;

/**
 * The outcome of sampling one position.
 *
 * @param tokenId   the chosen token
 * @param logprob   the chosen token's log-probability, rank included; null when the request asked for no logprobs
 * @param top       the most likely tokens of the step, best first (empty unless logprobs were requested)
 */
public record SampledToken(int tokenId, TokenLogprob logprob, List<TokenLogprob> top) {

    public SampledToken {
        top = top == null ? List.of() : List.copyOf(top);
    }
}
