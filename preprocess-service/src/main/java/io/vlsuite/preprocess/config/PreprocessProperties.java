package io.vlsuite.preprocess.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the public API service ({@code vlsuite.preprocess.*}); every one is documented in
 * {@code docs/configuration.md} and {@code docs/api.md}.
 *
 * @param modelId   the model name clients pass as {@code model} and see in {@code GET /v1/models}
 * @param limits    what one request may ask for
 * @param admission when to shed load (before any media work)
 * @param jobs      timeouts of sync requests, async jobs and Kafka publishing
 * @param webhooks  signing, SSRF guard and retries of webhook deliveries
 * @param tenancy   where the tenant comes from
 */
@Validated
@ConfigurationProperties("vlsuite.preprocess")
public record PreprocessProperties(
        @NotBlank String modelId,
        @Valid @DefaultValue Limits limits,
        @Valid @DefaultValue Admission admission,
        @Valid @DefaultValue Jobs jobs,
        @Valid @DefaultValue Webhooks webhooks,
        @Valid @DefaultValue Tenancy tenancy) {

    /**
     * Request limits. Numbers above them are rejected with 400, never clamped silently (except {@code max_tokens},
     * which defaults to {@code defaultMaxTokens} when the client sends none).
     *
     * @param maxBodyBytes     largest request body (JSON with data URLs); larger ones answer 413 even when chunked
     * @param maxMessages      messages per request
     * @param maxMediaItems    image and video parts per request, checked before any fetch or decode
     * @param maxN             largest {@code n}
     * @param maxTokens        largest {@code max_tokens}/{@code max_completion_tokens}
     * @param defaultMaxTokens {@code max_tokens} when the request has none
     * @param maxStop          stop strings per request
     * @param maxTopLogprobs   largest {@code top_logprobs}
     * @param minPixels        smallest {@code mm_processor_kwargs.min_pixels} a request may ask for
     * @param maxPixels        largest {@code mm_processor_kwargs.max_pixels} a request may ask for
     */
    public record Limits(
            @DefaultValue("67108864") @Min(1024) long maxBodyBytes,
            @DefaultValue("256") @Min(1) int maxMessages,
            @DefaultValue("8") @Min(0) int maxMediaItems,
            @DefaultValue("8") @Min(1) @Max(128) int maxN,
            @DefaultValue("8192") @Min(1) int maxTokens,
            @DefaultValue("1024") @Min(1) int defaultMaxTokens,
            @DefaultValue("16") @Min(0) int maxStop,
            @DefaultValue("20") @Min(0) int maxTopLogprobs,
            @DefaultValue("3136") @Min(784) int minPixels,
            @DefaultValue("12845056") @Min(784) int maxPixels) {
    }

    /**
     * Load shedding, checked before any media is fetched or decoded. Counts are per instance: jobs this instance
     * accepted that have not reached a terminal event yet.
     *
     * @param maxInFlightPerTenant more in-flight jobs of one tenant answer 429 {@code overloaded}
     * @param maxInFlight          more in-flight jobs in total answer 503 {@code overloaded}
     * @param retryAfter           the {@code Retry-After} the rejections carry
     */
    public record Admission(
            @DefaultValue("64") @Min(1) int maxInFlightPerTenant,
            @DefaultValue("512") @Min(1) int maxInFlight,
            @DefaultValue("2s") @NotNull Duration retryAfter) {
    }

    /**
     * @param requestTimeout     how long a sync or streaming request waits for its job; then 504 and the job is cancelled
     * @param asyncTtl           an async job not finished after this long is {@code expired}
     * @param publishTimeout     how long a Kafka publish may take before the request answers 503
     * @param keepAlive          interval of SSE comment lines on quiet streams (also how fast a disconnect is noticed)
     * @param eventsPollInterval how often {@code GET /v1/jobs/{id}/events} re-reads the job document (catches
     *                           cancellation and expiry that no worker announces)
     * @param stateGroupId       consumer group shared by all instances that keeps job documents and webhooks up to
     *                           date (each event is handled by one instance)
     */
    public record Jobs(
            @DefaultValue("300s") @NotNull Duration requestTimeout,
            @DefaultValue("24h") @NotNull Duration asyncTtl,
            @DefaultValue("10s") @NotNull Duration publishTimeout,
            @DefaultValue("10s") @NotNull Duration keepAlive,
            @DefaultValue("1s") @NotNull Duration eventsPollInterval,
            @DefaultValue("vlsuite-preprocess-state") @NotBlank String stateGroupId) {
    }

    /**
     * Webhooks of async jobs, signed per Standard Webhooks.
     *
     * @param secret         the signing secret ({@code whsec_} + base64 of 24..64 random bytes) for tenants without
     *                       their own; {@code VLSUITE_WEBHOOK_SECRET}. When empty, one is generated at start-up and
     *                       logged once (fine for a laptop, not for production)
     * @param tenantSecrets  per-tenant secrets, tenant name to {@code whsec_...}
     * @param allowLoopback  whether targets on loopback are allowed (the standalone mode sets it; production must not)
     * @param allowPrivate   whether targets on private, link-local, ULA or CGNAT addresses are allowed
     * @param maxAttempts    delivery attempts per webhook, first included
     * @param initialBackoff pause before the second attempt; doubles each time
     * @param maxBackoff     the longest pause between attempts
     * @param timeout        connect plus response time limit of one attempt
     */
    public record Webhooks(
            @DefaultValue("") String secret,
            @DefaultValue Map<String, String> tenantSecrets,
            @DefaultValue("false") boolean allowLoopback,
            @DefaultValue("false") boolean allowPrivate,
            @DefaultValue("6") @Min(1) @Max(20) int maxAttempts,
            @DefaultValue("1s") @NotNull Duration initialBackoff,
            @DefaultValue("5m") @NotNull Duration maxBackoff,
            @DefaultValue("10s") @NotNull Duration timeout) {
    }

    /**
     * @param header        the header the gateway puts the authenticated tenant in
     * @param defaultTenant the tenant of calls without it (direct calls in the standalone mode)
     */
    public record Tenancy(
            @DefaultValue("X-Vlsuite-Tenant") @NotBlank String header,
            @DefaultValue("default") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}") String defaultTenant) {
    }
}
