package io.vlsuite.gateway;

import io.vlsuite.gateway.support.Downstream;
import io.vlsuite.gateway.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of a stand-in downstream HTTP server on loopback: routing of /v1 and the API docs,
 * request ids, problem+json for unknown paths, CORS, and health that follows the downstream's readiness.
 */
class GatewayRoutingTest {

    static final String KEY = "sk-routing-test-0123456789abcdef";
    static Downstream downstream;
    static TestGateway gateway;
    static volatile int readinessStatus = 200;

    @BeforeAll
    static void start() {
        downstream = Downstream.start()
                .onRaw("/actuator/health/readiness", exchange -> Downstream.respond(exchange, readinessStatus,
                        "application/json", "{\"status\":\"" + (readinessStatus == 200 ? "UP" : "OUT_OF_SERVICE") + "\"}"))
                .on("/v3/api-docs", exchange -> Downstream.respond(exchange, 200, "application/json", "{\"openapi\":\"3.1.0\"}"));
        gateway = TestGateway.start(downstream.uri(),
                "vlsuite.gateway.api-keys[0].key=" + KEY,
                "vlsuite.gateway.api-keys[0].tenant=default",
                "vlsuite.gateway.cors.allowed-origins=https://app.example.com");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        downstream.close();
    }

    @Test
    void routesV1ToPreprocessServiceWithARequestId() {
        var response = gateway.get("/v1/models", "X-Request-Id", "abc-123", "Authorization", "Bearer " + KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
        assertThat(downstream.last().path()).isEqualTo("/v1/models");
        assertThat(downstream.last().header("X-Request-Id")).isEqualTo("abc-123");
    }

    @Test
    void replacesAnUnsafeRequestIdWithAGeneratedOne() {
        var response = gateway.get("/v1/models", "X-Request-Id", "bad id\twith spaces", "Authorization", "Bearer " + KEY);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(
                id -> assertThat(id).matches("[0-9a-f-]{36}"));
        assertThat(downstream.last().header("X-Request-Id"))
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void forwardingHeadersFromClientsDoNotReachTheServices() {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + KEY,
                "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https",
                "X-Forwarded-Port", "1", "X-Forwarded-Prefix", "/x", "Forwarded", "for=203.0.113.9;host=evil.example",
                "X-Real-IP", "203.0.113.9");
        assertThat(response.statusCode()).isEqualTo(200);
        var seen = downstream.last();
        for (String header : new String[] {"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
                "X-Forwarded-Prefix", "Forwarded", "X-Real-IP"}) {
            assertThat(seen.header(header)).as(header).isNotIn("203.0.113.9", "evil.example", "https", "1", "/x",
                    "for=203.0.113.9;host=evil.example");
        }
    }

    @Test
    void servesTheApiDocumentWithoutCredentials() {
        var response = gateway.get("/v3/api-docs");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("openapi");
    }

    @Test
    void unknownPathsAreProblemJson404s() {
        var response = gateway.get("/nope", "Authorization", "Bearer " + KEY);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        var problem = TestGateway.json(response.body());
        assertThat(problem.get("code").asString()).isEqualTo("not_found");
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("type").asString()).isEqualTo("https://errors.vlsuite.io/not_found");
        assertThat(problem.get("instance").asString()).isEqualTo("/nope");
    }

    @Test
    void answersCorsPreflightForAllowedOriginsOnly() {
        var allowed = gateway.send(gateway.request("/v1/chat/completions")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");

        var refused = gateway.send(gateway.request("/v1/chat/completions")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void exposesRequestIdAndRateLimitHeadersToBrowsers() {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + KEY, "Origin", "https://app.example.com");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(response.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(
                v -> assertThat(v).contains("X-Request-Id").contains("Retry-After").contains("X-RateLimit-Remaining"));
    }

    @Test
    void healthFollowsDownstreamReadinessWithoutCredentials() {
        readinessStatus = 200;
        var up = gateway.get("/actuator/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\":\"UP\"").contains("preprocessService");

        readinessStatus = 503;
        try {
            var down = gateway.get("/actuator/health");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"");
        } finally {
            readinessStatus = 200;
        }
    }

    @Test
    void doesNotExposeTheGatewayActuatorEndpoint() {
        assertThat(gateway.get("/actuator/gateway/routes").statusCode()).isEqualTo(404);
        var post = gateway.send(gateway.request("/actuator/gateway/refresh").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(404);
    }

    @Test
    void exposesPrometheusMetricsWithoutCredentials() {
        var response = gateway.get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }
}
