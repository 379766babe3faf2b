package io.vlsuite.gateway.limits;

import io.vlsuite.gateway.problem.GatewayProblem;
import io.vlsuite.gateway.problem.Problems;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps request bodies at {@code max-request-body-size}. A declared {@code Content-Length} above the cap is
 * refused before anything is forwarded; otherwise (chunked or understated bodies) the bytes are counted as they
 * stream through, and the first buffer over the cap aborts the upstream call with 413 {@code payload_too_large}.
 * Nothing is buffered here: Spring Cloud Gateway's RequestSize filter only checks the header, and buffering a
 * whole body to measure it would cost the memory the limit is meant to protect.
 */
public class RequestBodySizeFilter implements GlobalFilter, Ordered {

    public static final int ORDER = -100;

    private final long maxBytes;

    public RequestBodySizeFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getHeaders().getContentLength() > maxBytes) {
            return Mono.error(Problems.payloadTooLarge(maxBytes));
        }
        Sinks.One<GatewayProblem> exceeded = Sinks.one();
        ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong seen = new AtomicLong();
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                        DataBufferUtils.release(buffer);
                        GatewayProblem problem = Problems.payloadTooLarge(maxBytes);
                        exceeded.tryEmitValue(problem);
                        throw problem;
                    }
                    return buffer;
                });
            }
        };
        // The body error aborts the upstream send, but whether the HTTP client then fails the call at once or only
        // when the response timeout passes depends on timing; the race answers 413 the moment the cap is passed
        // and cancels the upstream call.
        return Mono.firstWithSignal(
                chain.filter(exchange.mutate().request(counted).build()),
                exceeded.asMono().flatMap(problem -> Mono.<Void>error(problem)));
    }
}
