package io.vlsuite.inference.config;

import io.vlsuite.contracts.Topics;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the inference workers ({@code vlsuite.inference.*}).
 *
 * @param modelDir folder of the model (config.json, safetensors, tokenizer, chat template, preprocessor config);
 *                 every engine needs its tokenizer and chat template, the embedded one also its weights
 * @param engine   which engine runs the jobs
 * @param worker   the Kafka workers
 * @param embedded sizing of the embedded engine
 */
@Validated
@ConfigurationProperties("vlsuite.inference")
public record InferenceProperties(
        @NotBlank String modelDir,
        @NotNull EngineKind engine,
        @Valid @DefaultValue Worker worker,
        @Valid @DefaultValue Embedded embedded) {

    /**
     * The model folder as a file-system path. Kept as a string in the binding: Spring's String-to-Path conversion
     * goes through resource loading, which rejects relative paths such as {@code ../models/tiny-trained}.
     */
    public Path modelPath() {
        return Path.of(modelDir);
    }

    /** The engines behind the one engine interface. */
    public enum EngineKind {
        /** The pure-Java Qwen2-VL engine in this process. */
        EMBEDDED,
        /** Triton Inference Server with TensorRT-LLM, over gRPC. */
        TRITON
    }

    /**
     * The Kafka workers ({@code vlsuite.inference.worker.*}).
     *
     * @param enabled               run the workers (false: the service starts with its engine but consumes nothing)
     * @param workerId              this worker's name in events and logs, and the suffix of its control-topic
     *                              group; blank derives one from the host name and a random suffix
     * @param groupId               consumer group of the job topics (all workers of a pool share it)
     * @param topics                topic names
     * @param capacity              most jobs in flight; 0 takes the engine's capacity, a positive value may only
     *                              lower it
     * @param maxPollRecords        Kafka {@code max.poll.records}; 0 uses the in-flight window size
     * @param maxPollInterval       Kafka {@code max.poll.interval.ms}: the poll loop never blocks on jobs, so it can
     *                              stay small whatever the job length
     * @param pollTimeout           how long one poll waits for records (also the loop's tick for commits and
     *                              resuming partitions)
     * @param deltaInterval         deltas of one job are coalesced and published at most this often
     * @param shutdownTimeout       on shutdown, how long in-flight jobs may still finish before the rest is handed
     *                              back (not committed, so another worker redelivers it)
     * @param maxAttempts           attempts of a job that fails for a transient reason (storage or engine
     *                              unavailable) before it is dead-lettered
     * @param retryBackoff          pause between such attempts (doubled each time)
     * @param cancelMemory          how long a cancel command for a job this worker has not seen yet is remembered
     */
    public record Worker(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("") String workerId,
            @NotBlank @DefaultValue("vlsuite-inference") String groupId,
            @Valid @DefaultValue TopicNames topics,
            @Min(0) @DefaultValue("0") int capacity,
            @Min(0) @DefaultValue("0") int maxPollRecords,
            @NotNull @DefaultValue("5m") Duration maxPollInterval,
            @NotNull @DefaultValue("100ms") Duration pollTimeout,
            @NotNull @DefaultValue("50ms") Duration deltaInterval,
            @NotNull @DefaultValue("30s") Duration shutdownTimeout,
            @Min(1) @Max(100) @DefaultValue("3") int maxAttempts,
            @NotNull @DefaultValue("1s") Duration retryBackoff,
            @NotNull @DefaultValue("10m") Duration cancelMemory) {

        @AssertTrue(message = "poll-timeout, delta-interval and max-poll-interval must be positive, and poll-timeout "
                + "shorter than max-poll-interval")
        public boolean isTimingConsistent() {
            return pollTimeout.isPositive() && deltaInterval.isPositive() && maxPollInterval.isPositive()
                    && pollTimeout.compareTo(maxPollInterval) < 0 && !shutdownTimeout.isNegative()
                    && !retryBackoff.isNegative() && cancelMemory.isPositive();
        }
    }

    /**
     * Topic names ({@code vlsuite.inference.worker.topics.*}); the defaults are the suite's topics.
     *
     * @param interactive sync and streaming jobs (drained first)
     * @param batch       async jobs
     * @param events      where job events go
     * @param dlt         poison records and deterministic failures
     * @param control     cancel commands
     */
    public record TopicNames(
            @NotBlank @DefaultValue(Topics.JOBS_INTERACTIVE) String interactive,
            @NotBlank @DefaultValue(Topics.JOBS_BATCH) String batch,
            @NotBlank @DefaultValue(Topics.EVENTS) String events,
            @NotBlank @DefaultValue(Topics.JOBS_DLT) String dlt,
            @NotBlank @DefaultValue(Topics.CONTROL) String control) {

        @AssertTrue(message = "the interactive and batch topics must differ")
        public boolean isLanesDistinct() {
            return interactive == null || !interactive.equals(batch);
        }

        public Set<String> jobTopics() {
            return Set.of(interactive, batch);
        }
    }

    /**
     * The embedded engine ({@code vlsuite.inference.embedded.*}), after vLLM's cache and scheduler settings.
     *
     * @param maxNumSeqs          sequences decoded together; also the worker's in-flight window
     * @param maxNumBatchedTokens token budget of one step (decodes plus prefill chunks)
     * @param maxModelLen         longest prompt plus output
     * @param kvCacheSize         memory for the paged KV cache
     * @param blockSize           tokens per KV block
     */
    public record Embedded(
            @Min(1) @Max(1024) @DefaultValue("8") int maxNumSeqs,
            @Min(1) @DefaultValue("512") int maxNumBatchedTokens,
            @Min(2) @DefaultValue("32768") int maxModelLen,
            @NotNull @DefaultValue("256MB") DataSize kvCacheSize,
            @Min(1) @Max(1024) @DefaultValue("16") int blockSize) {
    }
}
