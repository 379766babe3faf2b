package io.vlsuite.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One log line per routed request, carrying the request id as a structured field ({@code request_id} in the JSON
 * logs), so an operator can follow a call from the gateway into preprocess-service's logs. Reactive code has no
 * thread-bound MDC to rely on, hence an explicit key-value pair.
 */
@Component
public class AccessLogFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger("io.vlsuite.gateway.access");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long start = System.nanoTime();
        return chain.filter(exchange).doFinally(signal -> {
            HttpStatusCode status = exchange.getResponse().getStatusCode();
            String requestId = exchange.getResponse().getHeaders().getFirst(RequestIdFilter.HEADER);
            long millis = (System.nanoTime() - start) / 1_000_000;
            log.atInfo()
                    .addKeyValue("request_id", requestId)
                    .addKeyValue("http_method", exchange.getRequest().getMethod().name())
                    .addKeyValue("url_path", exchange.getRequest().getPath().value())
                    .addKeyValue("http_status", status == null ? 0 : status.value())
                    .addKeyValue("duration_ms", millis)
                    .log("{} {} -> {} in {} ms [{}]", exchange.getRequest().getMethod().name(),
                            exchange.getRequest().getPath().value(), status == null ? "-" : status.value(), millis, requestId);
        });
    }

    /** Right after {@link RequestIdFilter}, so the id is set, and around everything else, so the status is final. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
