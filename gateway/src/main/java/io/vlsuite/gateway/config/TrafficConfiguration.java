package io.vlsuite.gateway.config;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vlsuite.gateway.limits.RequestBodySizeFilter;
import io.vlsuite.gateway.limits.ResponseIdleTimeoutFilter;
import io.vlsuite.gateway.problem.ProblemClassifier;
import io.vlsuite.gateway.ratelimit.ConcurrencyLimitFilter;
import io.vlsuite.gateway.ratelimit.FallbackRateLimiter;
import io.vlsuite.gateway.ratelimit.LocalRateLimiter;
import io.vlsuite.gateway.ratelimit.RateLimitFilter;
import io.vlsuite.gateway.ratelimit.RateLimiter;
import io.vlsuite.gateway.ratelimit.RedisRateLimiter;
import io.vlsuite.gateway.resilience.DownstreamCircuitBreakerFilter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

import java.time.Duration;

/** Rate and concurrency limits, size limits, idle timeout, circuit breaker, and the problem classification. */
@Configuration(proxyBeanMethods = false)
public class TrafficConfiguration {

    /** Retry-After for a refused connection to the downstream: a restart usually takes a few seconds. */
    private static final Duration UPSTREAM_DOWN_RETRY_AFTER = Duration.ofSeconds(5);

    @Bean
    ProblemClassifier problemClassifier() {
        return new ProblemClassifier(UPSTREAM_DOWN_RETRY_AFTER);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("vlsuite.gateway.rate-limit.redis.uri")
    RedisRateLimiter redisRateLimiter(RateLimitProperties properties) {
        return new RedisRateLimiter(properties.redis());
    }

    /** What the filter uses: Redis with the local fallback when Redis is configured, else the local buckets. */
    @Bean
    @Primary
    RateLimiter rateLimiter(ObjectProvider<RedisRateLimiter> redis, MeterRegistry meters) {
        LocalRateLimiter local = new LocalRateLimiter();
        RedisRateLimiter shared = redis.getIfAvailable();
        return shared == null ? local : new FallbackRateLimiter(shared, local, meters);
    }

    @Bean
    @ConditionalOnProperty(name = "vlsuite.gateway.rate-limit.enabled", matchIfMissing = true)
    RateLimitFilter rateLimitFilter(RateLimiter limiter, RateLimitProperties properties, MeterRegistry meters) {
        return new RateLimitFilter(limiter, properties, meters);
    }

    @Bean
    @ConditionalOnProperty(name = "vlsuite.gateway.rate-limit.enabled", matchIfMissing = true)
    ConcurrencyLimitFilter concurrencyLimitFilter(RateLimitProperties properties, MeterRegistry meters) {
        return new ConcurrencyLimitFilter(properties, meters);
    }

    @Bean
    RequestBodySizeFilter requestBodySizeFilter(LimitsProperties limits) {
        return new RequestBodySizeFilter(limits.maxRequestBodySize().toBytes());
    }

    @Bean
    ResponseIdleTimeoutFilter responseIdleTimeoutFilter(LimitsProperties limits, MeterRegistry meters) {
        return new ResponseIdleTimeoutFilter(limits.idleTimeout(), meters);
    }

    @Bean
    CircuitBreakerRegistry downstreamCircuitBreakers(CircuitBreakerProperties properties, MeterRegistry meters) {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.slidingWindowSize())
                .minimumNumberOfCalls(properties.minimumNumberOfCalls())
                .failureRateThreshold(properties.failureRateThreshold())
                .waitDurationInOpenState(properties.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(properties.permittedCallsInHalfOpenState())
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    @Bean
    @ConditionalOnProperty(name = "vlsuite.gateway.circuit-breaker.enabled", matchIfMissing = true)
    DownstreamCircuitBreakerFilter downstreamCircuitBreakerFilter(CircuitBreakerRegistry registry,
                                                                  CircuitBreakerProperties properties,
                                                                  ProblemClassifier classifier) {
        return new DownstreamCircuitBreakerFilter(registry, properties, classifier);
    }
}
