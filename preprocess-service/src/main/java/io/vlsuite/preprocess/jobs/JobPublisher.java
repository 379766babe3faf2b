package io.vlsuite.preprocess.jobs;

import io.vlsuite.contracts.Topics;
import io.vlsuite.contracts.job.JobControl;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.config.PreprocessProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes job records and control commands, keyed by job id, and waits for the broker's acknowledgement
 * ({@code acks=all}, idempotent producer: see {@code preprocess-service.yml}). A job counts as accepted only once
 * this returns.
 */
@Component
public class JobPublisher {

    private final KafkaTemplate<String, String> kafka;
    private final Duration timeout;

    public JobPublisher(KafkaTemplate<String, String> kafka, PreprocessProperties properties) {
        this.kafka = kafka;
        this.timeout = properties.jobs().publishTimeout();
    }

    /** @throws PublishException when the broker did not acknowledge in time */
    public void publish(JobRecord job) {
        send(job.lane().topic(), job.jobId(), Json.write(Json.CONTRACTS, job));
    }

    public void cancel(String jobId, String tenant) {
        send(Topics.CONTROL, jobId, Json.write(Json.CONTRACTS, JobControl.cancel(jobId, tenant)));
    }

    private void send(String topic, String key, String value) {
        try {
            kafka.send(topic, key, value).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new PublishException("publishing to " + topic + " failed: " + e, e);
        }
    }

    /** The broker did not take the record. */
    public static final class PublishException extends RuntimeException {
        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
