package io.vlsuite.gateway.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of the gateway ({@code vlsuite.gateway.*}).
 *
 * @param preprocessUri         base URI of preprocess-service, where {@code /v1/**} is routed
 * @param downstreamHealthTimeout how long the gateway's health check waits for preprocess-service's readiness
 */
@Validated
@ConfigurationProperties("vlsuite.gateway")
public record GatewayProperties(
        @NotNull URI preprocessUri,
        @NotNull Duration downstreamHealthTimeout) {
}
