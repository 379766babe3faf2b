package io.vlsuite.preprocess.events;

import io.vlsuite.contracts.Topics;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.store.JobRepository;
import io.vlsuite.preprocess.webhook.WebhookDispatcher;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Keeps job documents in step with job events, and triggers webhooks, for jobs that workers leave to us.
 *
 * <p>All instances share one consumer group ({@code vlsuite.preprocess.jobs.state-group-id}), so each event is
 * handled by one instance. Updates are compare-and-set and never touch a terminal document, so an update a worker
 * made already, or a redelivered event, changes nothing (a lost precondition means "someone else did it").
 * Offsets are committed after the documents are written: a crash replays events, which is harmless.
 */
@Component
public class JobStateUpdater implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobStateUpdater.class);

    private final KafkaProperties kafka;
    private final JobRepository repository;
    private final WebhookDispatcher webhooks;
    private final Clock clock;
    private final String groupId;
    private volatile KafkaConsumer<String, String> consumer;
    private final PollingThread poller = new PollingThread("vlsuite-job-state");

    public JobStateUpdater(KafkaProperties kafka, JobRepository repository, WebhookDispatcher webhooks, Clock clock,
                           PreprocessProperties properties) {
        this.kafka = kafka;
        this.repository = repository;
        this.webhooks = webhooks;
        this.clock = clock;
        this.groupId = properties.jobs().stateGroupId();
    }

    @Override
    public void start() {
        Map<String, Object> props = kafka.buildConsumerProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A new group starts at the beginning: events published before it joined still reach the documents.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(Topics.EVENTS));
        poller.start(consumer, this::loop);
    }

    private void loop() {
        try {
            while (poller.running()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : records) {
                    handleQuietly(record.value());
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("the job state updater stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void handleQuietly(String value) {
        try {
            handle(Json.read(Json.CONTRACTS, value, JobEvent.class));
        } catch (RuntimeException e) {
            // One bad event or a storage hiccup must not stop the others; the document then stays behind and
            // reads fall back to expiry at the job's deadline.
            log.warn("could not apply a job event: {}", e.getMessage());
        }
    }

    void handle(JobEvent event) {
        if (event.jobId() == null || event.tenant() == null) {
            return;
        }
        if (JobEvent.STARTED.equals(event.type())) {
            repository.update(event.tenant(), event.jobId(),
                    doc -> doc.status() == JobStatus.QUEUED ? doc.moveTo(JobStatus.RUNNING, clock.instant()) : null);
            return;
        }
        if (!event.isTerminal()) {
            return;
        }
        JobStatus status = JobStatus.valueOf(event.type().toUpperCase(java.util.Locale.ROOT));
        var updated = repository.update(event.tenant(), event.jobId(), doc -> terminal(doc, status, event));
        updated.filter(doc -> doc.webhook() != null && doc.status().isTerminal())
                .ifPresent(doc -> webhooks.claimAndDeliver(doc.tenant(), doc.id()));
    }

    private JobDocument terminal(JobDocument doc, JobStatus status, JobEvent event) {
        if (doc.status().isTerminal()) {
            return null;   // a worker or another instance got there first
        }
        JobDocument next = doc.moveTo(status, clock.instant());
        if (JobEvent.COMPLETED.equals(event.type())) {
            next = next.withResult(event);
        }
        if (event.error() != null) {
            next = next.withError(event.error());
        }
        if (event.usage() != null) {
            next = next.withProgressTokens(event.usage().completionTokens());
        }
        return next;
    }

    @Override
    public void stop() {
        poller.stop();
    }

    @Override
    public boolean isRunning() {
        return poller.running();
    }
}
