package io.vlsuite.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.vlsuite.gateway.auth.Principal;
import io.vlsuite.gateway.config.RateLimitProperties;
import io.vlsuite.gateway.problem.Problems;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Takes a token from the authenticated tenant's bucket: {@code X-RateLimit-*} headers on every answer, 429
 * {@code rate_limited} with {@code Retry-After} when the bucket is empty. Keyed on the tenant only, never on a
 * client-supplied header or address, so spoofed {@code X-Forwarded-For} changes nothing.
 */
public class RateLimitFilter implements GlobalFilter, Ordered {

    public static final int ORDER = -200;

    private final RateLimiter limiter;
    private final RateLimitProperties properties;
    private final MeterRegistry meters;

    public RateLimitFilter(RateLimiter limiter, RateLimitProperties properties, MeterRegistry meters) {
        this.limiter = limiter;
        this.properties = properties;
        this.meters = meters;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Principal principal = exchange.getAttribute(Principal.ATTRIBUTE);
        if (principal == null) {
            return chain.filter(exchange); // public route
        }
        return limiter.tryConsume(principal.tenant(), properties.limitsFor(principal.tenant())).flatMap(decision -> {
            if (!decision.allowed()) {
                meters.counter("vlsuite.gateway.ratelimit.rejected", "tenant", principal.tenant(), "limit", "rate").increment();
                return Mono.error(Problems.rateLimited("The tenant's request rate limit is exhausted; retry after "
                        + Problems.seconds(decision.retryAfter()) + " s.", decision.headers()));
            }
            exchange.getResponse().getHeaders().addAll(decision.headers());
            return chain.filter(exchange);
        });
    }
}
