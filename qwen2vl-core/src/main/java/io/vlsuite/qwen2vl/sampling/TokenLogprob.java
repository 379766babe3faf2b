package io.vlsuite.qwen2vl.sampling;

/**
 * One token with its log-probability.
 *
 * @param tokenId  the token
 * @param logprob  natural-log probability under the model's raw distribution
 * @param rank     1 for the most likely token of the step
 */
public record TokenLogprob(int tokenId, float logprob, int rank) {
}
