package io.vlsuite.gateway.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Size limits and timeouts ({@code vlsuite.gateway.limits.*}). The header size limit is Netty's
 * {@code server.max-http-request-header-size}.
 *
 * @param maxRequestBodySize  largest request body, counted as it streams (so chunked bodies are caught too)
 * @param connectTimeout      connecting to preprocess-service
 * @param responseTimeout     JSON routes: until preprocess-service sends its response headers (then 504)
 * @param streamingResponseTimeout streaming routes: until the response headers (generation may queue first)
 * @param idleTimeout         longest silence between two chunks of a response body, all routes; the connection
 *                            is closed when it passes (streams have no total time limit at the gateway)
 */
@Validated
@ConfigurationProperties("vlsuite.gateway.limits")
public record LimitsProperties(
        @DefaultValue("32MB") @NotNull DataSize maxRequestBodySize,
        @DefaultValue("2s") @NotNull Duration connectTimeout,
        @DefaultValue("60s") @NotNull Duration responseTimeout,
        @DefaultValue("10m") @NotNull Duration streamingResponseTimeout,
        @DefaultValue("2m") @NotNull Duration idleTimeout) {
}
