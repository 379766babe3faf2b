package io.vlsuite.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Per-tenant limits ({@code vlsuite.gateway.rate-limit.*}): a token bucket of requests and a cap on concurrent
 * in-flight requests. {@code tenants.<id>.*} overrides any of the three defaults for one tenant.
 *
 * @param enabled               false switches both limits off
 * @param requestsPerSecond     bucket refill rate
 * @param burst                 bucket size: requests allowed at once after a quiet period
 * @param maxConcurrentRequests requests of one tenant in flight at once; a stream counts until it ends
 * @param tenants               overrides per tenant id
 * @param redis                 a shared bucket store; empty {@code uri} means in-memory, per gateway instance
 */
@Validated
@ConfigurationProperties("vlsuite.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") @Positive double requestsPerSecond,
        @DefaultValue("20") @Min(1) int burst,
        @DefaultValue("16") @Min(1) int maxConcurrentRequests,
        @DefaultValue Map<String, @Valid TenantOverride> tenants,
        @DefaultValue @Valid Redis redis) {

    /** The limits that apply to one tenant. */
    public TenantLimits limitsFor(String tenant) {
        TenantOverride o = tenants.get(tenant);
        if (o == null) {
            return new TenantLimits(requestsPerSecond, burst, maxConcurrentRequests);
        }
        return new TenantLimits(
                o.requestsPerSecond() != null ? o.requestsPerSecond() : requestsPerSecond,
                o.burst() != null ? o.burst() : burst,
                o.maxConcurrentRequests() != null ? o.maxConcurrentRequests() : maxConcurrentRequests);
    }

    public record TenantOverride(@Positive Double requestsPerSecond, @Min(1) Integer burst, @Min(1) Integer maxConcurrentRequests) {
    }

    public record TenantLimits(double requestsPerSecond, int burst, int maxConcurrentRequests) {
    }

    /**
     * @param uri              {@code redis://host:port} (or {@code rediss://}); unset means in-memory buckets
     * @param timeout          how long one bucket update may take before the local fallback answers
     * @param keyPrefix        prefix of the bucket keys
     * @param reconnectBackoff how long to wait before another connect attempt after one failed
     */
    public record Redis(
            URI uri,
            @DefaultValue("250ms") @NotNull Duration timeout,
            @DefaultValue("vlsuite:ratelimit:") @NotNull String keyPrefix,
            @DefaultValue("5s") @NotNull Duration reconnectBackoff) {
    }
}
