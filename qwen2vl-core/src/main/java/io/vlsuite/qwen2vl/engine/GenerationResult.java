package io.vlsuite.qwen2vl.engine;

import io.vlsuite.qwen2vl.sampling.SampledToken;

import java.util.List;

/**
 * The whole outcome of one request.
 *
 * @param requestId       the request
 * @param text            all text streamed to the caller (stop string and special tokens excluded)
 * @param tokenIds        generated token ids, the terminating EOS/stop token included
 * @param finishReason    why it ended
 * @param stopString      the stop string that matched, else null
 * @param stopTokenId     the request's stop token id that ended it, else null (null for the model's EOS, as vLLM)
 * @param usage           token counts
 * @param timings         latencies
 * @param logprobs        one entry per generated token when logprobs were requested, else empty
 * @param numPreemptions  how many times the request lost its KV blocks and was recomputed
 * @param errorMessage    for {@link FinishReason#ERROR}, {@link FinishReason#CANCELLED} on shutdown; else null
 */
public record GenerationResult(
        String requestId,
        String text,
        int[] tokenIds,
        FinishReason finishReason,
        String stopString,
        Integer stopTokenId,
        Usage usage,
        RequestTimings timings,
        List<SampledToken> logprobs,
        int numPreemptions,
        String errorMessage) {
}
