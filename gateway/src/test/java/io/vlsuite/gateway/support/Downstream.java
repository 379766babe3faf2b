package io.vlsuite.gateway.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for preprocess-service: a JDK HTTP server on loopback that records what reaches it. By default it
 * answers every path with 200 and a small JSON body; tests install handlers for special paths.
 */
public final class Downstream implements AutoCloseable {

    /** What one request looked like when it arrived downstream. */
    public record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public boolean hasHeader(String name) {
            return header(name) != null;
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private Downstream(HttpServer server) {
        this.server = server;
    }

    public static Downstream start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            // Handlers may block (slow streams, held requests): one virtual thread per exchange.
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            Downstream downstream = new Downstream(server);
            server.createContext("/", downstream.recording(exchange -> respond(exchange, 200, "application/json", "{\"ok\":true}")));
            server.start();
            return downstream;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Installs a handler for a path prefix; requests are still recorded (with their body read first). */
    public Downstream on(String path, HttpHandler handler) {
        server.createContext(path, recording(handler));
        return this;
    }

    /** Installs a handler that sees the raw exchange (body unread, nothing recorded). */
    public Downstream onRaw(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.getLast();
    }

    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private HttpHandler recording(HttpHandler handler) {
        return exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            handler.handle(exchange);
        };
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
