package io.vlsuite.contracts;

import java.util.List;

/**
 * Kafka topic names of the suite. Record keys are job ids on every topic, so all records of one job land in one
 * partition and keep their order.
 */
public final class Topics {

    /** Jobs of synchronous and streaming API requests; workers always drain this lane first. */
    public static final String JOBS_INTERACTIVE = "vlsuite.jobs.interactive";

    /** Asynchronous jobs ({@code POST /v1/jobs}). */
    public static final String JOBS_BATCH = "vlsuite.jobs.batch";

    /** Job lifecycle events: started, deltas, completed, failed. */
    public static final String EVENTS = "vlsuite.events";

    /** Poison records and jobs that failed deterministically. */
    public static final String JOBS_DLT = "vlsuite.jobs.dlt";

    /** Commands to every worker (cancel); each worker consumes it with its own group, so all see every record. */
    public static final String CONTROL = "vlsuite.jobs.control";

    /** Every topic the suite needs, in creation order. */
    public static final List<String> ALL = List.of(JOBS_INTERACTIVE, JOBS_BATCH, EVENTS, JOBS_DLT, CONTROL);

    private Topics() {
    }
}
