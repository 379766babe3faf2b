package io.vlsuite.gateway.ratelimit;

import io.vlsuite.gateway.support.Downstream;
import io.vlsuite.gateway.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented Redis-down decision: traffic keeps flowing, the limits are still enforced per instance by the
 * in-memory fallback, and every fallback decision is counted. Redis is "down" as a closed loopback port.
 */
class RedisDownTest {

    static final String KEY = "sk-redis-down-0123456789abcdef0";
    static final String WARM_UP_KEY = "sk-warm-up-0123456789abcdef0123";
    static Downstream downstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        downstream = Downstream.start();
        gateway = TestGateway.start(downstream.uri(),
                "vlsuite.gateway.api-keys[0].key=" + KEY,
                "vlsuite.gateway.api-keys[0].tenant=acme",
                "vlsuite.gateway.api-keys[1].key=" + WARM_UP_KEY,
                "vlsuite.gateway.api-keys[1].tenant=warm-up",
                "vlsuite.gateway.rate-limit.requests-per-second=0.1",
                "vlsuite.gateway.rate-limit.burst=2",
                "vlsuite.gateway.rate-limit.redis.uri=redis://127.0.0.1:" + closedPort,
                "vlsuite.gateway.rate-limit.redis.timeout=200ms");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        downstream.close();
    }

    @Test
    void servesTrafficAndEnforcesLimitsLocallyWhileRedisIsDown() {
        gateway.get("/v1/models", "Authorization", "Bearer " + WARM_UP_KEY); // first-request class loading, not Redis

        long start = System.nanoTime();
        assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + KEY).statusCode()).isEqualTo(200);
        var limited = gateway.get("/v1/models", "Authorization", "Bearer " + KEY);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(elapsedMs).as("no request waits for the dead Redis").isLessThan(2000);
        assertThat(failures()).isGreaterThanOrEqualTo(4);
    }

    private static double failures() {
        Matcher m = Pattern.compile("(?m)^vlsuite_gateway_ratelimit_redis_failures_total(?:\\{[^}]*})? ([0-9.eE+]+)$")
                .matcher(gateway.metrics());
        assertThat(m.find()).as("redis failure counter is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
