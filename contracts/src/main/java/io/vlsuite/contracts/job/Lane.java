package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonValue;
import io.vlsuite.contracts.Topics;

/** The queue a job waits in. Workers drain {@link #INTERACTIVE} before {@link #BATCH}. */
public enum Lane {
    /** Synchronous and streaming API calls: someone is waiting on the connection. */
    INTERACTIVE(Topics.JOBS_INTERACTIVE),
    /** Asynchronous jobs: results go to the job document and the webhook. */
    BATCH(Topics.JOBS_BATCH);

    private final String topic;

    Lane(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
