package io.vlsuite.launcher;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the standalone mode, read from environment variables (or the same names as {@code -D} system
 * properties, which win). Every port and the data folder are configurable; see docs/configuration.md.
 *
 * @param dataDir            where Kafka's log, the S3 objects and the extracted demo model live
 * @param gatewayPort        public port (the only one clients need)
 * @param preprocessPort     preprocess-service's port on loopback
 * @param inferencePort      inference-service's port on loopback (actuator only)
 * @param kafkaPort          embedded broker's client port
 * @param kafkaControllerPort embedded broker's KRaft controller port
 * @param s3Port             embedded S3 server's port
 * @param apiKey             the API key clients send as {@code Authorization: Bearer ...}
 * @param apiKeyGenerated    whether {@code apiKey} was generated because none was configured (then it is printed)
 * @param modelDir           the model to serve; empty means the bundled demo model
 * @param webhookSecret      Standard Webhooks signing secret ({@code whsec_} + base64) of the default tenant
 * @param webhookSecretGenerated whether {@code webhookSecret} was generated (then it is printed)
 */
public record StandaloneSettings(
        Path dataDir,
        int gatewayPort,
        int preprocessPort,
        int inferencePort,
        int kafkaPort,
        int kafkaControllerPort,
        int s3Port,
        String apiKey,
        boolean apiKeyGenerated,
        Optional<Path> modelDir,
        String webhookSecret,
        boolean webhookSecretGenerated) {

    /**
     * Settings for running the suite inside tests and tools: every port picked free at start, the given data
     * folder, API key and webhook secret, the bundled model.
     */
    public static StandaloneSettings ephemeral(Path dataDir, String apiKey, String webhookSecret) {
        return new StandaloneSettings(dataDir, 0, 0, 0, 0, 0, 0, apiKey, false, Optional.empty(), webhookSecret, false);
    }

    /** Reads the settings from the process environment and system properties. */
    public static StandaloneSettings fromEnvironment() {
        return from(System.getenv(), System.getProperties());
    }

    static StandaloneSettings from(Map<String, String> env, java.util.Properties sys) {
        Source source = new Source(env, sys);
        var random = new SecureRandom();
        String apiKey = source.get("VLSUITE_API_KEY").orElse(null);
        boolean generated = apiKey == null;
        if (generated) {
            apiKey = "vls-" + HexFormat.of().formatHex(randomBytes(random, 24));
        }
        String webhookSecret = source.get("VLSUITE_WEBHOOK_SECRET").orElse(null);
        boolean secretGenerated = webhookSecret == null;
        if (secretGenerated) {
            webhookSecret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(random, 32));
        } else if (!webhookSecret.startsWith("whsec_")) {
            throw new IllegalArgumentException("VLSUITE_WEBHOOK_SECRET must look like whsec_<base64>");
        }
        return new StandaloneSettings(
                Path.of(source.get("VLSUITE_DATA_DIR").orElse("data")).toAbsolutePath().normalize(),
                source.port("VLSUITE_PORT", 8080),
                source.port("VLSUITE_PREPROCESS_PORT", 8081),
                source.port("VLSUITE_INFERENCE_PORT", 8082),
                source.port("VLSUITE_KAFKA_PORT", 9092),
                source.port("VLSUITE_KAFKA_CONTROLLER_PORT", 9093),
                source.port("VLSUITE_S3_PORT", 9000),
                apiKey,
                generated,
                source.get("VLSUITE_MODEL_DIR").map(dir -> Path.of(dir).toAbsolutePath().normalize()),
                webhookSecret,
                secretGenerated);
    }

    private static byte[] randomBytes(SecureRandom random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Looks a name up as a system property first, then as an environment variable; blank counts as unset. */
    private record Source(Map<String, String> env, java.util.Properties sys) {

        Optional<String> get(String name) {
            String value = sys.getProperty(name, env.get(name));
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        int port(String name, int defaultPort) {
            return get(name).map(v -> {
                try {
                    int port = Integer.parseInt(v);
                    if (port < 0 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    return port;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + " must be a port number between 0 and 65535, not '" + v + "'");
                }
            }).orElse(defaultPort);
        }
    }
}
