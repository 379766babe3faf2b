package io.vlsuite.inference.worker;

import io.vlsuite.contracts.job.JobEvent;
import io.vlsuite.inference.engine.TokenDelta;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The events of one job, numbered in order ({@code seq} from 0), with deltas coalesced: the first piece of output
 * goes out at once (time to first token matters), later ones are gathered and published at most once per
 * {@code interval}. Everything is accumulated too (token ids, logprobs) for the terminal event. Thread-safe: the
 * engine thread appends, a timer flushes, the runner finishes.
 */
final class JobEventStream {

    private final String jobId;
    private final String tenant;
    private final String workerId;
    private final boolean streamDeltas;
    private int promptTokens;
    private final EventPublisher publisher;
    private final ScheduledExecutorService timer;
    private final Duration interval;
    private final InstantSource clock;

    private long seq;
    private final StringBuilder pendingText = new StringBuilder();
    private final List<Integer> pendingTokens = new ArrayList<>();
    private List<JobEvent.TokenLogprob> pendingLogprobs;
    private final List<JobEvent.TokenLogprob> allLogprobs = new ArrayList<>();
    private int generated;
    private Instant lastFlush = Instant.MIN;
    private ScheduledFuture<?> scheduled;
    private boolean closed;

    JobEventStream(String jobId, String tenant, String workerId, boolean streamDeltas,
                   EventPublisher publisher, ScheduledExecutorService timer, Duration interval, InstantSource clock) {
        this.jobId = jobId;
        this.tenant = tenant;
        this.workerId = workerId;
        this.streamDeltas = streamDeltas;
        this.publisher = publisher;
        this.timer = timer;
        this.interval = interval;
        this.clock = clock;
    }

    /** Publishes {@code started} and waits for the broker (cheap, and it marks the job as taken). */
    synchronized void started() {
        publisher.sendAndWait(event(JobEvent.STARTED, null, null, null, null));
    }

    /** The prompt size once known (deltas carry the usage so far). */
    synchronized void promptTokens(int tokens) {
        promptTokens = tokens;
    }

    synchronized void append(TokenDelta delta) {
        if (closed) {
            return;
        }
        generated += delta.tokenIds().size();
        if (delta.logprobs() != null) {
            allLogprobs.addAll(delta.logprobs());
        }
        if (!streamDeltas) {
            return;
        }
        pendingText.append(delta.text());
        pendingTokens.addAll(delta.tokenIds());
        if (delta.logprobs() != null) {
            if (pendingLogprobs == null) {
                pendingLogprobs = new ArrayList<>();
            }
            pendingLogprobs.addAll(delta.logprobs());
        }
        if (scheduled == null) {
            Duration wait = Duration.between(clock.instant(), lastFlush.plus(interval));
            long delayMicros = lastFlush.equals(Instant.MIN) || wait.isNegative() ? 0 : wait.toNanos() / 1000;
            try {
                scheduled = timer.schedule(this::flush, delayMicros, TimeUnit.MICROSECONDS);
            } catch (RejectedExecutionException e) {
                closed = true; // the worker is gone; the job is being handed back
            }
        }
    }

    /** Publishes what has gathered since the last delta. */
    synchronized void flush() {
        scheduled = null;
        if (closed || (pendingText.isEmpty() && pendingTokens.isEmpty())) {
            return;
        }
        var choice = new JobEvent.Choice(0, pendingText.toString(), List.copyOf(pendingTokens),
                pendingLogprobs == null ? null : List.copyOf(pendingLogprobs), null);
        pendingText.setLength(0);
        pendingTokens.clear();
        pendingLogprobs = null;
        lastFlush = clock.instant();
        publisher.send(event(JobEvent.DELTA, List.of(choice), new JobEvent.Usage(promptTokens, generated), null, null));
    }

    /**
     * Flushes pending output and stops the stream; returns the next sequence number for the terminal event.
     * Later appends are ignored.
     */
    synchronized long close() {
        if (!closed) {
            flush();
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
            closed = true;
        }
        return seq;
    }

    /** Every logprob seen (for the terminal event), or null when none was requested. */
    synchronized List<JobEvent.TokenLogprob> allLogprobs() {
        return allLogprobs.isEmpty() ? null : List.copyOf(allLogprobs);
    }

    /** Builds the terminal event with the next sequence number (call after {@link #close()}). */
    synchronized JobEvent terminal(String type, List<JobEvent.Choice> choices, JobEvent.Usage usage,
                                   JobEvent.Timings timings, JobEvent.Error error) {
        return event(type, choices, usage, timings, error);
    }

    private JobEvent event(String type, List<JobEvent.Choice> choices, JobEvent.Usage usage, JobEvent.Timings timings,
                           JobEvent.Error error) {
        return new JobEvent(jobId, tenant, type, seq++, clock.instant(), choices, usage, timings, error, workerId);
    }
}
