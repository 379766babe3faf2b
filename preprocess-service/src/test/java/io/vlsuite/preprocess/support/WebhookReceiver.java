package io.vlsuite.preprocess.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook endpoint on loopback that records each delivery and answers with a scripted status sequence. */
public final class WebhookReceiver implements AutoCloseable {

    public record Delivery(Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    private final AtomicInteger calls = new AtomicInteger();

    /** @param statuses the answer to the first, second, ... call; the last one repeats */
    public WebhookReceiver(int... statuses) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            deliveries.add(new Delivery(Map.copyOf(exchange.getRequestHeaders()), body));
            int call = calls.getAndIncrement();
            int status = statuses[Math.min(call, statuses.length - 1)];
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public BlockingQueue<Delivery> deliveries() {
        return deliveries;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
