package io.vlsuite.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.support.ServiceInstance;
import io.vlsuite.preprocess.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one Kafka and one S3: each answers its own callers although both consume every event, jobs
 * are visible from either, and a webhook is sent once.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class TwoInstancesTest {

    static ServiceInstance a;
    static ServiceInstance b;

    @BeforeAll
    static void start() {
        a = ServiceInstance.start("--vlsuite.preprocess.webhooks.initial-backoff=100ms");
        b = ServiceInstance.start("--vlsuite.preprocess.webhooks.initial-backoff=100ms");
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void eachInstanceAnswersItsOwnRequests() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ServiceInstance target = i % 2 == 0 ? a : b;
                boolean stream = i % 4 < 2;
                Callable<HttpResponse<String>> call = () -> target.post("/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":" + stream + "}");
                responses.add(pool.submit(call));
            }
            for (Future<HttpResponse<String>> future : responses) {
                HttpResponse<String> response = future.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).satisfiesAnyOf(
                        body -> assertThat(body).contains("\"content\":\"Hello world\""),
                        body -> assertThat(body).contains("\"content\":\" world\"").endsWith("data: [DONE]\n\n"));
            }
        }
    }

    @Test
    void aJobCreatedOnOneInstanceIsReadAndCancelledOnTheOther() throws Exception {
        String id = Json.API.readTree(a.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}]}").body())
                .get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Json.API.readTree(b.get("/v1/jobs/" + id).body()).get("status").asText(), "running"::equals);
        assertThat(b.post("/v1/jobs/" + id + "/cancel", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(
                () -> Json.API.readTree(a.get("/v1/jobs/" + id).body()).get("status").asText(), "cancelled"::equals);
    }

    @Test
    void aWebhookIsDeliveredOnceAlthoughBothInstancesSeeTheEvent() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ServiceInstance target = i % 2 == 0 ? a : b;
                JsonNode job = Json.API.readTree(target.post("/v1/jobs",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"w\"}],\"webhook\":\"" + receiver.url() + "\"}").body());
                ids.add(job.get("id").asText());
            }
            for (String id : ids) {
                await().atMost(Duration.ofSeconds(20)).until(
                        () -> Json.API.readTree(a.get("/v1/jobs/" + id).body()).path("webhook").path("deliveries").size(),
                        n -> n >= 1);
            }
            Thread.sleep(1000);
            List<String> delivered = new ArrayList<>();
            receiver.deliveries().forEach(d -> delivered.add(d.header("webhook-id")));
            assertThat(delivered).hasSize(4).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "msg_" + id).toList());
        }
    }
}
