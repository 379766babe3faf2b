package io.vlsuite.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.jobs.JobIds;
import io.vlsuite.preprocess.support.DataUrlPngIntake;
import io.vlsuite.preprocess.support.Pngs;
import io.vlsuite.preprocess.support.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.time.Duration;

import static io.vlsuite.preprocess.support.ServiceInstance.TENANT_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Overload answers 429/503 with Retry-After before media work; a broker that does not take the job answers 503. */
@ExtendWith(EmbeddedInfraExtension.class)
class LoadSheddingAndFaultsTest {

    static final String HANG = "{\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}]}";

    @Test
    void overloadIsRefusedWithRetryAfterBeforeAnyMediaWork() throws Exception {
        try (ServiceInstance service = ServiceInstance.start("--vlsuite.preprocess.admission.max-in-flight-per-tenant=1",
                "--vlsuite.preprocess.admission.max-in-flight=2", "--vlsuite.preprocess.admission.retry-after=3s")) {
            String first = Json.API.readTree(service.post("/v1/jobs", HANG, TENANT_HEADER, "t1").body()).get("id").asText();

            int mediaCalls = DataUrlPngIntake.CALLS.get();
            String withImage = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\""
                    + Pngs.dataUrl(28, 28) + "\"}}]}]}";
            var tenantFull = service.post("/v1/chat/completions", withImage, TENANT_HEADER, "t1");
            assertThat(tenantFull.statusCode()).isEqualTo(429);
            assertThat(tenantFull.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(Json.API.readTree(tenantFull.body()).get("code").asText()).isEqualTo("overloaded");
            assertThat(DataUrlPngIntake.CALLS.get()).isEqualTo(mediaCalls);

            String second = Json.API.readTree(service.post("/v1/jobs", HANG, TENANT_HEADER, "t2").body()).get("id").asText();
            var instanceFull = service.post("/v1/jobs", HANG, TENANT_HEADER, "t3");
            assertThat(instanceFull.statusCode()).isEqualTo(503);
            assertThat(instanceFull.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(Json.API.readTree(instanceFull.body()).get("code").asText()).isEqualTo("overloaded");

            // A job that ends frees its place.
            service.post("/v1/jobs/" + first + "/cancel", "", TENANT_HEADER, "t1");
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> service.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"ok\"}]}",
                            TENANT_HEADER, "t1").statusCode() == 202);
            service.post("/v1/jobs/" + second + "/cancel", "", TENANT_HEADER, "t2");
        }
    }

    @Test
    void aBrokerThatDoesNotTakeTheJobIs503AndLeavesNoJobBehind() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try (ServiceInstance service = ServiceInstance.start(
                "--spring.kafka.producer.bootstrap-servers=127.0.0.1:" + deadPort,
                "--spring.kafka.producer.properties.max.block.ms=1500",
                "--vlsuite.preprocess.jobs.publish-timeout=3s")) {
            var chat = service.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(chat.statusCode()).isEqualTo(503);
            assertThat(chat.headers().firstValue("Retry-After")).isPresent();
            assertThat(Json.API.readTree(chat.body()).get("code").asText()).isEqualTo("queue_unavailable");

            var job = service.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
                    "Idempotency-Key", "publish-fails");
            assertThat(job.statusCode()).isEqualTo(503);
            JsonNode problem = Json.API.readTree(job.body());
            assertThat(problem.get("code").asText()).isEqualTo("queue_unavailable");
            String id = JobIds.forIdempotencyKey("default", "publish-fails");
            assertThat(service.get("/v1/jobs/" + id).statusCode()).as("no half-created job").isEqualTo(404);
            assertThat(Json.API.readTree(service.get("/v1/jobs").body()).get("data").toString()).doesNotContain(id);
        }
    }
}
