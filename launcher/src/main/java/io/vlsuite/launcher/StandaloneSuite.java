package io.vlsuite.launcher;

import io.vlsuite.embedded.EmbeddedInfra;
import io.vlsuite.embedded.Ports;
import io.vlsuite.embedded.kafka.EmbeddedKafkaConfig;
import io.vlsuite.gateway.GatewayApplication;
import io.vlsuite.inference.InferenceServiceApplication;
import io.vlsuite.media.embedded.EmbeddedS3Config;
import io.vlsuite.preprocess.PreprocessServiceApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The whole suite in one JVM: embedded Kafka and S3 on loopback, then inference-service, preprocess-service and
 * the gateway, each in its own Spring context (as they would run in their own containers). Closing it stops
 * everything in reverse order.
 */
public final class StandaloneSuite implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneSuite.class);

    /** Credentials of the embedded S3 server; it listens on loopback only. */
    static final String S3_ACCESS_KEY = "vlsuite";
    static final String S3_SECRET_KEY = "vlsuite-standalone-secret";

    private final StandaloneSettings settings;
    private final EmbeddedInfra infra;
    private final Path modelDir;
    private final List<ConfigurableApplicationContext> contexts;
    private final int gatewayPort;

    private StandaloneSuite(StandaloneSettings settings, EmbeddedInfra infra, Path modelDir,
                            List<ConfigurableApplicationContext> contexts, int gatewayPort) {
        this.settings = settings;
        this.infra = infra;
        this.modelDir = modelDir;
        this.contexts = contexts;
        this.gatewayPort = gatewayPort;
    }

    /**
     * Starts everything. Ports are checked first, so a busy port fails fast with one sentence
     * ({@link Ports.PortInUseException}); if a later step fails, what was started is stopped again.
     */
    public static StandaloneSuite start(StandaloneSettings settings) {
        int gatewayPort = Ports.claim("The gateway", "0.0.0.0", settings.gatewayPort(), "VLSUITE_PORT");
        int preprocessPort = Ports.claim("preprocess-service", "127.0.0.1", settings.preprocessPort(), "VLSUITE_PREPROCESS_PORT");
        int inferencePort = Ports.claim("inference-service", "127.0.0.1", settings.inferencePort(), "VLSUITE_INFERENCE_PORT");
        Path modelDir = settings.modelDir().orElseGet(() -> BundledModel.extractTo(settings.dataDir().resolve("models")));

        QuietInfraLogs.apply();
        EmbeddedInfra infra = EmbeddedInfra.start(
                new EmbeddedKafkaConfig("127.0.0.1", settings.kafkaPort(), settings.kafkaControllerPort(),
                        settings.dataDir().resolve("kafka")),
                new EmbeddedS3Config("127.0.0.1", settings.s3Port(), settings.dataDir().resolve("s3"),
                        S3_ACCESS_KEY, S3_SECRET_KEY),
                4);
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        try {
            // People read standalone logs in a terminal: plain text unless VLSUITE_LOG_FORMAT asks for JSON.
            String logFormat = "--logging.structured.format.console=" + System.getenv().getOrDefault("VLSUITE_LOG_FORMAT", "");
            List<String> servlet = new ArrayList<>(List.of(logFormat,
                    // Spring Cloud Gateway is on the shared classpath; in the two servlet services it must stay off.
                    "--spring.cloud.gateway.server.webflux.enabled=false"));
            servlet.addAll(QuietInfraLogs.SPRING_ARGS);
            infra.springProperties().forEach((k, v) -> servlet.add("--" + k + "=" + v));

            contexts.add(run(InferenceServiceApplication.builder(), servlet, Map.of(
                    "server.port", String.valueOf(inferencePort),
                    "server.address", "127.0.0.1",
                    "vlsuite.inference.model-dir", modelDir.toString())));
            contexts.add(run(PreprocessServiceApplication.builder(), servlet, Map.of(
                    "server.port", String.valueOf(preprocessPort),
                    "server.address", "127.0.0.1",
                    "vlsuite.preprocess.model-id", modelId(settings, modelDir),
                    "vlsuite.preprocess.media.model-dir", modelDir.toString(),
                    "vlsuite.preprocess.webhooks.secret", settings.webhookSecret(),
                    // Local development: webhooks to a receiver on this machine are allowed (never in production).
                    "vlsuite.preprocess.webhooks.allow-loopback", "true")));
            contexts.add(run(GatewayApplication.builder(), gatewayArgs(logFormat), Map.of(
                    "server.port", String.valueOf(gatewayPort),
                    "vlsuite.gateway.preprocess-uri", "http://127.0.0.1:" + preprocessPort,
                    "vlsuite.gateway.api-keys[0].key", settings.apiKey(),
                    "vlsuite.gateway.api-keys[0].tenant", "default",
                    // The gateway never talks to Kafka, even though Kafka is on this JVM's classpath.
                    "spring.autoconfigure.exclude", "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")));
        } catch (RuntimeException e) {
            Collections.reverse(contexts);
            contexts.forEach(ConfigurableApplicationContext::close);
            infra.close();
            throw e;
        }
        return new StandaloneSuite(settings, infra, modelDir, contexts, gatewayPort);
    }

    private static List<String> gatewayArgs(String logFormat) {
        List<String> args = new ArrayList<>(QuietInfraLogs.SPRING_ARGS);
        args.add(logFormat);
        return args;
    }

    private static ConfigurableApplicationContext run(SpringApplicationBuilder builder, List<String> common,
                                                      Map<String, String> own) {
        List<String> args = new ArrayList<>(common);
        own.forEach((k, v) -> args.add("--" + k + "=" + v));
        // The suite closes its contexts itself, in order; per-context hooks would race with it on Ctrl-C.
        return builder.registerShutdownHook(false).run(args.toArray(String[]::new));
    }

    public int gatewayPort() {
        return gatewayPort;
    }

    public EmbeddedInfra infra() {
        return infra;
    }

    /**
     * The model id clients send and {@code /v1/models} lists: {@code vlsuite/tiny-trained} for the bundled model,
     * the folder name (for example {@code Qwen2-VL-2B-Instruct}) for a model from {@code VLSUITE_MODEL_DIR}.
     */
    public String modelId() {
        return modelId(settings, modelDir);
    }

    static String modelId(StandaloneSettings settings, Path modelDir) {
        return settings.modelDir().isPresent() ? modelDir.getFileName().toString() : "vlsuite/" + BundledModel.NAME;
    }

    public Path modelDir() {
        return modelDir;
    }

    public StandaloneSettings settings() {
        return settings;
    }

    /** Stops the services (gateway first), then Kafka and S3. */
    @Override
    public synchronized void close() {
        List<ConfigurableApplicationContext> reversed = new ArrayList<>(contexts);
        Collections.reverse(reversed);
        for (ConfigurableApplicationContext context : reversed) {
            try {
                context.close();
            } catch (RuntimeException e) {
                log.warn("error while stopping {}", context.getId(), e);
            }
        }
        contexts.clear();
        infra.close();
    }
}
