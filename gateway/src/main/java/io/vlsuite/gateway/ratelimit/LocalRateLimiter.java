package io.vlsuite.gateway.ratelimit;

import io.vlsuite.gateway.config.RateLimitProperties.TenantLimits;
import reactor.core.publisher.Mono;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets in this gateway's memory. Exact for one instance; with N instances a tenant gets up to N times its
 * limit, which is why {@link RedisRateLimiter} exists. One bucket per tenant: tenants come from configured keys or
 * signed tokens, so the map stays small.
 */
public class LocalRateLimiter implements RateLimiter {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public LocalRateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public LocalRateLimiter() {
        this(System::nanoTime);
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String tenant, TenantLimits limits) {
        return Mono.just(consume(tenant, limits));
    }

    public RateLimitDecision consume(String tenant, TenantLimits limits) {
        return buckets.computeIfAbsent(tenant, t -> new Bucket(limits.burst(), nanoClock.getAsLong()))
                .take(limits.requestsPerSecond(), limits.burst(), nanoClock.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.refilledAt = now;
        }

        synchronized RateLimitDecision take(double rate, int capacity, long now) {
            double elapsedSeconds = Math.max(0, now - refilledAt) / 1e9;
            tokens = Math.min(capacity, tokens + elapsedSeconds * rate);
            refilledAt = now;
            boolean allowed = tokens >= 1;
            if (allowed) {
                tokens -= 1;
            }
            return RateLimitDecision.of(allowed, tokens, rate, capacity);
        }
    }
}
