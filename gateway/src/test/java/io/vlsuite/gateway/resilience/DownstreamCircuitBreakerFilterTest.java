package io.vlsuite.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.vlsuite.gateway.config.CircuitBreakerProperties;
import io.vlsuite.gateway.problem.GatewayProblem;
import io.vlsuite.gateway.problem.ProblemClassifier;
import io.vlsuite.gateway.problem.Problems;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

/** What counts against the downstream: configured statuses and I/O errors yes, client problems no. */
class DownstreamCircuitBreakerFilterTest {

    final CircuitBreakerProperties properties = new CircuitBreakerProperties(true, 100, 3, 3, Duration.ofSeconds(30), 1,
            Set.of(502, 503, 504));
    final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindowSize(3).minimumNumberOfCalls(3).failureRateThreshold(100).build());
    final DownstreamCircuitBreakerFilter filter = new DownstreamCircuitBreakerFilter(registry, properties,
            new ProblemClassifier(Duration.ofSeconds(5)));
    final AtomicInteger calls = new AtomicInteger();

    @Test
    void downstream503sOpenTheBreakerAndThenItIsNotCalled() {
        for (int i = 0; i < 3; i++) {
            run(exchange -> {
                exchange.getResponse().setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
                return Mono.empty();
            });
        }
        assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> run(exchange -> Mono.empty()))
                .isInstanceOfSatisfying(GatewayProblem.class, p -> {
                    assertThat(p.code()).isEqualTo("upstream_unavailable");
                    assertThat(p.headers().getFirst("Retry-After")).isEqualTo("30");
                });
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void ioErrorsCountButClientProblemsAndOtherStatusesDoNot() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> run(exchange -> Mono.error(Problems.payloadTooLarge(10))));
            run(exchange -> {
                exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
                return Mono.empty();
            });
        }
        assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker().getMetrics().getNumberOfFailedCalls()).isZero();

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> run(exchange -> Mono.error(new java.io.IOException("connection reset"))));
        }
        assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    private void run(Function<ServerWebExchange, Mono<Void>> downstream) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/models"));
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, URI.create("http://127.0.0.1:8081/v1/models"));
        GatewayFilterChain chain = e -> {
            calls.incrementAndGet();
            return downstream.apply(e);
        };
        filter.filter(exchange, chain).block();
    }

    private CircuitBreaker breaker() {
        return registry.circuitBreaker("http://127.0.0.1:8081");
    }
}
