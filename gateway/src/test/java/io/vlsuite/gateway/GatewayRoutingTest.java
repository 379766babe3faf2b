package io.vlsuite.gateway;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway in front of a stand-in downstream HTTP server on loopback: /v1 routing, request ids, and health
 * that follows the downstream service's readiness.
 */
class GatewayRoutingTest {

    static HttpServer downstream;
    static ConfigurableApplicationContext gateway;
    static final AtomicReference<String> seenRequestId = new AtomicReference<>();
    static volatile int readinessStatus = 200;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        downstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        downstream.createContext("/v1/models", exchange -> {
            seenRequestId.set(exchange.getRequestHeaders().getFirst("X-Request-Id"));
            byte[] body = "{\"object\":\"list\",\"data\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        downstream.createContext("/actuator/health/readiness", exchange -> {
            byte[] body = ("{\"status\":\"" + (readinessStatus == 200 ? "UP" : "OUT_OF_SERVICE") + "\"}").getBytes();
            exchange.sendResponseHeaders(readinessStatus, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        downstream.start();
        gateway = GatewayApplication.builder().run("--server.port=0",
                "--vlsuite.gateway.preprocess-uri=http://127.0.0.1:" + downstream.getAddress().getPort(),
                "--logging.structured.format.console=");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        downstream.stop(0);
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port") + path);
    }

    @Test
    void routesV1ToPreprocessServiceWithARequestId() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/v1/models")).header("X-Request-Id", "abc-123").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"object\":\"list\"");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
        assertThat(seenRequestId.get()).isEqualTo("abc-123");
    }

    @Test
    void replacesAnUnsafeRequestIdWithAGeneratedOne() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/v1/models")).header("X-Request-Id", "bad id\twith spaces").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Request-Id")).hasValueSatisfying(
                id -> assertThat(id).matches("[0-9a-f-]{36}"));
        assertThat(seenRequestId.get()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }

    @Test
    void healthFollowsDownstreamReadiness() throws Exception {
        readinessStatus = 200;
        var up = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(up.body()).contains("\"status\":\"UP\"").contains("preprocessService");

        readinessStatus = 503;
        try {
            var down = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"");
        } finally {
            readinessStatus = 200;
        }
    }

    @Test
    void doesNotExposeTheGatewayActuatorEndpoint() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/actuator/gateway/routes")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void exposesPrometheusMetrics() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }
}
