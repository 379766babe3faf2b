package io.vlsuite.examples;

import io.vlsuite.launcher.StandaloneSettings;
import io.vlsuite.launcher.StandaloneSuite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole standalone suite (embedded Kafka and S3, inference-service with the bundled tiny-trained model,
 * preprocess-service, gateway), started once per test JVM on free ports and shared by every test class: starting it
 * costs far more than any test.
 */
public final class RunningSuite {

    public static final String API_KEY = "examples-test-key";
    public static final String MODEL = "vlsuite/tiny-trained";
    /** whsec_ + base64 of 32 fixed bytes: the suite signs webhooks with it (standalone mode allows loopback hooks). */
    public static final String WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(
            "examples-webhook-secret-32-bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private static StandaloneSuite suite;

    private RunningSuite() {
    }

    public static synchronized StandaloneSuite get() {
        if (suite == null) {
            // Spring AI's starter is on this classpath for the examples; inside the suite's own contexts it must stay
            // off (the Spring AI example turns it back on with command-line arguments, which win).
            for (String model : new String[] {"chat", "embedding", "image", "audio.speech", "audio.transcription", "moderation"}) {
                System.setProperty("spring.ai.model." + model, "none");
            }
            System.setProperty("spring.ai.chat.client.enabled", "false");
            Path dataDir;
            try {
                dataDir = Files.createTempDirectory("vlsuite-examples");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            suite = StandaloneSuite.start(StandaloneSettings.ephemeral(dataDir, API_KEY, WEBHOOK_SECRET));
            StandaloneSuite started = suite;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-standalone-suite"));
        }
        return suite;
    }

    /** The API root clients are configured with: {@code http://127.0.0.1:<gateway port>/v1}. */
    public static String baseUrl() {
        return "http://127.0.0.1:" + get().gatewayPort() + "/v1";
    }

    /** A picture of the tiny-trained evaluation set. */
    public static Path evalFile(String name) {
        return Path.of(System.getProperty("user.dir")).resolve("../testdata/tiny-trained-eval").resolve(name).normalize();
    }

    public static byte[] evalPicture(String name) {
        try {
            return Files.readAllBytes(evalFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
