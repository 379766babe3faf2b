package io.vlsuite.contracts.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A command to every worker, on {@code vlsuite.jobs.control} (each worker reads it with its own consumer group, so
 * all of them see it). Today the only command is {@code cancel}: the worker running the job stops it within one
 * decoding step; a worker that has not started it yet skips it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobControl(String jobId, String tenant, String command) {

    public static final String CANCEL = "cancel";

    public static JobControl cancel(String jobId, String tenant) {
        return new JobControl(jobId, tenant, CANCEL);
    }
}
