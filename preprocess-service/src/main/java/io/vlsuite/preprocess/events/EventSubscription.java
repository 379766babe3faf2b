package io.vlsuite.preprocess.events;

import io.vlsuite.contracts.job.JobEvent;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The events of one job as this instance sees them, in order, without duplicates (a redelivered event carries a
 * sequence number already seen; a {@code started} event begins a new run whose numbers start again at 0). Close it when done so the router forgets it.
 */
public final class EventSubscription implements AutoCloseable {

    private final String jobId;
    private final EventRouter router;
    private final BlockingQueue<JobEvent> queue = new LinkedBlockingQueue<>();
    private long lastSeq = -1;

    EventSubscription(String jobId, EventRouter router) {
        this.jobId = jobId;
        this.router = router;
    }

    public String jobId() {
        return jobId;
    }

    void offer(JobEvent event) {
        queue.offer(event);
    }

    /** The next new event, or null when none came within {@code timeout}. */
    public JobEvent next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JobEvent event = queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (event == null) {
                return null;
            }
            // A job restarted by another worker announces itself with a new "started" and counts from 0 again.
            if (event.seq() > lastSeq || event.isTerminal() || JobEvent.STARTED.equals(event.type())) {
                lastSeq = event.seq();
                return event;
            }
        }
    }

    @Override
    public void close() {
        router.unsubscribe(this);
    }
}
