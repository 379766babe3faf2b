package io.vlsuite.gateway.resilience;

import com.sun.net.httpserver.HttpServer;
import io.vlsuite.gateway.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * preprocess-service going down and coming back: fast 503s while it refuses connections, the breaker opening
 * (then the downstream is not even tried), and closing again after the open-state wait.
 */
class CircuitBreakerTest {

    static final String KEY = "sk-breaker-0123456789abcdef01234";
    static int port;
    static HttpServer downstream;
    static final AtomicInteger calls = new AtomicInteger();
    static TestGateway gateway;

    @BeforeAll
    static void start() throws IOException {
        downstream = startDownstream(0);
        port = downstream.getAddress().getPort();
        gateway = TestGateway.start(URI.create("http://127.0.0.1:" + port),
                "vlsuite.gateway.api-keys[0].key=" + KEY,
                "vlsuite.gateway.api-keys[0].tenant=acme",
                "vlsuite.gateway.rate-limit.enabled=false",
                "vlsuite.gateway.circuit-breaker.failure-rate-threshold=100",
                "vlsuite.gateway.circuit-breaker.sliding-window-size=3",
                "vlsuite.gateway.circuit-breaker.minimum-number-of-calls=3",
                "vlsuite.gateway.circuit-breaker.wait-duration-in-open-state=2s",
                "vlsuite.gateway.circuit-breaker.permitted-calls-in-half-open-state=1");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        downstream.stop(0);
    }

    @Test
    void downstreamDownIsAFast503ThenTheBreakerOpensAndLaterCloses() throws Exception {
        assertThat(get().statusCode()).isEqualTo(200);

        downstream.stop(0); // connections are now refused
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertUpstreamUnavailable(response);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(elapsedMs).isLessThan(2000);
        }

        // Three failures out of three: open. The downstream is back, but the breaker does not try it yet.
        downstream = startDownstream(port);
        int before = calls.get();
        long start = System.nanoTime();
        HttpResponse<String> open = get();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
        assertUpstreamUnavailable(open);
        assertThat(open.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(calls.get()).isEqualTo(before);
        assertThat(gateway.metrics()).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*state=\"open\"[^}]*} 1.0");

        Thread.sleep(2200);
        assertThat(get().statusCode()).isEqualTo(200); // half-open trial call succeeds
        assertThat(get().statusCode()).isEqualTo(200);
        assertThat(calls.get()).isEqualTo(before + 2);
    }

    private static HttpResponse<String> get() {
        return gateway.get("/v1/models", "Authorization", "Bearer " + KEY);
    }

    private static void assertUpstreamUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(TestGateway.json(response.body()).get("code").asString()).isEqualTo("upstream_unavailable");
    }

    private static HttpServer startDownstream(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }
}
