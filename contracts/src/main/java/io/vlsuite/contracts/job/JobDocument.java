package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The job's state in the jobs bucket ({@code jobs/{tenant}/{id}.json}): the source of truth for async jobs.
 * Written with conditional puts (If-None-Match on create, If-Match on update) so a state never regresses and two
 * writers cannot both win; see {@link JobStatus#canMoveTo}.
 *
 * @param id             job id
 * @param tenant         owner; other tenants get 404
 * @param status         current state
 * @param lane           queue it was sent to
 * @param createdAt      accepted at
 * @param updatedAt      last transition
 * @param job            the job as published to Kafka
 * @param result         the final result ({@code completed}); choices carry full texts
 * @param error          why it failed
 * @param webhook        where to deliver the terminal state, and what happened when we tried
 * @param metadata       caller-supplied key/values, returned as given
 * @param idempotencyKey the caller's Idempotency-Key, if any
 * @param requestHash    SHA-256 of the canonical request body, to tell a replay from a conflicting reuse of a key
 * @param progressTokens tokens generated so far (updated as the job runs)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobDocument(
        String id,
        String tenant,
        JobStatus status,
        Lane lane,
        Instant createdAt,
        Instant updatedAt,
        JobRecord job,
        JobEvent result,
        JobEvent.Error error,
        Webhook webhook,
        Map<String, String> metadata,
        String idempotencyKey,
        String requestHash,
        Integer progressTokens) {

    /** A copy in state {@code next}, stamped {@code now}; throws if the transition would go backwards. */
    public JobDocument moveTo(JobStatus next, Instant now) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("job " + id + " cannot move from " + status.json() + " to " + next.json());
        }
        return new JobDocument(id, tenant, next, lane, createdAt, now, job, result, error, webhook, metadata,
                idempotencyKey, requestHash, progressTokens);
    }

    public JobDocument withResult(JobEvent result) {
        return new JobDocument(id, tenant, status, lane, createdAt, updatedAt, job, result, error, webhook, metadata,
                idempotencyKey, requestHash, progressTokens);
    }

    public JobDocument withError(JobEvent.Error error) {
        return new JobDocument(id, tenant, status, lane, createdAt, updatedAt, job, result, error, webhook, metadata,
                idempotencyKey, requestHash, progressTokens);
    }

    public JobDocument withWebhook(Webhook webhook) {
        return new JobDocument(id, tenant, status, lane, createdAt, updatedAt, job, result, error, webhook, metadata,
                idempotencyKey, requestHash, progressTokens);
    }

    public JobDocument withProgressTokens(int tokens) {
        return new JobDocument(id, tenant, status, lane, createdAt, updatedAt, job, result, error, webhook, metadata,
                idempotencyKey, requestHash, tokens);
    }

    /**
     * A webhook target and its delivery attempts.
     *
     * @param url        where the signed terminal event is POSTed
     * @param deliveries one entry per attempt, oldest first
     * @param claimedBy  the preprocess-service instance that took on delivering it (set with a conditional write, so
     *                   exactly one instance sends the webhook); null while nobody has
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Webhook(String url, List<Delivery> deliveries, String claimedBy) {

        public Webhook(String url, List<Delivery> deliveries) {
            this(url, deliveries, null);
        }
    }

    /** One delivery attempt: when, the HTTP status (null if no response) and the error, if any. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(String webhookId, Instant at, Integer httpStatus, String error) {
    }
}
