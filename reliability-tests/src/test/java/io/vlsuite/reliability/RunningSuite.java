package io.vlsuite.reliability;

import io.vlsuite.launcher.StandaloneSettings;
import io.vlsuite.launcher.StandaloneSuite;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.media.embedded.EmbeddedS3Server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One standalone suite per test JVM (starting it costs tens of seconds on two cores), shared by every test class and
 * stopped by a shutdown hook. preprocess-service gets a known port so tests can also call it directly, past the
 * gateway's rate limiter.
 */
public final class RunningSuite {

    public static final String API_KEY = "reliability-key";
    public static final String WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static RunningSuite instance;

    private final StandaloneSuite suite;
    private final int preprocessPort;
    private EmbeddedS3Server restartedS3;

    private RunningSuite(StandaloneSuite suite, int preprocessPort) {
        this.suite = suite;
        this.preprocessPort = preprocessPort;
    }

    public static synchronized RunningSuite get() {
        if (instance == null) {
            try {
                Path dataDir = Files.createTempDirectory("vlsuite-reliability");
                int preprocessPort = freePort();
                var settings = new StandaloneSettings(dataDir, 0, preprocessPort, 0, 0, 0, 0, API_KEY, false,
                        Optional.empty(), WEBHOOK_SECRET, false);
                RunningSuite started = new RunningSuite(StandaloneSuite.start(settings), preprocessPort);
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "reliability-suite-stop"));
                instance = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public StandaloneSuite suite() {
        return suite;
    }

    /** Through the gateway, with the API key. */
    public SuiteClient gateway() {
        return new SuiteClient(URI.create("http://127.0.0.1:" + suite.gatewayPort()), API_KEY);
    }

    /** preprocess-service directly (tenant {@code default}), as the standalone mode allows on loopback. */
    public SuiteClient direct() {
        return new SuiteClient(URI.create("http://127.0.0.1:" + preprocessPort), null);
    }

    /** Stops the S3 server the services use (its objects stay on disk). */
    public synchronized void stopS3() {
        if (restartedS3 != null) {
            restartedS3.stop();
        } else {
            suite.infra().s3().stop();
        }
    }

    /** Starts an S3 server again on the same port and folder, as a restarted S3 process would be. */
    public synchronized void startS3() {
        EmbeddedS3Config original = suite.infra().s3().config();
        int port = suite.infra().s3Endpoint().getPort();
        restartedS3 = EmbeddedS3Server.start(new EmbeddedS3Config(original.host(), port, original.dataDir(),
                original.accessKey(), original.secretKey()));
    }

    /** The invariant after every bad input and fault: health UP and an ordinary request still answered. */
    public void assertHealthy() {
        SuiteClient client = gateway();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        SuiteClient.Answer health;
        do {
            health = client.get("/actuator/health");
        } while (health.status() != 200 && System.nanoTime() < deadline && pause());
        assertThat(health.status()).as("health: %s", health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        SuiteClient.Answer chat = client.postJson("/v1/chat/completions", SuiteClient.SMALL_CHAT);
        assertThat(chat.status()).as("a normal request after the fault: %s", chat.body()).isEqualTo(200);
        assertThat(chat.json().path("choices").get(0).path("message").path("content").asText()).isNotEmpty();
    }

    private static boolean pause() {
        SuiteClient.sleep(Duration.ofMillis(500));
        return true;
    }

    private synchronized void close() {
        if (restartedS3 != null) {
            restartedS3.stop();
        }
        suite.close();
    }
}
