package io.vlsuite.gateway.web;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Locale;

/**
 * Removes headers that the services behind the gateway may trust but that only the gateway may set: the whole
 * {@code X-Vlsuite-*} namespace (the tenant among them) and {@code X-Real-IP}. {@code Forwarded} and
 * {@code X-Forwarded-*} are already handled by Spring Cloud Gateway (kept only from
 * {@code spring.cloud.gateway.server.webflux.trusted-proxies}).
 */
@Component
public class ReservedHeadersFilter implements GlobalFilter, Ordered {

    private static final String RESERVED_PREFIX = "x-vlsuite-";

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        List<String> reserved = headers.headerNames().stream()
                .filter(name -> name.toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX) || name.equalsIgnoreCase("X-Real-IP"))
                .toList();
        if (reserved.isEmpty()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest().mutate().headers(h -> reserved.forEach(h::remove)).build();
        return chain.filter(exchange.mutate().request(request).build());
    }
}
