package io.vlsuite.gateway.ratelimit;

import io.vlsuite.gateway.config.RateLimitProperties.TenantLimits;
import reactor.core.publisher.Mono;

/** A per-tenant token bucket store. */
public interface RateLimiter {

    Mono<RateLimitDecision> tryConsume(String tenant, TenantLimits limits);
}
