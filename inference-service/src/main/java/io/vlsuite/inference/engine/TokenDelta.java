package io.vlsuite.inference.engine;

import io.vlsuite.contracts.job.JobEvent;

import java.util.List;

/**
 * Output released since the previous delta.
 *
 * @param text     new text (may be empty: incomplete UTF-8 and possible stop-string prefixes are held back)
 * @param tokenIds the tokens generated since the previous delta
 * @param logprobs one entry per token when the request asked for logprobs, else null
 */
public record TokenDelta(String text, List<Integer> tokenIds, List<JobEvent.TokenLogprob> logprobs) {

    public TokenDelta {
        text = text == null ? "" : text;
        tokenIds = tokenIds == null ? List.of() : List.copyOf(tokenIds);
        logprobs = logprobs == null ? null : List.copyOf(logprobs);
    }
}
