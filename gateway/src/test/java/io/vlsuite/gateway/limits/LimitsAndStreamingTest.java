package io.vlsuite.gateway.limits;

import io.vlsuite.gateway.support.Downstream;
import io.vlsuite.gateway.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Body and header size limits, the JSON response timeout, and SSE streaming (passed through chunk by chunk,
 * exempt from the JSON timeout, cut after the idle timeout).
 */
class LimitsAndStreamingTest {

    static final String KEY = "sk-limits-0123456789abcdef012345";
    static final String AUTH = "Bearer " + KEY;

    static Downstream downstream;
    static TestGateway gateway;
    static final CountDownLatch clientGotFirstEvent = new CountDownLatch(1);
    static final AtomicBoolean firstEventArrivedBeforeLastWasWritten = new AtomicBoolean();

    @BeforeAll
    static void start() {
        downstream = Downstream.start()
                .on("/v1/chat/completions", exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        write(out, "data: {\"delta\":\"one\"}\n\n");
                        // The last event is written only once the client has the first (or after 5 s): a gateway
                        // that buffers the stream makes this wait run out.
                        firstEventArrivedBeforeLastWasWritten.set(await(clientGotFirstEvent, 5000));
                        write(out, "data: {\"delta\":\"two\"}\n\n");
                        write(out, "data: [DONE]\n\n");
                    }
                })
                .on("/v1/jobs/stalled/events", exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    write(out, "data: started\n\n");
                    sleep(5000); // silence far beyond the idle timeout
                    try {
                        write(out, "data: too late\n\n");
                        out.close();
                    } catch (java.io.IOException expected) {
                        // the gateway has closed the connection
                    }
                })
                .on("/v1/slow-json", exchange -> {
                    sleep(5000);
                    Downstream.respond(exchange, 200, "application/json", "{}");
                })
                .on("/v1/completions", exchange -> {
                    sleep(2500); // longer than the JSON timeout, within the streaming one
                    Downstream.respond(exchange, 200, "application/json", "{\"slow\":true}");
                });
        gateway = TestGateway.start(downstream.uri(),
                "vlsuite.gateway.api-keys[0].key=" + KEY,
                "vlsuite.gateway.api-keys[0].tenant=acme",
                "vlsuite.gateway.rate-limit.enabled=false",
                "vlsuite.gateway.circuit-breaker.enabled=false",
                "vlsuite.gateway.limits.max-request-body-size=1KB",
                // Generous for a loaded CI machine: the chunked-body test must read past the cap before this passes.
                "vlsuite.gateway.limits.response-timeout=2s",
                "vlsuite.gateway.limits.streaming-response-timeout=10s",
                "vlsuite.gateway.limits.idle-timeout=1s",
                "server.max-http-request-header-size=8KB");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        downstream.close();
    }

    @Test
    void bodyAboveTheLimitWithContentLengthIs413BeforeAnythingIsForwarded() {
        int before = downstream.received().size();
        var response = gateway.send(gateway.request("/v1/chat/completions").header("Authorization", AUTH)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])));
        assertPayloadTooLarge(response);
        assertThat(downstream.received()).hasSize(before);
    }

    @Test
    void chunkedBodyAboveTheLimitIs413() {
        var response = gateway.send(gateway.request("/v1/models").header("Authorization", AUTH)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[64 * 1024]))));
        assertPayloadTooLarge(response);
    }

    @Test
    void chunkedBodyWithinTheLimitPassesWhole() {
        byte[] body = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        var response = gateway.send(gateway.request("/v1/models").header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(downstream.last().body()).isEqualTo(body);
    }

    @Test
    void oversizedHeadersAreRefused() {
        var response = gateway.get("/v1/models", "Authorization", AUTH, "X-Padding", "p".repeat(16 * 1024));
        assertThat(response.statusCode()).isEqualTo(431);
    }

    @Test
    void slowJsonResponseIs504UpstreamTimeout() {
        long start = System.nanoTime();
        var response = gateway.get("/v1/slow-json", "Authorization", AUTH);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(TestGateway.json(response.body()).get("code").asString()).isEqualTo("upstream_timeout");
        assertThat(elapsedMs).isLessThan(4500);
    }

    @Test
    void streamingRoutesGetTheLongerResponseTimeout() {
        var response = gateway.send(gateway.request("/v1/completions").header("Authorization", AUTH)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("slow");
    }

    @Test
    void serverSentEventsPassThroughChunkByChunk() throws Exception {
        HttpResponse<Stream<String>> response = gateway.http().send(gateway.request("/v1/chat/completions")
                .header("Authorization", AUTH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    events.add(line);
                    clientGotFirstEvent.countDown();
                }
            }
        }
        assertThat(events).containsExactly("data: {\"delta\":\"one\"}", "data: {\"delta\":\"two\"}", "data: [DONE]");
        assertThat(firstEventArrivedBeforeLastWasWritten).as("first event reached the client before the last was written").isTrue();
    }

    @Test
    void aStalledStreamIsCutAfterTheIdleTimeout() throws Exception {
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = gateway.http().send(gateway.request("/v1/jobs/stalled/events")
                .header("Authorization", AUTH).build(), HttpResponse.BodyHandlers.ofLines());
        List<String> events = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            lines.filter(l -> l.startsWith("data:")).forEach(events::add);
        } catch (UncheckedIOException cut) {
            // a truncated chunked body: the connection was closed mid-stream, as intended
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(events).containsExactly("data: started");
        assertThat(elapsedMs).as("cut after ~1 s of silence, long before the downstream's 5 s").isLessThan(4000);
    }

    static void assertPayloadTooLarge(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        var problem = TestGateway.json(response.body());
        assertThat(problem.get("code").asString()).isEqualTo("payload_too_large");
        assertThat(problem.get("detail").asString()).contains("1024");
    }

    static void write(OutputStream out, String text) throws java.io.IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static boolean await(CountDownLatch latch, long millis) {
        try {
            return latch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
