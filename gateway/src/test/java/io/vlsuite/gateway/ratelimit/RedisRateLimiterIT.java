package io.vlsuite.gateway.ratelimit;

import io.vlsuite.gateway.config.RateLimitProperties;
import io.vlsuite.gateway.config.RateLimitProperties.TenantLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a real Redis, only when {@code VLSUITE_TEST_REDIS_URI} is set (e.g. {@code redis://127.0.0.1:6379}
 * after {@code apt-get install -y redis-server}); CI without Redis skips it. Two limiter instances stand for two
 * gateway instances sharing one bucket.
 */
@EnabledIfEnvironmentVariable(named = "VLSUITE_TEST_REDIS_URI", matches = "redis.*")
class RedisRateLimiterIT {

    @Test
    void twoGatewayInstancesShareOneBucket() throws Exception {
        var config = new RateLimitProperties.Redis(URI.create(System.getenv("VLSUITE_TEST_REDIS_URI")),
                Duration.ofSeconds(1), "vlsuite-test:" + UUID.randomUUID() + ":", Duration.ofMillis(100));
        TenantLimits limits = new TenantLimits(1, 3, 1);
        try (var a = new RedisRateLimiter(config); var b = new RedisRateLimiter(config)) {
            awaitConnected(a);
            awaitConnected(b);
            assertThat(a.tryConsume("t", limits).block().remaining()).isEqualTo(2);
            assertThat(b.tryConsume("t", limits).block().remaining()).isEqualTo(1);
            assertThat(a.tryConsume("t", limits).block().allowed()).isTrue();
            RateLimitDecision denied = b.tryConsume("t", limits).block();
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));

            Thread.sleep(1100); // Redis' clock refills one token per second
            assertThat(a.tryConsume("t", limits).block().allowed()).isTrue();
            assertThat(b.tryConsume("other", limits).block().allowed()).isTrue();
        }
    }

    private static void awaitConnected(RedisRateLimiter limiter) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                limiter.tryConsume("warm-up-" + UUID.randomUUID(), new TenantLimits(1, 1, 1)).block();
                return;
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("no connection to Redis");
    }
}
