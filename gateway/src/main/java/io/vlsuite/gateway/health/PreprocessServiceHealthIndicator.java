package io.vlsuite.gateway.health;

import io.vlsuite.gateway.config.GatewayProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Reports preprocess-service's readiness in the gateway's own health, so that one {@code GET /actuator/health}
 * on the public port tells whether requests can be served (preprocess-service itself checks Kafka and S3).
 */
@Component("preprocessService")
public class PreprocessServiceHealthIndicator implements ReactiveHealthIndicator {

    private final WebClient client;
    private final GatewayProperties properties;

    public PreprocessServiceHealthIndicator(GatewayProperties properties) {
        this.client = WebClient.builder().baseUrl(properties.preprocessUri().toString()).build();
        this.properties = properties;
    }

    @Override
    public Mono<Health> health() {
        // Only the status code counts: 200 when preprocess-service is ready, 503 when it is not.
        return client.get().uri("/actuator/health/readiness")
                .exchangeToMono(response -> response.releaseBody().thenReturn(
                        (response.statusCode().is2xxSuccessful() ? Health.up() : Health.down())
                                .withDetail("uri", properties.preprocessUri().toString())
                                .withDetail("readinessHttpStatus", response.statusCode().value())
                                .build()))
                .timeout(properties.downstreamHealthTimeout())
                .onErrorResume(e -> Mono.just(Health.down()
                        .withDetail("uri", properties.preprocessUri().toString())
                        .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
                        .build()));
    }
}
