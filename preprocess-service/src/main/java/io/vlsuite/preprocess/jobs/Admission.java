package io.vlsuite.preprocess.jobs;

import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.events.EventRouter;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Load shedding before any media work: counts the jobs this instance accepted that have not ended, per tenant and
 * in total, and refuses new ones over the limits (429 for a tenant over its share, 503 when the instance is full),
 * with {@code Retry-After}. A job stops counting at its terminal event, when it is cancelled here, or at its deadline
 * (so a job whose events never come cannot hold a slot forever).
 */
@Component
public class Admission {

    private final PreprocessProperties.Admission limits;
    private final Clock clock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final Map<String, Integer> perTenant = new ConcurrentHashMap<>();
    private int total;

    public Admission(PreprocessProperties properties, Clock clock, EventRouter events,
                     ObjectProvider<MeterRegistry> meters) {
        this.limits = properties.admission();
        this.clock = clock;
        events.onTerminal(event -> finished(event.jobId()));
        meters.ifAvailable(registry -> Gauge.builder("vlsuite.preprocess.jobs.in.flight", this, Admission::inFlight)
                .description("jobs this instance accepted that have not ended yet").register(registry));
    }

    /** A reserved place for one job; bind it to the job id once known, or release it if the job is not created. */
    public final class Slot {
        private final String tenant;
        private volatile String jobId;
        private volatile Instant expiresAt = Instant.MAX;
        private boolean released;

        private Slot(String tenant) {
            this.tenant = tenant;
        }

        public void bind(String jobId, Instant expiresAt) {
            this.jobId = jobId;
            this.expiresAt = expiresAt;
            slots.put(jobId, this);
        }

        public void release() {
            Admission.this.release(this);
        }
    }

    /** @throws ApiException 429 or 503 {@code overloaded} */
    public synchronized Slot reserve(String tenant) {
        purgeExpired();
        if (perTenant.getOrDefault(tenant, 0) >= limits.maxInFlightPerTenant()) {
            throw new ApiException(429, ErrorCodes.OVERLOADED, "too many unfinished requests for this tenant ("
                    + limits.maxInFlightPerTenant() + "); retry later", limits.retryAfter(), List.of(), null);
        }
        if (total >= limits.maxInFlight()) {
            throw ApiException.unavailable(ErrorCodes.OVERLOADED, "the service is at capacity; retry later",
                    limits.retryAfter());
        }
        perTenant.merge(tenant, 1, Integer::sum);
        total++;
        return new Slot(tenant);
    }

    /** The job ended (terminal event, cancellation); harmless for unknown ids and repeated calls. */
    public void finished(String jobId) {
        Slot slot = slots.get(jobId);
        if (slot != null) {
            release(slot);
        }
    }

    public synchronized int inFlight() {
        return total;
    }

    private synchronized void release(Slot slot) {
        if (slot.released) {
            return;
        }
        slot.released = true;
        if (slot.jobId != null) {
            slots.remove(slot.jobId, slot);
        }
        perTenant.computeIfPresent(slot.tenant, (t, n) -> n <= 1 ? null : n - 1);
        total--;
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        slots.values().stream().filter(s -> s.expiresAt.isBefore(now)).toList().forEach(this::release);
    }
}
