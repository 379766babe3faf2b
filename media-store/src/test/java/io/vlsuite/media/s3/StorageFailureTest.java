package io.vlsuite.media.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.vlsuite.media.MediaStoreException;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;
import org.junit.jupiter.api.Test;

/** Storage down, stalled or failing: every call ends in a typed error within the configured time bound. */
class StorageFailureTest {

    private static final Timeouts SHORT = new Timeouts(Duration.ofMillis(300), Duration.ofMillis(400),
            Duration.ofMillis(400), Duration.ofMillis(600));
    private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(100), 2.0);

    private static StorageSettings settings(URI endpoint) {
        return StorageSettings.of(endpoint, "vlsuite", "vlsuite-embedded-secret").withTimeouts(SHORT).withRetry(RETRY);
    }

    @Test
    void aStoppedServerGivesStorageUnavailableWithinTheConfiguredBound() {
        EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
        List<String> outcomes = new CopyOnWriteArrayList<>();
        StorageSettings settings = settings(server.endpoint());
        try (S3ObjectStorage storage = S3ObjectStorage.create(settings, (op, outcome, nanos) -> outcomes.add(op + ":" + outcome))) {
            storage.ensureBucket("vlsuite-media");
            server.stop();

            long start = System.nanoTime();
            assertThatThrownBy(() -> storage.put("vlsuite-media", "media/x.png", new byte[] {1}, "image/png", Map.of(),
                    PutCondition.IF_ABSENT))
                    .isInstanceOf(MediaStoreException.Unavailable.class)
                    .extracting(e -> ((MediaStoreException) e).code()).isEqualTo("storage_unavailable");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(elapsed).isLessThan(settings.worstCaseCallDuration().plusMillis(500));
            assertThat(outcomes).endsWith("put_object:storage_unavailable");
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersTimesOutPerAttemptAndThenGivesUp() throws IOException {
        // Connections land in the listen backlog and are never served: the classic hung dependency.
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StorageSettings settings = settings(URI.create("http://127.0.0.1:" + blackHole.getLocalPort()));
            try (S3ObjectStorage storage = S3ObjectStorage.create(settings, OperationObserver.NOOP)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> storage.getBytes("vlsuite-media", "media/x.png"))
                        .isInstanceOf(MediaStoreException.Unavailable.class);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

                // It did wait for the per-attempt timeouts (3 attempts) ...
                assertThat(elapsed).isGreaterThanOrEqualTo(SHORT.read().multipliedBy(3));
                // ... and no longer than attempts x call timeout + back-off (+ scheduling slack).
                assertThat(elapsed).isLessThan(settings.worstCaseCallDuration().plusMillis(500));
            }
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUpToTheLimit() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer failing = errorServer(503, "SlowDown", requests);
        try (S3ObjectStorage storage = S3ObjectStorage.create(settings(endpoint(failing)), OperationObserver.NOOP)) {
            assertThatThrownBy(() -> storage.getBytes("vlsuite-jobs", "jobs/t/1.json"))
                    .isInstanceOf(MediaStoreException.Unavailable.class)
                    .hasMessageContaining("SlowDown");
            assertThat(requests).hasValue(RETRY.maxAttempts());
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void clientErrorsAreNotRetried() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer denying = errorServer(403, "AccessDenied", requests);
        try (S3ObjectStorage storage = S3ObjectStorage.create(settings(endpoint(denying)), OperationObserver.NOOP)) {
            assertThatThrownBy(() -> storage.getBytes("vlsuite-jobs", "jobs/t/1.json"))
                    .isInstanceOf(MediaStoreException.class)
                    .isNotInstanceOf(MediaStoreException.Unavailable.class)
                    .extracting(e -> ((MediaStoreException) e).code()).isEqualTo("storage_error");
            assertThat(requests).hasValue(1);
        } finally {
            denying.stop(0);
        }
    }

    @Test
    void wrongCredentialsAreAStorageErrorNotAnOutage() {
        try (EmbeddedS3Server server = EmbeddedS3Server.start(EmbeddedS3Config.transientOnRandomPort());
             S3ObjectStorage storage = S3ObjectStorage.create(
                     StorageSettings.of(server.endpoint(), server.accessKey(), "wrong-secret").withRetry(RETRY),
                     OperationObserver.NOOP)) {
            assertThatThrownBy(() -> storage.ensureBucket("vlsuite-media"))
                    .isInstanceOf(MediaStoreException.class)
                    .isNotInstanceOf(MediaStoreException.Unavailable.class)
                    .hasMessageContaining("HTTP 403");
        }
    }

    private static HttpServer errorServer(int status, String code, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>injected"
                    + "</Message><RequestId>r</RequestId><HostId>h</HostId></Error>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI endpoint(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }
}
