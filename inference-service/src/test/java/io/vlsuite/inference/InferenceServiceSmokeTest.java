package io.vlsuite.inference;

import io.vlsuite.contracts.Topics;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.inference.config.InferenceProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** inference-service against the real embedded Kafka broker and S3 server: probes and typed configuration. */
@ExtendWith(EmbeddedInfraExtension.class)
class InferenceServiceSmokeTest {

    static ConfigurableApplicationContext app;

    @BeforeAll
    static void start() {
        app = InferenceServiceApplication.builder().run("--server.port=0", "--logging.structured.format.console=",
                "--vlsuite.inference.model-dir=../models/tiny-trained");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void readinessIncludesKafka() throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + app.getEnvironment().getProperty("local.server.port") + "/actuator/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"kafka\"");
    }

    @Test
    void readinessIncludesTheEngineAndLivenessTheWorkerLoop() throws Exception {
        String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/actuator/health/";
        var client = HttpClient.newHttpClient();
        var readiness = client.send(HttpRequest.newBuilder(URI.create(base + "readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.body()).contains("\"engine\"").contains("\"capacity\":8");
        var liveness = client.send(HttpRequest.newBuilder(URI.create(base + "liveness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"worker\"");
    }

    @Test
    void bindsWorkerAndEngineDefaults() {
        var props = app.getBean(InferenceProperties.class);
        assertThat(props.worker().topics().interactive()).isEqualTo(Topics.JOBS_INTERACTIVE);
        assertThat(props.worker().deltaInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(props.worker().maxPollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(props.embedded().maxNumSeqs()).isEqualTo(8);
    }

    @Test
    void rejectsAPollTimeoutThatIsNotBelowMaxPollIntervalAtStartup() {
        assertThatThrownBy(() -> InferenceServiceApplication.builder().run("--server.port=0",
                "--logging.structured.format.console=", "--vlsuite.inference.model-dir=../models/tiny-trained",
                "--vlsuite.inference.worker.poll-timeout=10s", "--vlsuite.inference.worker.max-poll-interval=5s"))
                .hasStackTraceContaining("vlsuite.inference.worker");
    }

    @Test
    void bindsTypedProperties() {
        var props = app.getBean(InferenceProperties.class);
        assertThat(props.modelPath()).isEqualTo(Path.of("../models/tiny-trained"));
        assertThat(props.engine()).isEqualTo(InferenceProperties.EngineKind.EMBEDDED);
    }

    @Test
    void rejectsAnUnknownEngineAtStartup() {
        assertThatThrownBy(() -> InferenceServiceApplication.builder().run("--server.port=0",
                "--logging.structured.format.console=", "--vlsuite.inference.engine=quantum"))
                .hasStackTraceContaining("vlsuite.inference.engine");
    }
}
