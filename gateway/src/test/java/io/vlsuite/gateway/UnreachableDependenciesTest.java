package io.vlsuite.gateway;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vlsuite.gateway.support.Downstream;
import io.vlsuite.gateway.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own dependencies unreachable (closed loopback ports). Redis: the documented decision is that
 * traffic keeps flowing, the limits are still enforced per instance by the in-memory fallback, and every fallback
 * is counted. JWKS: JWTs cannot be verified, which is a 503 to retry (not a 401), while API keys keep working.
 */
class UnreachableDependenciesTest {

    static final String KEY = "sk-redis-down-0123456789abcdef0";
    static final String WARM_UP_KEY = "sk-warm-up-0123456789abcdef0123";
    static Downstream downstream;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        int closedPort = closedPort();
        downstream = Downstream.start();
        gateway = TestGateway.start(downstream.uri(),
                "vlsuite.gateway.api-keys[0].key=" + KEY,
                "vlsuite.gateway.api-keys[0].tenant=acme",
                "vlsuite.gateway.api-keys[1].key=" + WARM_UP_KEY,
                "vlsuite.gateway.api-keys[1].tenant=warm-up",
                "vlsuite.gateway.rate-limit.requests-per-second=0.1",
                "vlsuite.gateway.rate-limit.burst=2",
                "vlsuite.gateway.rate-limit.redis.uri=redis://127.0.0.1:" + closedPort,
                "vlsuite.gateway.rate-limit.redis.timeout=200ms",
                "vlsuite.gateway.jwt.jwk-set-uri=http://127.0.0.1:" + closedPort() + "/jwks",
                "vlsuite.gateway.jwt.issuer=https://issuer.example.com",
                "vlsuite.gateway.jwt.audiences=vlsuite-api");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        downstream.close();
    }

    @Test
    void redisDownServesTrafficAndEnforcesLimitsLocally() {
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

    @Test
    void jwtWhileTheJwksIsUnreachableIs503ToRetry() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().issuer("https://issuer.example.com").audience("vlsuite-api")
                        .claim("tenant", "acme").expirationTime(java.util.Date.from(Instant.now().plusSeconds(60))).build());
        jwt.sign(new RSASSASigner(key));

        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt.serialize());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(TestGateway.json(response.body()).get("code").asString()).isEqualTo("authentication_unavailable");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.body()).doesNotContain("127.0.0.1"); // no internal addresses in answers
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static double failures() {
        Matcher m = Pattern.compile("(?m)^vlsuite_gateway_ratelimit_redis_failures_total(?:\\{[^}]*})? ([0-9.eE+]+)$")
                .matcher(gateway.metrics());
        assertThat(m.find()).as("redis failure counter is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
