package io.vlsuite.gateway.ratelimit;

import io.vlsuite.gateway.support.Downstream;
import io.vlsuite.gateway.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-tenant request rate and concurrency limits through the real gateway (in-memory buckets). */
class RateLimitTest {

    static final String SLOW_TENANT_KEY = "sk-limited-0123456789abcdef0123";
    static final String BUSY_TENANT_KEY = "sk-busy-0123456789abcdef0123456";
    static final String OTHER_TENANT_KEY = "sk-other-0123456789abcdef012345";

    static Downstream downstream;
    static TestGateway gateway;
    static volatile CountDownLatch release = new CountDownLatch(0);
    static final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() {
        downstream = Downstream.start().on("/v1/hold", exchange -> {
            held.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Downstream.respond(exchange, 200, "application/json", "{}");
        });
        gateway = TestGateway.start(downstream.uri(),
                "vlsuite.gateway.api-keys[0].key=" + SLOW_TENANT_KEY,
                "vlsuite.gateway.api-keys[0].tenant=limited",
                "vlsuite.gateway.api-keys[1].key=" + BUSY_TENANT_KEY,
                "vlsuite.gateway.api-keys[1].tenant=busy",
                "vlsuite.gateway.api-keys[2].key=" + OTHER_TENANT_KEY,
                "vlsuite.gateway.api-keys[2].tenant=other",
                "vlsuite.gateway.rate-limit.requests-per-second=100",
                "vlsuite.gateway.rate-limit.burst=100",
                "vlsuite.gateway.rate-limit.max-concurrent-requests=50",
                "vlsuite.gateway.rate-limit.tenants.limited.requests-per-second=0.2",
                "vlsuite.gateway.rate-limit.tenants.limited.burst=3",
                "vlsuite.gateway.rate-limit.tenants.busy.max-concurrent-requests=2");
    }

    @AfterAll
    static void stop() {
        release.countDown();
        gateway.close();
        downstream.close();
    }

    @Test
    void burstAboveTheBucketIs429WithRetryAfterAndRateLimitHeaders() {
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(gateway.get("/v1/models", "Authorization", "Bearer " + SLOW_TENANT_KEY,
                    "X-Forwarded-For", "10.0.0." + i)); // a spoofed client address must not give a new bucket
        }
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = responses.get(i);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
            assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).hasValue(Integer.toString(2 - i));
            assertThat(ok.headers().firstValue("X-RateLimit-Reset")).isPresent();
        }
        HttpResponse<String> limited = responses.get(3);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestGateway.json(limited.body()).get("code").asString()).isEqualTo("rate_limited");
        // One token every 5 s at 0.2/s: the client is told to wait up to 5 s, and at least 1.
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 5);
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(limited.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
        assertThat(Integer.parseInt(limited.headers().firstValue("X-RateLimit-Reset").orElseThrow())).isBetween(10, 15);

        // Other tenants have their own buckets.
        assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + OTHER_TENANT_KEY).statusCode()).isEqualTo(200);
        assertThat(gateway.metrics()).contains("vlsuite_gateway_ratelimit_rejected_total{limit=\"rate\",tenant=\"limited\"}");
    }

    @Test
    void concurrentRequestsAboveTheCapAre429UntilOneEnds() throws Exception {
        release = new CountDownLatch(1);
        held.set(0);
        try {
            var first = async("/v1/hold");
            var second = async("/v1/hold");
            awaitHeld(2);

            HttpResponse<String> third = gateway.get("/v1/models", "Authorization", "Bearer " + BUSY_TENANT_KEY);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(TestGateway.json(third.body()).get("code").asString()).isEqualTo("too_many_concurrent_requests");
            assertThat(third.headers().firstValue("Retry-After")).hasValue("1");
            // Another tenant is not affected.
            assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + OTHER_TENANT_KEY).statusCode()).isEqualTo(200);

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
        }
        // The slot is released when the server finishes writing the body, which can be just after the client has it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gateway.bean(ConcurrencyLimitFilter.class).inFlight("busy") != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gateway.bean(ConcurrencyLimitFilter.class).inFlight("busy")).isZero();
        assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + BUSY_TENANT_KEY).statusCode()).isEqualTo(200);
    }

    private CompletableFuture<HttpResponse<String>> async(String path) {
        return gateway.http().sendAsync(gateway.request(path).header("Authorization", "Bearer " + BUSY_TENANT_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitHeld(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (held.get() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(held.get()).isEqualTo(n);
    }
}
