package io.vlsuite.preprocess.jobs;

import io.vlsuite.contracts.job.ChatMessage;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.media.MediaStoreException;
import io.vlsuite.preprocess.chat.ChatRequest;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import io.vlsuite.preprocess.store.JobRepository;
import io.vlsuite.preprocess.config.PreprocessProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Accepting and cancelling jobs. Accepting is, in this order: a place under the load limits (before any media
 * work), media into the media bucket, the job document (create-only), the Kafka record (acknowledged by all
 * in-sync replicas). Only then is the job accepted; if the publish fails the document is deleted again and the
 * caller gets 503 with {@code Retry-After}, so no job is left looking queued forever.
 */
@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    /** How long past its deadline a job may stay unfinished before reads call it expired (worker clock skew). */
    private static final Duration EXPIRY_GRACE = Duration.ofSeconds(30);

    private final JobRepository repository;
    private final JobPublisher publisher;
    private final MediaResolver media;
    private final Admission admission;
    private final Clock clock;
    private final Duration retryAfter;

    public JobService(JobRepository repository, JobPublisher publisher, MediaResolver media, Admission admission,
                      Clock clock, PreprocessProperties properties) {
        this.repository = repository;
        this.publisher = publisher;
        this.media = media;
        this.admission = admission;
        this.clock = clock;
        this.retryAfter = properties.admission().retryAfter();
    }

    /**
     * A job to accept.
     *
     * @param webhookUrl     already checked by the webhook guard; null for none
     * @param idempotencyKey the caller's key; null for none
     * @param requestHash    fingerprint of the body, compared when the key is reused
     */
    public record NewJob(String tenant, String jobId, Lane lane, ChatRequest request, String requestId,
                         Instant deadline, String webhookUrl, Map<String, String> metadata, String idempotencyKey,
                         String requestHash) {
    }

    /** A job with this id exists already (idempotency key replay or conflict; the caller decides). */
    public static final class DuplicateJobException extends RuntimeException {
        DuplicateJobException(String jobId) {
            super("job " + jobId + " exists");
        }
    }

    /**
     * Accepts a job.
     *
     * @return the document as stored
     * @throws ApiException          overload (429/503), queue or storage unavailable (503)
     * @throws DuplicateJobException when the job id exists
     */
    public JobDocument submit(NewJob job) {
        Admission.Slot slot = admission.reserve(job.tenant());
        try {
            List<ChatMessage> messages = media.resolve(job.request(), job.tenant());
            Instant now = clock.instant();
            ChatRequest request = job.request();
            // Async jobs ask for deltas too: they become the progress events of GET /v1/jobs/{id}/events.
            boolean deltas = request.stream() || job.lane() == Lane.BATCH;
            JobRecord record = new JobRecord(job.jobId(), job.tenant(), job.lane(), request.model(), messages,
                    request.sampling(), deltas, now, job.deadline(), job.requestId());
            JobDocument document = new JobDocument(job.jobId(), job.tenant(), JobStatus.QUEUED, job.lane(), now, now,
                    record, null, null, job.webhookUrl() == null ? null : new JobDocument.Webhook(job.webhookUrl(), List.of()),
                    job.metadata(), job.idempotencyKey(), job.requestHash(), null);
            try {
                repository.create(document);
            } catch (MediaStoreException.PreconditionFailed e) {
                throw new DuplicateJobException(job.jobId());
            } catch (MediaStoreException e) {
                log.warn("cannot write job document {}: {}", job.jobId(), e.getMessage());
                throw ApiException.unavailable(ErrorCodes.STORAGE_UNAVAILABLE, "job storage is unavailable; retry later",
                        retryAfter);
            }
            slot.bind(job.jobId(), job.deadline() == null ? Instant.MAX : job.deadline().plus(EXPIRY_GRACE));
            try {
                publisher.publish(record);
            } catch (JobPublisher.PublishException e) {
                log.warn("job {} not accepted: {}", job.jobId(), e.getMessage());
                deleteQuietly(job.tenant(), job.jobId());
                throw new ApiException(503, ErrorCodes.QUEUE_UNAVAILABLE, "the job queue is unavailable; retry later",
                        retryAfter, List.of(), null);
            }
            return document;
        } catch (RuntimeException e) {
            slot.release();
            throw e;
        }
    }

    /** The job, with an overdue unfinished job moved to {@code expired} first. */
    public Optional<JobDocument> find(String tenant, String jobId) {
        return repository.find(tenant, jobId).map(this::expireIfOverdue);
    }

    /**
     * Cancels a job: a queued one becomes {@code cancelled} right away (a worker that picks it up later skips it);
     * a running one is told to stop on {@code vlsuite.jobs.control} and ends with the worker's {@code cancelled}
     * event. Finished jobs stay as they are.
     */
    public JobDocument cancel(String tenant, String jobId) {
        JobDocument current = find(tenant, jobId).orElseThrow(() -> ApiException.jobNotFound(jobId));
        if (current.status().isTerminal()) {
            return current;
        }
        JobDocument updated = repository.update(tenant, jobId,
                        doc -> doc.status() == JobStatus.QUEUED ? doc.moveTo(JobStatus.CANCELLED, clock.instant()) : null)
                .orElseThrow(() -> ApiException.jobNotFound(jobId));
        try {
            publisher.cancel(jobId, tenant);
        } catch (JobPublisher.PublishException e) {
            if (updated.status() != JobStatus.CANCELLED) {
                throw new ApiException(503, ErrorCodes.QUEUE_UNAVAILABLE, "cannot reach the workers to cancel; retry later",
                        retryAfter, List.of(), jobId);
            }
            // Queued and now cancelled in its document: a worker will skip it even without the command.
        }
        if (updated.status().isTerminal()) {
            admission.finished(jobId);
        }
        return updated;
    }

    /** Best-effort cancel for requests whose caller went away or ran out of time. */
    public void cancelQuietly(String tenant, String jobId) {
        try {
            cancel(tenant, jobId);
        } catch (RuntimeException e) {
            log.warn("could not cancel job {}: {}", jobId, e.getMessage());
        }
    }

    private JobDocument expireIfOverdue(JobDocument doc) {
        Instant deadline = doc.job() == null ? null : doc.job().deadline();
        if (doc.status().isTerminal() || deadline == null || clock.instant().isBefore(deadline.plus(EXPIRY_GRACE))) {
            return doc;
        }
        return repository.update(doc.tenant(), doc.id(),
                d -> d.status().isTerminal() ? null : d.moveTo(JobStatus.EXPIRED, clock.instant())).orElse(doc);
    }

    private void deleteQuietly(String tenant, String jobId) {
        try {
            repository.delete(tenant, jobId);
        } catch (RuntimeException e) {
            log.error("job {} was not published and its document could not be deleted: {}", jobId, e.getMessage());
        }
    }
}
