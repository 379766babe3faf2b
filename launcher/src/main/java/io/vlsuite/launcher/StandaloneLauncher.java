package io.vlsuite.launcher;

import io.vlsuite.embedded.Ports;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code java -jar vlsuite-standalone.jar}: the whole suite on one machine, no Docker, no GPU.
 * Ctrl-C stops it cleanly.
 */
public final class StandaloneLauncher {

    private StandaloneLauncher() {
    }

    public static void main(String[] args) {
        if (!VectorApiRelauncher.vectorApiPresent()) {
            var status = VectorApiRelauncher.relaunchWithVectorApi();
            if (status.isPresent()) {
                System.exit(status.get());
                return;
            }
            System.err.println("vlsuite: running without " + VectorApiRelauncher.MODULE
                    + " (add --add-modules=" + VectorApiRelauncher.MODULE + " for full engine speed)");
        }
        StandaloneSettings settings;
        StandaloneSuite suite;
        try {
            settings = StandaloneSettings.fromEnvironment();
            suite = StandaloneSuite.start(settings);
        } catch (IllegalArgumentException | Ports.PortInUseException e) {
            System.err.println("vlsuite: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(suite::close, "vlsuite-shutdown"));
        printBanner(suite, System.out);
        if (java.util.Arrays.asList(args).contains("--demo")) {
            askDemoQuestion(suite, System.out);
        }
    }

    /** The start command's proof that everything works: one real question about a bundled picture. */
    static void askDemoQuestion(StandaloneSuite suite, PrintStream out) {
        Path picture = DemoQuestion.extractPicture(suite.settings().dataDir());
        out.println("Asking the suite about " + picture + " ...");
        try {
            String answer = new DemoQuestion().ask(suite.gatewayPort(), suite.settings().apiKey(), suite.modelId(), picture);
            out.println("  Q: " + DemoQuestion.QUESTION);
            out.println("  A: " + answer);
        } catch (Exception e) {
            out.println("  The demo question failed: " + e.getMessage());
        }
        out.println();
    }

    static void printBanner(StandaloneSuite suite, PrintStream out) {
        StandaloneSettings s = suite.settings();
        String base = "http://localhost:" + suite.gatewayPort();
        out.println();
        out.println("vlsuite standalone is up.");
        out.println("  API (OpenAI-compatible): " + base + "/v1");
        out.println("  Health:                  " + base + "/actuator/health");
        out.println("  Kafka:                   " + suite.infra().kafkaBootstrapServers());
        out.println("  S3:                      " + suite.infra().s3Endpoint() + "  (objects in " + s.dataDir().resolve("s3") + ")");
        out.println("  Model:                   " + suite.modelDir());
        if (s.apiKeyGenerated()) {
            out.println("  API key (generated, shown once; set VLSUITE_API_KEY to choose one): " + s.apiKey());
        } else {
            out.println("  API key:                 from VLSUITE_API_KEY");
        }
        out.println();
        if (s.webhookSecretGenerated()) {
            out.println("  Webhook secret (generated, shown once; set VLSUITE_WEBHOOK_SECRET to choose one): " + s.webhookSecret());
        }
        out.println();
        out.println("Try:");
        out.println("  curl -s " + base + "/v1/models -H 'Authorization: Bearer " + s.apiKey() + "'");
        out.println("  " + DemoQuestion.curl(suite.gatewayPort(), s.apiKey(), suite.modelId(),
                DemoQuestion.extractPicture(s.dataDir())));
        out.println();
        out.println("Press Ctrl-C to stop.");
    }
}
