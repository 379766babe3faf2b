package io.vlsuite.gateway.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.Set;

/**
 * The circuit breaker in front of preprocess-service ({@code vlsuite.gateway.circuit-breaker.*}), Resilience4j
 * count-based. Failures are connect errors, I/O errors, timeouts and the response statuses listed here.
 *
 * @param enabled                 false forwards every request whatever the downstream's state
 * @param failureRateThreshold    percentage of failed calls in the window that opens the breaker
 * @param slidingWindowSize       calls in the window
 * @param minimumNumberOfCalls    calls needed before the rate is judged
 * @param waitDurationInOpenState how long the breaker answers 503 at once before it lets test calls through;
 *                                also the {@code Retry-After} of those 503s
 * @param permittedCallsInHalfOpenState test calls
 * @param failureStatusCodes      downstream statuses that count as failures
 */
@Validated
@ConfigurationProperties("vlsuite.gateway.circuit-breaker")
public record CircuitBreakerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("50") @Min(1) @Max(100) float failureRateThreshold,
        @DefaultValue("20") @Min(1) int slidingWindowSize,
        @DefaultValue("10") @Min(1) int minimumNumberOfCalls,
        @DefaultValue("10s") @NotNull Duration waitDurationInOpenState,
        @DefaultValue("3") @Min(1) int permittedCallsInHalfOpenState,
        @DefaultValue({"502", "503", "504"}) Set<Integer> failureStatusCodes) {
}
