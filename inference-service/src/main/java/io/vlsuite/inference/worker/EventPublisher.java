package io.vlsuite.inference.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.inference.jobs.JobJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes job events (key = job id, so one job's events keep their order) and dead letters. The producer must be
 * idempotent with {@code acks=all}: a retried send then neither duplicates nor reorders a job's events.
 */
public final class EventPublisher {

    /** Headers of a dead letter: why, and where the record came from. */
    public static final String H_CODE = "vlsuite-dlt-code";
    public static final String H_MESSAGE = "vlsuite-dlt-message";
    public static final String H_TOPIC = "vlsuite-dlt-original-topic";
    public static final String H_PARTITION = "vlsuite-dlt-original-partition";
    public static final String H_OFFSET = "vlsuite-dlt-original-offset";
    public static final String H_WORKER = "vlsuite-dlt-worker";

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final Producer<String, byte[]> producer;
    private final String eventsTopic;
    private final String dltTopic;
    private final Duration sendTimeout;

    public EventPublisher(Producer<String, byte[]> producer, String eventsTopic, String dltTopic, Duration sendTimeout) {
        this.producer = producer;
        this.eventsTopic = eventsTopic;
        this.dltTopic = dltTopic;
        this.sendTimeout = sendTimeout;
    }

    /** Sends without waiting (deltas: a later event of the same job is ordered after it anyway). */
    public Future<?> send(JobEvent event) {
        return producer.send(new ProducerRecord<>(eventsTopic, event.jobId(), json(event)), (meta, e) -> {
            if (e != null) {
                log.warn("event {} #{} of job {} was not written: {}", event.type(), event.seq(), event.jobId(), e.toString());
            }
        });
    }

    /**
     * Sends and waits until the broker acknowledged it (terminal events: the offset is committed only after this).
     *
     * @throws PublishException when the broker did not acknowledge in time
     */
    public void sendAndWait(JobEvent event) {
        await(producer.send(new ProducerRecord<>(eventsTopic, event.jobId(), json(event))), "event of job " + event.jobId());
    }

    /** Copies a record to the dead-letter topic, value bytes unchanged, with the reason in headers; waits. */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String code, String message, String workerId) {
        var headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(H_CODE, utf8(code));
        headers.add(H_MESSAGE, utf8(message == null ? "" : message));
        headers.add(H_TOPIC, utf8(record.topic()));
        headers.add(H_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(H_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(H_WORKER, utf8(workerId));
        await(producer.send(new ProducerRecord<>(dltTopic, null, record.key(), record.value(), headers)),
                "dead letter of " + record.topic() + "-" + record.partition() + "@" + record.offset());
    }

    private void await(Future<?> future, String what) {
        try {
            future.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new PublishException("could not write the " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted writing the " + what, e);
        }
    }

    private static byte[] json(JobEvent event) {
        try {
            return JobJson.MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise event of job " + event.jobId(), e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A send the broker did not acknowledge. */
    public static final class PublishException extends RuntimeException {
        PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
