package io.vlsuite.gateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.reactivestreams.Publisher;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Bounds the silence between two chunks of a response body. Once headers are sent nothing else bounds a
 * response (the route's response timeout only covers the wait for headers), and an SSE stream has no total
 * duration a gateway could know; a stalled downstream must still not hold a connection and a concurrency slot
 * forever. When the idle timeout passes the connection is closed (the status line is already out, so the client
 * sees a truncated stream) and {@code vlsuite.gateway.response.idle.timeouts} is incremented.
 * <p>
 * Runs just before {@link NettyWriteResponseFilter}, which writes the proxied body through this decorator.
 */
public class ResponseIdleTimeoutFilter implements GlobalFilter, Ordered {

    public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

    private final Duration idleTimeout;
    private final Counter timeouts;

    public ResponseIdleTimeoutFilter(Duration idleTimeout, MeterRegistry meters) {
        this.idleTimeout = idleTimeout;
        this.timeouts = Counter.builder("vlsuite.gateway.response.idle.timeouts")
                .description("Responses cut because the downstream sent nothing for the idle timeout")
                .register(meters);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpResponseDecorator response = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
                return super.writeWith(idle(Flux.from(body)));
            }

            @Override
            public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
                return super.writeAndFlushWith(idle(Flux.from(body)));
            }
        };
        return chain.filter(exchange.mutate().response(response).build());
    }

    private <T> Flux<T> idle(Flux<T> body) {
        return body.timeout(idleTimeout).doOnError(TimeoutException.class, e -> timeouts.increment());
    }
}
