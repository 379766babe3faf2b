package io.vlsuite.gateway.routing;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.web.server.ServerWebExchange;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;

/**
 * Route metadata that the gateway's global filters read. Secure by default: a route (also one added by an
 * operator in YAML) is authenticated and rate limited unless its metadata says {@code vlsuite-public: true}.
 */
public final class RouteKinds {

    public static final String PUBLIC = "vlsuite-public";

    private RouteKinds() {
    }

    public static boolean isPublic(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(GATEWAY_ROUTE_ATTR);
        return route != null && Boolean.parseBoolean(String.valueOf(route.getMetadata().get(PUBLIC)));
    }
}
