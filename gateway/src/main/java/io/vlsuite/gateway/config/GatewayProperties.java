package io.vlsuite.gateway.config;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the gateway ({@code vlsuite.gateway.*}); the other groups (api keys, JWT, limits, ...) have records
 * of their own in this package.
 *
 * @param preprocessUri           base URI of preprocess-service, where {@code /v1/**} and the API docs are routed
 * @param downstreamHealthTimeout how long the gateway's health check waits for preprocess-service's readiness
 * @param problemTypeBase         base of the {@code type} URI in problem+json bodies ({@code <base><code>})
 * @param streamingPaths          path patterns whose responses may be long streams (SSE): they get the streaming
 *                                response timeout instead of the JSON one
 * @param publicPaths             path patterns routed to preprocess-service without authentication or rate limits
 *                                (the OpenAPI document and its UI)
 */
@Validated
@ConfigurationProperties("vlsuite.gateway")
public record GatewayProperties(
        @NotNull URI preprocessUri,
        @NotNull Duration downstreamHealthTimeout,
        @DefaultValue("https://errors.vlsuite.io/") @NotNull URI problemTypeBase,
        @DefaultValue({"/v1/chat/completions", "/v1/completions", "/v1/jobs/*/events"}) @NotEmpty List<String> streamingPaths,
        @DefaultValue({"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/docs", "/docs/**"})
        List<String> publicPaths) {
}
