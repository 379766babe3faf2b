package io.vlsuite.media.lifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ExpirySweeper} periodically on one daemon thread, for buckets whose server does not expire
 * objects itself. A failed sweep is logged and retried at the next interval.
 */
public final class PeriodicExpirySweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeriodicExpirySweep.class);

    private final ScheduledExecutorService scheduler;

    public PeriodicExpirySweep(ExpirySweeper sweeper, StorageBootstrap bootstrap, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("sweep interval must be positive");
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "media-store-expiry-sweep");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                sweeper.sweepUnsupported(bootstrap.lifecycleStates());
            } catch (RuntimeException e) {
                log.warn("expiry sweep failed, will retry in {}: {}", interval, e.getMessage());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
