package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * The Kafka record that asks a worker to run a job (value on {@code vlsuite.jobs.*}, key = {@link #jobId}).
 * Everything a worker needs is here or in the media bucket; the job document in S3 holds the state.
 *
 * @param jobId     unique id, also the record key
 * @param tenant    the tenant the gateway authenticated
 * @param lane      which queue the job came from
 * @param model     the model id requested
 * @param messages  the conversation, media already stored
 * @param sampling  decoding settings
 * @param stream    whether the caller wants deltas (workers then publish {@code delta} events)
 * @param createdAt when preprocess-service accepted the job
 * @param deadline  after this instant the job is abandoned ({@code expired}); null for none
 * @param requestId the request id of the HTTP call that created the job, for logs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRecord(
        String jobId,
        String tenant,
        Lane lane,
        String model,
        List<ChatMessage> messages,
        Sampling sampling,
        boolean stream,
        Instant createdAt,
        Instant deadline,
        String requestId) {
}
