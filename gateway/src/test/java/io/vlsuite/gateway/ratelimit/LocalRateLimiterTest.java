package io.vlsuite.gateway.ratelimit;

import io.vlsuite.gateway.config.RateLimitProperties.TenantLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRateLimiterTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final LocalRateLimiter limiter = new LocalRateLimiter(now::get);
    final TenantLimits twoPerSecondBurstFour = new TenantLimits(2, 4, 1);

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        for (int i = 0; i < 4; i++) {
            RateLimitDecision d = limiter.consume("t", twoPerSecondBurstFour);
            assertThat(d.allowed()).isTrue();
            assertThat(d.remaining()).isEqualTo(3 - i);
        }
        RateLimitDecision denied = limiter.consume("t", twoPerSecondBurstFour);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(500));
        assertThat(denied.resetAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(denied.headers().getFirst("Retry-After")).isEqualTo("1");

        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.consume("t", twoPerSecondBurstFour).allowed()).isTrue();
        assertThat(limiter.consume("t", twoPerSecondBurstFour).allowed()).isFalse();
    }

    @Test
    void aLongPauseRefillsOnlyUpToTheBurst() {
        for (int i = 0; i < 4; i++) {
            limiter.consume("t", twoPerSecondBurstFour);
        }
        now.addAndGet(Duration.ofHours(1).toNanos());
        int allowed = 0;
        while (limiter.consume("t", twoPerSecondBurstFour).allowed()) {
            allowed++;
        }
        assertThat(allowed).isEqualTo(4);
    }

    @Test
    void tenantsHaveSeparateBuckets() {
        for (int i = 0; i < 4; i++) {
            limiter.consume("a", twoPerSecondBurstFour);
        }
        assertThat(limiter.consume("a", twoPerSecondBurstFour).allowed()).isFalse();
        assertThat(limiter.consume("b", twoPerSecondBurstFour).allowed()).isTrue();
    }
}
