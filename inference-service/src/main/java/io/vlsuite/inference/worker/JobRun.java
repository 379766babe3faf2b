package io.vlsuite.inference.worker;

import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.inference.engine.InferenceHandle;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;

/**
 * One job while this worker holds it: from the moment its record is fetched until its terminal event is written
 * (or it is handed back). Flags are set from other threads (the control listener, the poll loop on shutdown or
 * revocation, the deadline timer) and read by the job's runner.
 */
final class JobRun {

    /** How the run ended, as far as the offset is concerned. */
    enum Outcome {
        /** Terminal event written (or the job was found terminal already): the offset may be committed. */
        DONE,
        /** Abandoned without a terminal event (shutdown, partitions revoked): never commit, let it be redelivered. */
        HANDED_BACK
    }

    private final ConsumerRecord<String, byte[]> record;
    private final JobRecord job;
    private final Lane lane;
    private final Instant fetchedAt;
    private volatile boolean cancelRequested;
    private volatile boolean expired;
    private volatile boolean handedBack;
    private InferenceHandle handle;

    JobRun(ConsumerRecord<String, byte[]> record, JobRecord job, Lane lane, Instant fetchedAt) {
        this.record = record;
        this.job = job;
        this.lane = lane;
        this.fetchedAt = fetchedAt;
    }

    ConsumerRecord<String, byte[]> record() {
        return record;
    }

    TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }

    long offset() {
        return record.offset();
    }

    JobRecord job() {
        return job;
    }

    String jobId() {
        return job.jobId();
    }

    Lane lane() {
        return lane;
    }

    Instant fetchedAt() {
        return fetchedAt;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    boolean expired() {
        return expired;
    }

    boolean handedBack() {
        return handedBack;
    }

    /** Whether the run should stop (for any reason) as soon as it can. */
    boolean stopping() {
        return cancelRequested || expired || handedBack;
    }

    /** A cancel command arrived: stop the engine request (frees its slot within one decoding step). */
    void cancel() {
        cancelRequested = true;
        cancelHandle();
    }

    /** The deadline passed while the job was running. */
    void expire() {
        expired = true;
        cancelHandle();
    }

    /** Shutdown or revocation: stop without a terminal event so that the job is redelivered. */
    void handBack() {
        handedBack = true;
        cancelHandle();
    }

    /** Records the engine handle; cancels it at once when the run was asked to stop meanwhile. */
    void attach(InferenceHandle engineHandle) {
        synchronized (this) {
            handle = engineHandle;
        }
        if (stopping()) {
            engineHandle.cancel();
        }
    }

    private void cancelHandle() {
        InferenceHandle h;
        synchronized (this) {
            h = handle;
        }
        if (h != null) {
            h.cancel();
        }
    }
}
