package io.vlsuite.reliability;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An "internal" HTTP server on loopback that SSRF tests name as a media URL; it counts every request it receives,
 * and the tests assert the count stays zero. It answers a valid PNG, so a fetch that got through would succeed.
 */
final class LoopbackTarget implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    LoopbackTarget() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] png = TestMedia.image("png", 32, 32);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, png.length);
            exchange.getResponseBody().write(png);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    int hits() {
        return hits.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
