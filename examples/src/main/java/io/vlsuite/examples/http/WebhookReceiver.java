package io.vlsuite.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook endpoint on loopback (the JDK's own HTTP server): verifies each delivery's signature, answers 204 to a
 * good one and 401 to a bad one (so the sender retries or gives up), and queues the verified deliveries.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A delivery whose signature was verified. */
    public record Delivery(String webhookId, String timestamp, String body) {
    }

    private final HttpServer server;
    private final WebhookVerifier verifier;
    private final BlockingQueue<Delivery> verified = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> rejected = new LinkedBlockingQueue<>();

    private WebhookReceiver(HttpServer server, WebhookVerifier verifier) {
        this.server = server;
        this.verifier = verifier;
    }

    /** Listens on {@code 127.0.0.1} on a free port, path {@code /hook}. */
    public static WebhookReceiver start(WebhookVerifier verifier) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookReceiver receiver = new WebhookReceiver(server, verifier);
        server.createContext("/hook", receiver::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return receiver;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** The next verified delivery, or {@code null} after {@code timeout}. */
    public Delivery next(Duration timeout) throws InterruptedException {
        return verified.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why deliveries were refused so far (empty when all were genuine). */
    public java.util.List<String> rejections() {
        return java.util.List.copyOf(rejected);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            String id = headers.getFirst("webhook-id");
            String timestamp = headers.getFirst("webhook-timestamp");
            try {
                verifier.verify(id, timestamp, headers.getFirst("webhook-signature"), body, Instant.now());
            } catch (WebhookVerifier.InvalidWebhookException e) {
                rejected.add(e.getMessage());
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            verified.add(new Delivery(id, timestamp, new String(body, java.nio.charset.StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
