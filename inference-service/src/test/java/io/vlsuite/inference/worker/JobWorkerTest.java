package io.vlsuite.inference.worker;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.jobs.JobDocuments;
import io.vlsuite.inference.support.ScriptedEngine;
import io.vlsuite.inference.support.WorkerHarness;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.vlsuite.inference.support.WorkerHarness.textJob;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker against the real Kafka broker and S3 server, with a scripted engine whose prompts say how many tokens
 * to produce and how slowly (see {@link ScriptedEngine}).
 */
@ExtendWith(EmbeddedInfraExtension.class)
class JobWorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private WorkerHarness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void aBatchJobFlowsFromTopicToResultAndItsOffsetIsCommitted() {
        h = new WorkerHarness(2);
        var engine = new ScriptedEngine(2);
        h.startWorker(engine, h.settings(0, Duration.ofMinutes(1)), null);
        JobRecord job = textJob(Lane.BATCH, "tokens=4", false);
        h.createDocument(job);
        h.publish(job);

        JobEvent done = h.awaitTerminal(job.jobId(), WAIT);
        assertThat(done.type()).isEqualTo(JobEvent.COMPLETED);
        assertThat(done.choices()).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("w0 w1 w2 w3 ");
            assertThat(c.finishReason()).isEqualTo("length");
        });
        assertThat(done.usage().completionTokens()).isEqualTo(4);
        assertThat(done.usage().promptTokens()).isGreaterThan(5);
        assertThat(h.eventsOf(job.jobId())).extracting(JobEvent::type)
                .containsExactly(JobEvent.STARTED, JobEvent.COMPLETED); // no deltas: the caller did not ask to stream
        var doc = h.document(job);
        assertThat(doc.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(doc.result().choices().getFirst().text()).isEqualTo("w0 w1 w2 w3 ");
        WorkerHarness.await(WAIT, () -> h.committed(h.topics.batch()) == 1, "commit of the batch offset");
    }

    @Test
    void streamingDeltasArriveInOrderCoalescedAndAddUpToTheResult() {
        h = new WorkerHarness(2);
        var engine = new ScriptedEngine(2);
        h.startWorker(engine, h.settings(0, Duration.ofMinutes(1)), null);
        JobRecord job = textJob(Lane.INTERACTIVE, "tokens=40 delayMs=10", true);
        h.publish(job);

        JobEvent done = h.awaitTerminal(job.jobId(), WAIT);
        List<JobEvent> events = h.eventsOf(job.jobId());
        assertThat(events).extracting(JobEvent::seq).isSorted().doesNotHaveDuplicates();
        assertThat(events.getFirst().type()).isEqualTo(JobEvent.STARTED);
        assertThat(events.getLast()).isEqualTo(done);
        List<JobEvent> deltas = events.stream().filter(e -> e.type().equals(JobEvent.DELTA)).toList();
        String streamed = deltas.stream().map(e -> e.choices().getFirst().text()).collect(Collectors.joining());
        assertThat(streamed).isEqualTo(done.choices().getFirst().text());
        List<Integer> ids = deltas.stream().flatMap(e -> e.choices().getFirst().tokenIds().stream()).toList();
        assertThat(ids).isEqualTo(done.choices().getFirst().tokenIds()).hasSize(40);
        // 40 tokens over >= 400 ms with a 50 ms interval: coalesced into far fewer events than tokens.
        assertThat(deltas.size()).isBetween(2, 20);
        // The last delta is flushed right before the terminal event, whatever the interval; the others keep it.
        for (int i = 1; i < deltas.size() - 1; i++) {
            assertThat(Duration.between(deltas.get(i - 1).time(), deltas.get(i).time()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(45));
        }
    }

    @Test
    void aWorkerKilledMidJobLeadsToExactlyOneResultAfterRedelivery() {
        h = new WorkerHarness(2);
        var first = h.startWorker(new ScriptedEngine(1), h.settings(0, Duration.ofMinutes(1)), null);
        JobRecord job = textJob(Lane.BATCH, "tokens=20 delayMs=100", true);
        h.createDocument(job);
        h.publish(job);
        h.awaitEvent(job.jobId(), e -> e.type().equals(JobEvent.DELTA), WAIT);
        first.kill();
        assertThat(h.document(job).status()).isEqualTo(JobStatus.RUNNING);

        var second = new ScriptedEngine(1);
        h.startWorker(second, h.settings(0, Duration.ofMinutes(1)), null);
        JobEvent done = h.awaitTerminal(job.jobId(), WAIT);
        assertThat(done.type()).isEqualTo(JobEvent.COMPLETED);
        assertThat(done.choices().getFirst().tokenIds()).hasSize(20);
        assertThat(second.submitted()).containsExactly(job.jobId());
        WorkerHarness.await(WAIT, () -> h.committed(h.topics.batch()) == 1, "commit after redelivery");
        sleep(500);
        assertThat(h.terminalsOf(job.jobId())).hasSize(1);
        assertThat(h.eventsOf(job.jobId())).filteredOn(e -> e.type().equals(JobEvent.STARTED)).hasSize(2);
        assertThat(h.document(job).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aJobMuchLongerThanMaxPollIntervalCompletesWithoutARebalance() {
        // One partition: the two jobs are consumed in publication order, so the second waits for the long one.
        h = new WorkerHarness(1);
        var rebalances = new CountingListener();
        var engine = new ScriptedEngine(1);
        // max.poll.interval.ms 3 s; the job takes about 8 s while a second one waits for the only slot.
        h.startWorker(engine, h.settings(1, Duration.ofSeconds(3)), rebalances,
                Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000));
        int assignmentsAtStart = rebalances.assigned.get();
        JobRecord longJob = textJob(Lane.BATCH, "tokens=16 delayMs=500", false);
        JobRecord next = textJob(Lane.BATCH, "tokens=2", false);
        h.publish(longJob);
        h.publish(next);

        assertThat(h.awaitTerminal(longJob.jobId(), Duration.ofSeconds(40)).type()).isEqualTo(JobEvent.COMPLETED);
        assertThat(h.awaitTerminal(next.jobId(), WAIT).type()).isEqualTo(JobEvent.COMPLETED);
        assertThat(rebalances.revokedOrLost.get()).isZero();
        assertThat(rebalances.assigned.get()).isEqualTo(assignmentsAtStart);
        assertThat(engine.overCapacitySubmissions()).isZero();
        assertThat(engine.submitted()).containsExactly(longJob.jobId(), next.jobId());
        WorkerHarness.await(WAIT, () -> h.committed(h.topics.batch()) == 2, "both offsets committed");
    }

    @Test
    void poisonRecordsAndDeterministicFailuresGoToTheDeadLetterTopicAndEndFailed() {
        h = new WorkerHarness(2);
        var engine = new ScriptedEngine(2);
        h.startWorker(engine, h.settings(0, Duration.ofMinutes(1)), null);
        h.send(h.topics.batch(), "job-poison", "{not json".getBytes(StandardCharsets.UTF_8));
        JobRecord missingMedia = WorkerHarness.imageJob(Lane.BATCH, "media/" + "ab".repeat(32) + ".png");
        h.createDocument(missingMedia);
        h.publish(missingMedia);
        JobRecord engineFailure = textJob(Lane.INTERACTIVE, "fail=model_refused", false);
        h.publish(engineFailure);
        JobRecord fine = textJob(Lane.BATCH, "tokens=2", false);
        h.publish(fine);

        JobEvent poison = h.awaitTerminal("job-poison", WAIT);
        assertThat(poison.type()).isEqualTo(JobEvent.FAILED);
        assertThat(poison.error().code()).isEqualTo("invalid_job_record");
        JobEvent media = h.awaitTerminal(missingMedia.jobId(), WAIT);
        assertThat(media.error().code()).isEqualTo("media_not_found");
        assertThat(h.document(missingMedia).status()).isEqualTo(JobStatus.FAILED);
        assertThat(h.document(missingMedia).error().code()).isEqualTo("media_not_found");
        assertThat(h.awaitTerminal(engineFailure.jobId(), WAIT).error().code()).isEqualTo("model_refused");
        assertThat(h.awaitTerminal(fine.jobId(), WAIT).type()).isEqualTo(JobEvent.COMPLETED);

        WorkerHarness.await(WAIT, () -> h.deadLetters.size() == 3, "three dead letters");
        var poisonLetter = h.deadLetters.stream().filter(r -> "job-poison".equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(poisonLetter.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(header(poisonLetter, EventPublisher.H_CODE)).isEqualTo("invalid_job_record");
        assertThat(header(poisonLetter, EventPublisher.H_TOPIC)).isEqualTo(h.topics.batch());
        assertThat(h.deadLetters).extracting(r -> header(r, EventPublisher.H_CODE))
                .containsExactlyInAnyOrder("invalid_job_record", "media_not_found", "model_refused");
        // The engine never saw the media failure (caught while preparing) and saw the failing job once (no retry).
        assertThat(engine.submitted()).containsExactlyInAnyOrder(engineFailure.jobId(), fine.jobId());
        WorkerHarness.await(WAIT, () -> h.committed(h.topics.batch()) == 3, "all batch offsets committed");
    }

    @Test
    void storageDownForAJobFailsItInsteadOfBlockingItsPartition() {
        h = new WorkerHarness(1);
        var engine = new ScriptedEngine(1);
        JobRecord unlucky = textJob(Lane.BATCH, "tokens=2", false);
        JobRecord next = textJob(Lane.BATCH, "tokens=2", false);
        var flaky = new JobDocuments() {
            @Override
            public Optional<JobDocument> find(String tenant, String jobId) {
                if (jobId.equals(unlucky.jobId())) {
                    throw new InferenceException("storage_unavailable", "connection refused", true);
                }
                return h.documents.find(tenant, jobId);
            }

            @Override
            public Optional<JobDocument> update(String tenant, String jobId, UnaryOperator<JobDocument> change) {
                return h.documents.update(tenant, jobId, change);
            }
        };
        h.startWorker(engine, h.settings(1, Duration.ofMinutes(1)), null, Map.of(), flaky);
        h.publish(unlucky);
        h.publish(next);

        JobEvent failed = h.awaitTerminal(unlucky.jobId(), WAIT);
        assertThat(failed.type()).isEqualTo(JobEvent.FAILED);
        assertThat(failed.error().code()).isEqualTo("storage_unavailable");
        assertThat(h.awaitTerminal(next.jobId(), WAIT).type()).isEqualTo(JobEvent.COMPLETED);
        WorkerHarness.await(WAIT, () -> h.deadLetters.size() == 1, "dead letter");
        WorkerHarness.await(WAIT, () -> h.committed(h.topics.batch()) == 2, "both offsets committed");
        assertThat(engine.submitted()).containsExactly(next.jobId());
    }

    @Test
    void jobsStayInKafkaWhileTheEngineIsNotReady() {
        h = new WorkerHarness(1);
        var engine = new ScriptedEngine(2);
        engine.ready(false);
        var node = h.startWorker(engine, h.settings(0, Duration.ofMinutes(1)), null);
        JobRecord job = textJob(Lane.BATCH, "tokens=2", false);
        h.publish(job);
        sleep(1500);
        assertThat(engine.submitted()).isEmpty();
        assertThat(h.eventsOf(job.jobId())).isEmpty();
        assertThat(node.alive()).isTrue();

        engine.ready(true);
        assertThat(h.awaitTerminal(job.jobId(), WAIT).type()).isEqualTo(JobEvent.COMPLETED);
    }

    @Test
    void aCancelCommandEndsTheJobAndFreesItsSlotForTheNext() {
        h = new WorkerHarness(1);
        var engine = new ScriptedEngine(1);
        h.startWorker(engine, h.settings(1, Duration.ofMinutes(1)), null);
        JobRecord longJob = textJob(Lane.BATCH, "tokens=200 delayMs=100", true);
        JobRecord waiting = textJob(Lane.BATCH, "tokens=2", false);
        h.createDocument(longJob);
        h.publish(longJob);
        h.publish(waiting);
        h.awaitEvent(longJob.jobId(), e -> e.type().equals(JobEvent.DELTA), WAIT);
        Instant cancelledAt = Instant.now();
        h.cancel(longJob);

        JobEvent cancelled = h.awaitTerminal(longJob.jobId(), WAIT);
        assertThat(cancelled.type()).isEqualTo(JobEvent.CANCELLED);
        assertThat(cancelled.choices().getFirst().finishReason()).isEqualTo("cancelled");
        assertThat(h.document(longJob).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(engine.cancelled()).containsExactly(longJob.jobId());
        JobEvent next = h.awaitTerminal(waiting.jobId(), WAIT);
        assertThat(next.type()).isEqualTo(JobEvent.COMPLETED);
        // The long job would have run 20 s; the slot was free (and the next job done) within a few steps.
        assertThat(Duration.between(cancelledAt, next.time())).isLessThan(Duration.ofSeconds(5));
        assertThat(engine.overCapacitySubmissions()).isZero();
    }

    @Test
    void interactiveJobsStartBeforeBatchJobs() {
        h = new WorkerHarness(1);
        List<JobRecord> batch = new ArrayList<>();
        List<JobRecord> interactive = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            batch.add(textJob(Lane.BATCH, "tokens=3 delayMs=30", false));
            h.publish(batch.getLast());
        }
        for (int i = 0; i < 4; i++) {
            interactive.add(textJob(Lane.INTERACTIVE, "tokens=3 delayMs=30", false));
            h.publish(interactive.getLast());
        }
        var engine = new ScriptedEngine(1);
        h.startWorker(engine, h.settings(1, Duration.ofMinutes(1)), null);
        WorkerHarness.await(WAIT, () -> engine.submitted().size() == 8, "all jobs");
        h.awaitTerminal(batch.getLast().jobId(), WAIT);

        List<String> order = engine.submitted();
        int lastInteractive = interactive.stream().mapToInt(j -> order.indexOf(j.jobId())).max().orElseThrow();
        long batchBefore = batch.stream().filter(j -> order.indexOf(j.jobId()) < lastInteractive).count();
        // At most the very first pick may be a batch job (fetched before the interactive partition reported lag).
        assertThat(batchBefore).as("batch jobs started before the last interactive one, order %s", order)
                .isLessThanOrEqualTo(1);
        assertThat(engine.maxRunning()).isEqualTo(1);
    }

    @Test
    void aRedeliveredJobWhoseDocumentIsTerminalIsSkippedAndItsResultRepublished() {
        h = new WorkerHarness(2);
        var engine = new ScriptedEngine(1);
        JobRecord job = textJob(Lane.BATCH, "tokens=2", false);
        var stored = new JobEvent(job.jobId(), job.tenant(), JobEvent.COMPLETED, 3, Instant.now(),
                List.of(new JobEvent.Choice(0, "earlier answer", List.of(7), null, "stop")),
                new JobEvent.Usage(9, 1), null, null, "w-old");
        h.createDocument(job, JobStatus.COMPLETED, stored);
        h.publish(job);
        JobRecord interactiveNoDocument = textJob(Lane.INTERACTIVE, "tokens=1", false);
        h.publish(interactiveNoDocument);
        h.startWorker(engine, h.settings(0, Duration.ofMinutes(1)), null);

        JobEvent republished = h.awaitTerminal(job.jobId(), WAIT);
        assertThat(republished.choices().getFirst().text()).isEqualTo("earlier answer");
        assertThat(republished.workerId()).isEqualTo("w-old");
        assertThat(h.awaitTerminal(interactiveNoDocument.jobId(), WAIT).type()).isEqualTo(JobEvent.COMPLETED);
        assertThat(engine.submitted()).containsExactly(interactiveNoDocument.jobId());
        assertThat(h.eventsOf(job.jobId())).hasSize(1);
        WorkerHarness.await(WAIT, () -> h.committed(h.topics.batch()) == 1, "skipped offset committed");
    }

    @Test
    void aJobPastItsDeadlineEndsExpired() {
        h = new WorkerHarness(1);
        var engine = new ScriptedEngine(1);
        h.startWorker(engine, h.settings(0, Duration.ofMinutes(1)), null);
        JobRecord stale = WorkerHarness.job(Lane.BATCH, "tokens=2", false, Instant.now().minusSeconds(1));
        JobRecord tooSlow = WorkerHarness.job(Lane.BATCH, "tokens=100 delayMs=50", false,
                Instant.now().plusMillis(1500));
        h.createDocument(stale);
        h.publish(stale);
        h.publish(tooSlow);

        assertThat(h.awaitTerminal(stale.jobId(), WAIT).type()).isEqualTo(JobEvent.EXPIRED);
        assertThat(h.document(stale).status()).isEqualTo(JobStatus.EXPIRED);
        JobEvent expired = h.awaitTerminal(tooSlow.jobId(), WAIT);
        assertThat(expired.type()).isEqualTo(JobEvent.EXPIRED);
        assertThat(expired.error().code()).isEqualTo("deadline_exceeded");
        assertThat(engine.submitted()).containsExactly(tooSlow.jobId());
    }

    @Test
    void gracefulShutdownFinishesShortJobsAndHandsBackTheRestUncommitted() {
        h = new WorkerHarness(1);
        var engine = new ScriptedEngine(2);
        var settings = h.settings(2, Duration.ofMinutes(1));
        settings = new WorkerSettings(settings.workerId(), settings.groupId(), settings.topics(), 2, 0,
                settings.maxPollInterval(), settings.pollTimeout(), settings.deltaInterval(), Duration.ofSeconds(1),
                settings.maxAttempts(), settings.retryBackoff(), settings.cancelMemory());
        var node = h.startWorker(engine, settings, null);
        JobRecord shortJob = textJob(Lane.INTERACTIVE, "tokens=5 delayMs=100", false);
        JobRecord longJob = textJob(Lane.INTERACTIVE, "tokens=300 delayMs=100", false);
        h.publish(shortJob);
        h.publish(longJob);
        WorkerHarness.await(WAIT, () -> engine.submitted().size() == 2, "both running");
        node.close();

        assertThat(h.terminalsOf(shortJob.jobId())).extracting(JobEvent::type).containsExactly(JobEvent.COMPLETED);
        assertThat(h.terminalsOf(longJob.jobId())).isEmpty();
        assertThat(engine.cancelled()).contains(longJob.jobId());
        // The finished job (offset 0) is committed, the handed-back one (offset 1) is not: it will be redelivered.
        assertThat(h.committed(h.topics.interactive())).isEqualTo(1);

        var next = new ScriptedEngine(1);
        h.startWorker(next, h.settings(0, Duration.ofMinutes(1)), null);
        WorkerHarness.await(WAIT, () -> next.submitted().contains(longJob.jobId()), "redelivery of the long job");
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> r, String name) {
        var header = r.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class CountingListener implements ConsumerRebalanceListener {
        final AtomicInteger assigned = new AtomicInteger();
        final AtomicInteger revokedOrLost = new AtomicInteger();

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                revokedOrLost.incrementAndGet();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revokedOrLost.incrementAndGet();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.incrementAndGet();
        }
    }
}
