package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * What happens to a job, published by workers on {@code vlsuite.events} (key = job id, so a job's events keep their
 * order). Exactly one terminal event ({@code completed}, {@code failed}, {@code cancelled}, {@code expired}) ends a job.
 *
 * @param jobId   the job
 * @param tenant  its tenant
 * @param type    {@code started}, {@code delta}, {@code completed}, {@code failed}, {@code cancelled}, {@code expired}
 * @param seq     per-job sequence number starting at 0; consumers drop duplicates and detect gaps with it
 * @param time    when the worker emitted it
 * @param choices for {@code delta}: the new text per choice; for {@code completed}: the full result per choice
 * @param usage   token counts (on {@code completed}, and on deltas as progress)
 * @param timings for terminal events
 * @param error   for {@code failed}
 * @param workerId which worker ran the job (for operators)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(
        String jobId,
        String tenant,
        String type,
        long seq,
        Instant time,
        List<Choice> choices,
        Usage usage,
        Timings timings,
        Error error,
        String workerId) {

    public static final String STARTED = "started";
    public static final String DELTA = "delta";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";

    @JsonIgnore
    public boolean isTerminal() {
        return COMPLETED.equals(type) || FAILED.equals(type) || CANCELLED.equals(type) || EXPIRED.equals(type);
    }

    /**
     * One choice's text: the delta since the previous event, or the whole text on {@code completed}.
     *
     * @param index        choice index (0 unless {@code n > 1})
     * @param text         text (delta or full)
     * @param tokenIds     the tokens behind {@code text}
     * @param logprobs     per token, when requested
     * @param finishReason {@code stop}, {@code length}, {@code cancelled}, ... on the last event of the choice
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Choice(int index, String text, List<Integer> tokenIds, List<TokenLogprob> logprobs, String finishReason) {
    }

    /** Log-probability of a chosen token and its top alternatives. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenLogprob(String token, int tokenId, double logprob, List<TopLogprob> top) {
    }

    /** One alternative token. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TopLogprob(String token, int tokenId, double logprob) {
    }

    /** Token counts; prompt tokens include vision tokens. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Usage(int promptTokens, int completionTokens) {
        public int totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    /** Latencies in milliseconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Timings(Long queueMs, Long timeToFirstTokenMs, Long generationMs, Long totalMs) {
    }

    /** Why a job failed: a stable code and a message for humans. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Error(String code, String message) {
    }
}
