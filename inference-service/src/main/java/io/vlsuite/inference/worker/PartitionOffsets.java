package io.vlsuite.inference.worker;

import java.util.TreeSet;

/**
 * Offsets of one partition that this worker has fetched but not finished. Jobs finish out of order (a short job
 * fetched after a long one completes first), but Kafka only stores one position per partition: it may only move
 * past an offset once that job and every job before it are done. Not thread-safe: used by the poll loop only.
 */
final class PartitionOffsets {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    /** A record was fetched. */
    void fetched(long offset) {
        unfinished.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** A job's terminal event is written. */
    void finished(long offset) {
        unfinished.remove(offset);
    }

    /** The offset to commit (the next record to read after a restart), or -1 when nothing new can be committed. */
    long committable() {
        long position = unfinished.isEmpty() ? next : unfinished.first();
        return position > committed ? position : -1;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** An asynchronous commit of {@code offset} failed: send it again unless a later one was sent meanwhile. */
    void commitFailed(long offset) {
        if (committed == offset) {
            committed = -1;
        }
    }

    int unfinishedCount() {
        return unfinished.size();
    }
}
