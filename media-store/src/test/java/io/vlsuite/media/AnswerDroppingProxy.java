package io.vlsuite.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of an S3 server that, once armed, forwards the next request whose request line starts
 * with a given prefix but throws its answer away and cuts the connection: the write lands, the client never
 * learns it. That is the ambiguous failure a retried conditional write must cope with.
 */
final class AnswerDroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final URI upstream;
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private volatile String requestPrefix = "\u0000";

    AnswerDroppingProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Drops the answer to the next request starting with {@code prefix}, e.g. {@code "PUT /bucket/key"}. */
    void dropNextAnswerTo(String prefix) {
        requestPrefix = prefix;
        dropsLeft.set(1);
    }

    int droppedAnswers() {
        return dropped.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(upstream.getHost(), upstream.getPort());
                AtomicBoolean dropThisAnswer = new AtomicBoolean();
                Thread.ofVirtual().start(() -> pumpRequests(client, server, dropThisAnswer));
                Thread.ofVirtual().start(() -> pumpAnswers(server, client, dropThisAnswer));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pumpRequests(Socket client, Socket server, AtomicBoolean dropThisAnswer) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = client.getInputStream(); OutputStream out = server.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                String head = new String(buf, 0, Math.min(n, 256), StandardCharsets.ISO_8859_1);
                if (head.startsWith(requestPrefix) && dropsLeft.getAndUpdate(d -> Math.max(0, d - 1)) > 0) {
                    dropThisAnswer.set(true);
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // connection closed by either side
        } finally {
            closeQuietly(client, server);
        }
    }

    private void pumpAnswers(Socket server, Socket client, AtomicBoolean dropThisAnswer) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = server.getInputStream(); OutputStream out = client.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (dropThisAnswer.get()) {
                    dropped.incrementAndGet();
                    closeQuietly(client, server);
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // connection closed by either side
        } finally {
            closeQuietly(client, server);
        }
    }

    private static void closeQuietly(Socket... sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
