package io.vlsuite.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.support.FakeEngine;
import io.vlsuite.preprocess.support.ServiceInstance;
import io.vlsuite.preprocess.support.Sse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request that runs past {@code request-timeout} answers 504 {@code request_timeout} and its job is cancelled;
 * a body above {@code max-body-bytes} is refused even when it comes without a length.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class DeadlinesTest {

    static ServiceInstance service;

    @BeforeAll
    static void start() {
        service = ServiceInstance.start("--vlsuite.preprocess.jobs.request-timeout=1500ms",
                "--vlsuite.preprocess.jobs.keep-alive=300ms", "--vlsuite.preprocess.limits.max-body-bytes=100000");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aSyncRequestPastItsDeadlineIs504AndItsJobIsCancelled() throws Exception {
        long start = System.nanoTime();
        var response = service.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}]}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = Json.API.readTree(response.body());
        assertThat(problem.get("code").asText()).isEqualTo("request_timeout");
        String jobId = problem.get("job_id").asText();
        assertThat(FakeEngine.get().job(jobId).deadline()).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().cancelled().contains(jobId));
    }

    @Test
    void aStreamPastItsDeadlineEndsWithATimeoutErrorAndItsJobIsCancelled() throws Exception {
        var response = service.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}],\"stream\":true}");
        assertThat(response.statusCode()).isEqualTo(200);
        List<Sse.Event> events = Sse.parse(response.body());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        JsonNode error = Json.API.readTree(events.get(events.size() - 2).data()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("request_timeout");
        String jobId = Json.API.readTree(events.getFirst().data()).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().cancelled().contains(jobId));
    }

    @Test
    void aChunkedBodyAboveTheLimitIs413() throws Exception {
        byte[] big = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(150_000) + "\"}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var request = java.net.http.HttpRequest.newBuilder(service.uri("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();
        var response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Json.API.readTree(response.body()).get("code").asText()).isEqualTo("request_too_large");
    }
}
