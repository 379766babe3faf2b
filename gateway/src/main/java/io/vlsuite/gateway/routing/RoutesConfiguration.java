package io.vlsuite.gateway.routing;

import io.vlsuite.gateway.config.GatewayProperties;
import io.vlsuite.gateway.config.LimitsProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.CONNECT_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;

/**
 * The routes to preprocess-service, built from the typed settings (so timeouts are validated Durations, not
 * millisecond strings in YAML). More routes may still be added under
 * {@code spring.cloud.gateway.server.webflux.routes}; they are authenticated unless marked public.
 * <ul>
 *   <li>{@code docs}: the OpenAPI document and its UI, public;</li>
 *   <li>{@code api-streaming}: endpoints that may answer with SSE: the long streaming response timeout;</li>
 *   <li>{@code api}: the rest of {@code /v1/**}: the JSON response timeout.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

    @Bean
    RouteLocator vlsuiteRoutes(RouteLocatorBuilder routes, GatewayProperties gateway, LimitsProperties limits) {
        String target = gateway.preprocessUri().toString();
        int connectMs = Math.toIntExact(limits.connectTimeout().toMillis());
        RouteLocatorBuilder.Builder builder = routes.routes();
        if (!gateway.publicPaths().isEmpty()) {
            builder.route("docs", r -> r.order(0).path(gateway.publicPaths().toArray(String[]::new))
                    .metadata(RouteKinds.PUBLIC, true)
                    .metadata(CONNECT_TIMEOUT_ATTR, connectMs)
                    .metadata(RESPONSE_TIMEOUT_ATTR, millis(limits.responseTimeout()))
                    .uri(target));
        }
        return builder
                .route("api-streaming", r -> r.order(1).path(gateway.streamingPaths().toArray(String[]::new))
                        .metadata(CONNECT_TIMEOUT_ATTR, connectMs)
                        .metadata(RESPONSE_TIMEOUT_ATTR, millis(limits.streamingResponseTimeout()))
                        .uri(target))
                .route("api", r -> r.order(2).path("/v1/**")
                        .metadata(CONNECT_TIMEOUT_ATTR, connectMs)
                        .metadata(RESPONSE_TIMEOUT_ATTR, millis(limits.responseTimeout()))
                        .uri(target))
                .build();
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }
}
