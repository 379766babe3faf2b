package io.vlsuite.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vlsuite.gateway.config.RateLimitProperties.TenantLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared (Redis) buckets, with this instance's in-memory buckets as a backstop when Redis cannot answer.
 * <p>
 * Deliberate choice: Spring Cloud Gateway's RedisRateLimiter fails fully open when Redis is down. Here a Redis
 * outage neither blocks traffic (Redis is not a hard dependency of the API) nor removes the limits: each
 * instance enforces the tenant's limits locally, so a tenant can get at most N times its rate with N instances
 * while Redis is away. Every fallback increments {@code vlsuite.gateway.ratelimit.redis.failures} (alert on it)
 * and logs a warning at most once a minute.
 */
public class FallbackRateLimiter implements RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(FallbackRateLimiter.class);
    private static final long LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final RateLimiter shared;
    private final LocalRateLimiter local;
    private final Counter failures;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    public FallbackRateLimiter(RateLimiter shared, LocalRateLimiter local, MeterRegistry meters) {
        this.shared = shared;
        this.local = local;
        this.failures = Counter.builder("vlsuite.gateway.ratelimit.redis.failures")
                .description("Rate-limit decisions taken by the local fallback because Redis did not answer")
                .register(meters);
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String tenant, TenantLimits limits) {
        return shared.tryConsume(tenant, limits).onErrorResume(e -> {
            failures.increment();
            long last = lastLog.get();
            long now = System.nanoTime();
            if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
                log.warn("Redis rate limiter unavailable ({}); enforcing limits per gateway instance until it is back",
                        e.toString());
            }
            return local.tryConsume(tenant, limits);
        });
    }
}
