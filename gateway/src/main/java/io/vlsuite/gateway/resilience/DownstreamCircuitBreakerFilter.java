package io.vlsuite.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.vlsuite.gateway.config.CircuitBreakerProperties;
import io.vlsuite.gateway.problem.ProblemClassifier;
import io.vlsuite.gateway.problem.Problems;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/**
 * One Resilience4j circuit breaker per downstream (scheme, host and port), wrapped around the proxy call only:
 * the call ends when the downstream's response headers arrive, so a long SSE stream is one short, successful
 * call and no time limiter ever cuts it. While the breaker is open, requests get 503 {@code upstream_unavailable}
 * at once, with {@code Retry-After} set to the open-state wait.
 * <p>
 * Counted as failures: connect and I/O errors, timeouts, and the configured statuses (502, 503, 504). Client
 * problems (413 while streaming the body, a cancelled request) release the permission without counting.
 * <p>
 * Resilience4j is used directly rather than through spring-cloud-circuitbreaker, whose auto-configuration would
 * also switch on in the servlet services of a standalone JVM and whose default 1 s time limiter would cut streams.
 */
public class DownstreamCircuitBreakerFilter implements GlobalFilter, Ordered {

    public static final int ORDER = NettyRoutingFilter.ORDER - 10;

    private final CircuitBreakerRegistry registry;
    private final CircuitBreakerProperties properties;
    private final ProblemClassifier classifier;

    public DownstreamCircuitBreakerFilter(CircuitBreakerRegistry registry, CircuitBreakerProperties properties,
                                          ProblemClassifier classifier) {
        this.registry = registry;
        this.properties = properties;
        this.classifier = classifier;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        URI target = exchange.getAttribute(GATEWAY_REQUEST_URL_ATTR);
        if (target == null || target.getHost() == null) {
            return chain.filter(exchange);
        }
        CircuitBreaker breaker = registry.circuitBreaker(target.getScheme() + "://" + target.getHost() + ":" + target.getPort());
        if (!breaker.tryAcquirePermission()) {
            return Mono.error(Problems.upstreamUnavailable(
                    "The API service is failing; requests are refused for a while to let it recover.",
                    properties.waitDurationInOpenState()));
        }
        long start = System.nanoTime();
        AtomicBoolean settled = new AtomicBoolean();
        return Mono.defer(() -> chain.filter(exchange))
                .doOnSuccess(ignored -> {
                    if (settled.compareAndSet(false, true)) {
                        HttpStatusCode status = exchange.getResponse().getStatusCode();
                        long elapsed = System.nanoTime() - start;
                        if (status != null && properties.failureStatusCodes().contains(status.value())) {
                            breaker.onError(elapsed, TimeUnit.NANOSECONDS, new UpstreamStatusException(status.value()));
                        } else {
                            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                        }
                    }
                })
                .doOnError(error -> {
                    if (settled.compareAndSet(false, true)) {
                        if (classifier.isUpstreamFailure(error)) {
                            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, error);
                        } else {
                            breaker.releasePermission();
                        }
                    }
                })
                .doOnCancel(() -> {
                    if (settled.compareAndSet(false, true)) {
                        breaker.releasePermission();
                    }
                });
    }

    /** A downstream status that counts as a failure (the response itself still passes through unchanged). */
    static final class UpstreamStatusException extends RuntimeException {
        UpstreamStatusException(int status) {
            super("downstream answered " + status, null, false, false);
        }
    }
}
