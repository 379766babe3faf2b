package io.vlsuite.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.vlsuite.gateway.auth.Principal;
import io.vlsuite.gateway.config.RateLimitProperties;
import io.vlsuite.gateway.problem.Problems;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests one tenant has in flight at once (429 {@code too_many_concurrent_requests}). A request holds
 * its slot until its response body is fully written, so an SSE stream holds one for its whole life.
 * <p>
 * Why all requests and not only streams: whether a chat request streams is in its JSON body ({@code "stream":
 * true}), which the gateway forwards without reading, and a response turns out to be {@code text/event-stream}
 * only once it has been admitted. Counting every in-flight request is exact, cheap, and caps streams too,
 * since they are what stays in flight. Per gateway instance (not shared through Redis).
 */
public class ConcurrencyLimitFilter implements GlobalFilter, Ordered {

    public static final int ORDER = -190;

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final RateLimitProperties properties;
    private final MeterRegistry meters;

    public ConcurrencyLimitFilter(RateLimitProperties properties, MeterRegistry meters) {
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
            return chain.filter(exchange);
        }
        int limit = properties.limitsFor(principal.tenant()).maxConcurrentRequests();
        AtomicInteger counter = inFlight.computeIfAbsent(principal.tenant(), t -> {
            AtomicInteger c = new AtomicInteger();
            meters.gauge("vlsuite.gateway.requests.in.flight", List.of(Tag.of("tenant", t)), c);
            return c;
        });
        if (counter.incrementAndGet() > limit) {
            counter.decrementAndGet();
            meters.counter("vlsuite.gateway.ratelimit.rejected", "tenant", principal.tenant(), "limit", "concurrency").increment();
            return Mono.error(Problems.tooManyConcurrentRequests(limit, Duration.ofSeconds(1)));
        }
        AtomicBoolean released = new AtomicBoolean();
        return Mono.defer(() -> chain.filter(exchange)).doFinally(signal -> {
            if (released.compareAndSet(false, true)) {
                counter.decrementAndGet();
            }
        });
    }

    /** Requests of a tenant now in flight (for tests and diagnostics). */
    public int inFlight(String tenant) {
        AtomicInteger c = inFlight.get(tenant);
        return c == null ? 0 : c.get();
    }
}
