package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The life of a job. A job moves forward only: {@code queued → running → (completed | failed | cancelled |
 * expired)}, and {@code queued → (cancelled | expired)}; a terminal state never changes again, which is what lets
 * a redelivered Kafka record be recognised and skipped.
 */
public enum JobStatus {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED, EXPIRED;

    public boolean isTerminal() {
        return this != QUEUED && this != RUNNING;
    }

    /** Whether a document in this state may be moved to {@code next}. */
    public boolean canMoveTo(JobStatus next) {
        return switch (this) {
            case QUEUED -> next != QUEUED;
            case RUNNING -> next.isTerminal();
            default -> false;
        };
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
