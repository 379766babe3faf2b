package io.vlsuite.inference.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.InferenceEngine;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.inference.jobs.JobDocuments;
import io.vlsuite.inference.jobs.JobJson;
import io.vlsuite.inference.metrics.InferenceMetrics;
import io.vlsuite.inference.prepare.JobPreparer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one job from its record to its terminal event, on a thread of its own (never the poll loop):
 * <ol>
 *   <li>the job document decides whether this is a redelivery of a finished job (then its terminal event is
 *       published again from the document and the job is done);</li>
 *   <li>document {@code queued → running}, {@code started} event;</li>
 *   <li>prepare (prompt, media) and run on the engine, deltas coalesced;</li>
 *   <li>document to the terminal state (never regressing one written by someone else: then the document wins),
 *       terminal event acknowledged by the broker, and only then {@link JobRun.Outcome#DONE} (offset may be
 *       committed).</li>
 * </ol>
 * Transient failures (storage or engine unavailable) are retried; deterministic ones go to the dead-letter topic and
 * end {@code failed}.
 */
final class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobPreparer preparer;
    private final InferenceEngine engine;
    private final JobDocuments documents;
    private final EventPublisher publisher;
    private final InferenceMetrics metrics;
    private final ScheduledExecutorService timer;
    private final WorkerSettings settings;
    private final InstantSource clock;

    JobRunner(JobPreparer preparer, InferenceEngine engine, JobDocuments documents, EventPublisher publisher,
              InferenceMetrics metrics, ScheduledExecutorService timer, WorkerSettings settings, InstantSource clock) {
        this.preparer = preparer;
        this.engine = engine;
        this.documents = documents;
        this.publisher = publisher;
        this.metrics = metrics;
        this.timer = timer;
        this.settings = settings;
        this.clock = clock;
    }

    JobRun.Outcome run(JobRun run) {
        try {
            return runJob(run);
        } catch (HandedBack e) {
            return JobRun.Outcome.HANDED_BACK;
        } catch (RuntimeException e) {
            // A bug or an unexpected library error: the job is not lost (not committed) but this worker cannot
            // finish it; hand it back so that a restart or another worker runs it again.
            log.error("job {} failed unexpectedly; handing it back", run.jobId(), e);
            return JobRun.Outcome.HANDED_BACK;
        }
    }

    private JobRun.Outcome runJob(JobRun run) {
        JobRecord job = run.job();
        var events = new JobEventStream(job.jobId(), job.tenant(), settings.workerId(), job.stream(), publisher, timer,
                settings.deltaInterval(), clock);
        Optional<JobDocument> doc;
        try {
            doc = retrying(run, () -> documents.find(job.tenant(), job.jobId()));
        } catch (InferenceException e) {
            // Storage down past the retries: fail the job rather than block its partition (reliability F7).
            return deadLetter(run, events, e.code(), "cannot read the job document: " + e.getMessage());
        }
        if (doc.isPresent() && doc.get().status().isTerminal()) {
            return republish(run, doc.get());
        }
        if (run.cancelRequested()) {
            return finish(run, events, Terminal.cancelled(null));
        }
        if (job.deadline() != null && !clock.instant().isBefore(job.deadline())) {
            return finish(run, events, Terminal.expired(null));
        }
        Instant now = clock.instant();
        try {
            doc = retrying(run, () -> documents.update(job.tenant(), job.jobId(),
                    d -> d.status() == JobStatus.QUEUED ? d.moveTo(JobStatus.RUNNING, now) : null));
        } catch (InferenceException e) {
            return deadLetter(run, events, e.code(), "cannot mark the job running: " + e.getMessage());
        }
        if (doc.isPresent() && doc.get().status().isTerminal()) {
            return republish(run, doc.get());
        }
        if (job.createdAt() != null) {
            metrics.queued(Duration.between(job.createdAt(), now));
        }
        publishing(run, events::started);
        for (int attempt = 1; ; attempt++) {
            checkHandedBack(run);
            if (run.cancelRequested()) {
                return finish(run, events, Terminal.cancelled(null));
            }
            try {
                InferenceRequest request = preparer.prepare(job);
                events.promptTokens(request.promptTokens());
                Object outcome = execute(run, request, events);
                if (outcome instanceof Completion completion) {
                    return finish(run, events, Terminal.of(completion, run));
                }
                EngineFailure failure = (EngineFailure) outcome;
                if (!failure.retryable() || attempt >= settings.maxAttempts()) {
                    return deadLetter(run, events, failure.code(), failure.message());
                }
                log.warn("job {} attempt {} failed ({}): {}; retrying", job.jobId(), attempt, failure.code(),
                        failure.message());
            } catch (InferenceException e) {
                if (!e.retryable() || attempt >= settings.maxAttempts()) {
                    return deadLetter(run, events, e.code(), e.getMessage());
                }
                log.warn("job {} attempt {} failed ({}): {}; retrying", job.jobId(), attempt, e.code(), e.getMessage());
            }
            pause(run, settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 10)));
        }
    }

    /** Submits to the engine and waits for its terminal callback; the deadline timer cancels a late run. */
    private Object execute(JobRun run, InferenceRequest request, JobEventStream events) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        var handle = engine.submit(request, new InferenceListener() {
            @Override
            public void onStarted() {
            }

            @Override
            public void onDelta(TokenDelta delta) {
                try {
                    events.append(delta);
                } catch (RuntimeException e) {
                    // Never into the engine thread: it serves every request of the batch.
                    log.warn("job {}: delta dropped: {}", run.jobId(), e.toString());
                }
            }

            @Override
            public void onCompleted(Completion completion) {
                outcome.complete(completion);
            }

            @Override
            public void onFailed(EngineFailure failure) {
                outcome.complete(failure);
            }
        });
        run.attach(handle);
        ScheduledFuture<?> watchdog = null;
        Instant deadline = run.job().deadline();
        if (deadline != null) {
            long millis = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
            watchdog = timer.schedule(run::expire, millis, TimeUnit.MILLISECONDS);
        }
        try {
            return outcome.join();
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    private JobRun.Outcome deadLetter(JobRun run, JobEventStream events, String code, String message) {
        checkHandedBack(run);
        log.warn("job {} failed deterministically ({}): {}; dead-lettering it", run.jobId(), code, message);
        publishing(run, () -> publisher.deadLetter(run.record(), code, message, settings.workerId()));
        metrics.deadLettered();
        return finish(run, events, Terminal.failed(code, message));
    }

    /** Document first (the source of truth for async jobs), then the terminal event, then the offset may go. */
    private JobRun.Outcome finish(JobRun run, JobEventStream events, Terminal terminal) {
        if (terminal == null || run.handedBack()) {
            return JobRun.Outcome.HANDED_BACK;
        }
        events.close();
        List<JobEvent.Choice> choices = terminal.choices(events.allLogprobs());
        JobEvent event = events.terminal(terminal.type(), choices, terminal.usage(), timings(run, terminal),
                terminal.error());
        JobRecord job = run.job();
        Instant now = clock.instant();
        Optional<JobDocument> stored;
        try {
            stored = retrying(run, () -> documents.update(job.tenant(), job.jobId(), d -> {
                if (!d.status().canMoveTo(terminal.status())) {
                    return null; // someone else ended it first; a terminal state never changes again
                }
                JobDocument next = d.moveTo(terminal.status(), now);
                return terminal.error() != null ? next.withError(terminal.error()) : next.withResult(event);
            }));
        } catch (InferenceException e) {
            // The event still goes out: it is durable, and preprocess-service applies terminal events to documents.
            log.error("job {}: cannot write the terminal job document ({}); publishing the event anyway",
                    run.jobId(), e.getMessage());
            stored = Optional.empty();
        }
        JobEvent published = stored.filter(d -> d.status() != terminal.status() && d.status().isTerminal())
                .map(d -> fromDocument(d, event.seq())).orElse(event);
        publishing(run, () -> publisher.sendAndWait(published));
        if (terminal.completion() != null) {
            Completion c = terminal.completion();
            metrics.requestFinished(c.finishReason().wireName(), c.usage() == null ? 0 : c.usage().promptTokens(),
                    c.usage() == null ? 0 : c.usage().completionTokens(), c.timings());
        }
        return JobRun.Outcome.DONE;
    }

    private JobRun.Outcome republish(JobRun run, JobDocument doc) {
        log.info("job {} is already {}; skipping the redelivered record", run.jobId(), doc.status().json());
        publishing(run, () -> publisher.sendAndWait(fromDocument(doc, 0)));
        metrics.skipped();
        return JobRun.Outcome.DONE;
    }

    /** The terminal event a document stands for (its stored result when it has one). */
    private JobEvent fromDocument(JobDocument doc, long seq) {
        if (doc.result() != null && doc.result().isTerminal() && doc.result().type().equals(doc.status().json())) {
            return doc.result();
        }
        return new JobEvent(doc.id(), doc.tenant(), doc.status().json(), seq, clock.instant(), null, null, null,
                doc.error(), settings.workerId());
    }

    private JobEvent.Timings timings(JobRun run, Terminal terminal) {
        Instant now = clock.instant();
        Long total = run.job().createdAt() == null ? null : Duration.between(run.job().createdAt(), now).toMillis();
        Completion c = terminal.completion();
        if (c == null) {
            return new JobEvent.Timings(null, null, null, total);
        }
        Duration ttft = c.timings().timeToFirstToken();
        Duration e2e = c.timings().endToEnd();
        Long queue = run.job().createdAt() == null ? null
                : Duration.between(run.job().createdAt(), run.fetchedAt()).toMillis()
                + (c.timings().queueTime() == null ? 0 : c.timings().queueTime().toMillis());
        return new JobEvent.Timings(queue, ttft == null ? null : ttft.toMillis(),
                e2e == null || ttft == null ? null : e2e.minus(ttft).toMillis(), total);
    }

    /** Publishes until the broker acknowledges; gives up only when the job is handed back. */
    private void publishing(JobRun run, Runnable send) {
        for (int attempt = 1; ; attempt++) {
            checkHandedBack(run);
            try {
                send.run();
                return;
            } catch (EventPublisher.PublishException e) {
                log.warn("job {}: {} (attempt {}); retrying", run.jobId(), e.getMessage(), attempt);
                pause(run, settings.retryBackoff());
            }
        }
    }

    /** Storage calls: retried on transient failures; the last failure is thrown. */
    private <T> T retrying(JobRun run, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            checkHandedBack(run);
            try {
                return call.get();
            } catch (InferenceException e) {
                if (!e.retryable() || attempt >= settings.maxAttempts()) {
                    throw e;
                }
                pause(run, settings.retryBackoff().multipliedBy(attempt));
            }
        }
    }

    private static void checkHandedBack(JobRun run) {
        if (run.handedBack()) {
            throw new HandedBack();
        }
    }

    /** Sleeps in small steps so that a hand-back interrupts the wait. */
    private static void pause(JobRun run, Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            checkHandedBack(run);
            try {
                Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HandedBack();
            }
        }
    }

    /**
     * A record that is not a job (undeserialisable bytes, missing id): dead-lettered as is; when the id and tenant
     * can still be read, the job ends {@code failed} too so nobody waits for it forever.
     */
    JobRun.Outcome poison(ConsumerRecord<String, byte[]> record, String reason, JsonNode tree) {
        String jobId = tree != null && tree.hasNonNull("jobId") ? tree.get("jobId").asText() : record.key();
        String tenant = tree != null && tree.hasNonNull("tenant") ? tree.get("tenant").asText() : null;
        log.warn("poison record {}-{}@{} (job {}): {}", record.topic(), record.partition(), record.offset(), jobId, reason);
        var error = new JobEvent.Error("invalid_job_record", reason);
        for (int attempt = 1; ; attempt++) {
            try {
                publisher.deadLetter(record, error.code(), reason, settings.workerId());
                break;
            } catch (EventPublisher.PublishException e) {
                if (attempt >= settings.maxAttempts()) {
                    log.error("cannot dead-letter poison record {}-{}@{}; leaving it uncommitted", record.topic(),
                            record.partition(), record.offset());
                    return JobRun.Outcome.HANDED_BACK;
                }
            }
        }
        metrics.deadLettered();
        if (jobId != null && tenant != null) {
            Instant now = clock.instant();
            try {
                documents.update(tenant, jobId, d -> d.status().canMoveTo(JobStatus.FAILED)
                        ? d.moveTo(JobStatus.FAILED, now).withError(error) : null);
            } catch (InferenceException e) {
                log.warn("cannot mark poison job {} failed: {}", jobId, e.getMessage());
            }
        }
        if (jobId != null) {
            try {
                publisher.sendAndWait(new JobEvent(jobId, tenant, JobEvent.FAILED, 0, clock.instant(), null, null, null,
                        error, settings.workerId()));
            } catch (EventPublisher.PublishException e) {
                log.warn("cannot publish the failure of poison job {}: {}", jobId, e.getMessage());
            }
        }
        return JobRun.Outcome.DONE;
    }

    static JsonNode tryTree(byte[] value) {
        try {
            return value == null ? null : JobJson.MAPPER.readTree(value);
        } catch (Exception e) {
            return null;
        }
    }

    /** Thrown to unwind a run that was handed back. */
    private static final class HandedBack extends RuntimeException {
        HandedBack() {
            super(null, null, false, false);
        }
    }

    /**
     * The terminal state a run reached.
     *
     * @param completion the engine's completion when it got that far
     */
    private record Terminal(String type, JobStatus status, Completion completion, JobEvent.Error error) {

        /** The state an engine completion means for this run; null when the run was handed back. */
        static Terminal of(Completion c, JobRun run) {
            return switch (c.finishReason()) {
                case STOP, LENGTH -> new Terminal(JobEvent.COMPLETED, JobStatus.COMPLETED, c, null);
                case DEADLINE -> expired(c);
                case CANCELLED -> run.handedBack() ? null : run.expired() && !run.cancelRequested() ? expired(c)
                        : cancelled(c);
            };
        }

        static Terminal cancelled(Completion c) {
            return new Terminal(JobEvent.CANCELLED, JobStatus.CANCELLED, c, null);
        }

        static Terminal expired(Completion c) {
            return new Terminal(JobEvent.EXPIRED, JobStatus.EXPIRED, c,
                    new JobEvent.Error("deadline_exceeded", "the job's deadline passed before it finished"));
        }

        static Terminal failed(String code, String message) {
            return new Terminal(JobEvent.FAILED, JobStatus.FAILED, null, new JobEvent.Error(code, message));
        }

        List<JobEvent.Choice> choices(List<JobEvent.TokenLogprob> logprobs) {
            if (completion == null) {
                return null;
            }
            String reason = status == JobStatus.EXPIRED ? "deadline" : completion.finishReason().wireName();
            return List.of(new JobEvent.Choice(0, completion.text(), completion.tokenIds(), logprobs, reason));
        }

        JobEvent.Usage usage() {
            return completion == null ? null : completion.usage();
        }
    }
}
