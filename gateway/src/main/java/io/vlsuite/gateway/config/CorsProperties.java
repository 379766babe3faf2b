package io.vlsuite.gateway.config;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * CORS for browser clients ({@code vlsuite.gateway.cors.*}); off while no origin is allowed.
 *
 * @param allowedOrigins        exact origins, e.g. {@code https://app.example.com}
 * @param allowedOriginPatterns patterns, e.g. {@code https://*.example.com}
 * @param allowedMethods        methods allowed in cross-origin requests
 * @param allowedHeaders        request headers allowed in cross-origin requests
 * @param exposedHeaders        response headers the browser lets scripts read
 * @param allowCredentials      whether cookies/credentials may be sent (not needed for bearer tokens)
 * @param maxAge                how long browsers may cache a preflight answer
 */
@Validated
@ConfigurationProperties("vlsuite.gateway.cors")
public record CorsProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue List<String> allowedOriginPatterns,
        @DefaultValue({"GET", "POST", "DELETE", "OPTIONS"}) List<String> allowedMethods,
        @DefaultValue({"Authorization", "Content-Type", "X-API-Key", "X-Request-Id", "Idempotency-Key"}) List<String> allowedHeaders,
        @DefaultValue({"X-Request-Id", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}) List<String> exposedHeaders,
        @DefaultValue("false") boolean allowCredentials,
        @DefaultValue("30m") @NotNull Duration maxAge) {

    public boolean enabled() {
        return !allowedOrigins.isEmpty() || !allowedOriginPatterns.isEmpty();
    }
}
