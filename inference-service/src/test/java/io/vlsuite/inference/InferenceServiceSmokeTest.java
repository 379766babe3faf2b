package io.vlsuite.inference;

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
