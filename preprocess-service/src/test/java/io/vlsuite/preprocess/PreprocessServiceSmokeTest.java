package io.vlsuite.preprocess;

import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** preprocess-service against the real embedded Kafka broker and S3 server: probes, metrics, request ids. */
@ExtendWith(EmbeddedInfraExtension.class)
class PreprocessServiceSmokeTest {

    static ConfigurableApplicationContext app;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        app = PreprocessServiceApplication.builder().run("--server.port=0", "--logging.structured.format.console=");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + app.getEnvironment().getProperty("local.server.port") + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessIncludesKafka() throws Exception {
        var response = get("/actuator/health/readiness");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"kafka\"").contains("\"status\":\"UP\"");
    }

    @Test
    void livenessIsUp() throws Exception {
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    @Test
    void exposesPrometheusMetrics() throws Exception {
        var response = get("/actuator/prometheus");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void echoesTheRequestId() throws Exception {
        assertThat(get("/actuator/health", "X-Request-Id", "req-42").headers().firstValue("X-Request-Id")).hasValue("req-42");
    }
}
