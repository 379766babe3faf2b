package io.vlsuite.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.contracts.job.JobDocument;
import io.vlsuite.contracts.job.JobRecord;
import io.vlsuite.contracts.job.JobStatus;
import io.vlsuite.contracts.job.Lane;
import io.vlsuite.contracts.job.Sampling;
import io.vlsuite.preprocess.store.JobRepository;
import io.vlsuite.embedded.junit.EmbeddedInfraExtension;
import io.vlsuite.preprocess.api.Json;
import io.vlsuite.preprocess.support.FakeEngine;
import io.vlsuite.preprocess.support.ServiceInstance;
import io.vlsuite.preprocess.support.TestSecrets;
import io.vlsuite.preprocess.support.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.vlsuite.preprocess.support.ServiceInstance.TENANT_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The async job API against the real embedded Kafka and S3 server, with a fake engine and a webhook receiver. */
@ExtendWith(EmbeddedInfraExtension.class)
class JobsApiTest {

    static ServiceInstance service;

    @BeforeAll
    static void start() {
        service = ServiceInstance.start("--vlsuite.preprocess.webhooks.initial-backoff=100ms",
                "--vlsuite.preprocess.jobs.events-poll-interval=200ms");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static JsonNode json(String text) throws Exception {
        return Json.API.readTree(text);
    }

    static JsonNode awaitStatus(String id, String status, String tenant) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> json(service.get("/v1/jobs/" + id, TENANT_HEADER, tenant).body()),
                        job -> status.equals(job.path("status").asText()));
    }

    @Test
    void anAsyncJobCompletesAndItsWebhookIsSignedRetriedAndRecorded() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(500, 204)) {
            var created = service.post("/v1/jobs", """
                    {"messages":[{"role":"user","content":"describe"}],"max_tokens":8,
                     "webhook":"%s","metadata":{"order":"42"}}""".formatted(receiver.url()), TENANT_HEADER, "acme");
            assertThat(created.statusCode()).isEqualTo(202);
            JsonNode job = json(created.body());
            String id = job.get("id").asText();
            assertThat(job.get("object").asText()).isEqualTo("job");
            assertThat(job.get("status").asText()).isEqualTo("queued");
            assertThat(created.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);
            assertThat(FakeEngine.get().jobs()).isNotEmpty();

            JsonNode done = awaitStatus(id, "completed", "acme");
            assertThat(done.get("result").get("object").asText()).isEqualTo("chat.completion");
            assertThat(done.get("result").get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hello world");
            assertThat(done.get("result").get("usage").get("completion_tokens").asInt()).isEqualTo(2);
            assertThat(done.get("metadata").get("order").asText()).isEqualTo("42");
            assertThat(FakeEngine.get().job(id).lane()).isEqualTo(Lane.BATCH);

            var first = receiver.deliveries().poll(20, TimeUnit.SECONDS);
            var second = receiver.deliveries().poll(20, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(second.header("webhook-id")).isEqualTo(first.header("webhook-id")).isEqualTo("msg_" + id);
            for (var delivery : List.of(first, second)) {
                assertSignatureValid(delivery);
            }
            JsonNode payload = json(new String(second.body(), StandardCharsets.UTF_8));
            assertThat(payload.get("type").asText()).isEqualTo("job.completed");
            assertThat(payload.get("data").get("id").asText()).isEqualTo(id);
            assertThat(payload.get("data").get("status").asText()).isEqualTo("completed");

            JsonNode recorded = await().atMost(Duration.ofSeconds(10)).until(
                    () -> json(service.get("/v1/jobs/" + id, TENANT_HEADER, "acme").body()).get("webhook").get("deliveries"),
                    d -> d.size() == 2);
            assertThat(recorded.get(0).get("http_status").asInt()).isEqualTo(500);
            assertThat(recorded.get(1).get("http_status").asInt()).isEqualTo(204);
            Thread.sleep(500);
            assertThat(receiver.deliveries()).as("no delivery after a 2xx").isEmpty();
        }
    }

    /** Verifies like a Standard Webhooks receiver: HMAC-SHA256 over "id.timestamp.body", fresh timestamp. */
    static void assertSignatureValid(WebhookReceiver.Delivery delivery) throws Exception {
        String id = delivery.header("webhook-id");
        String timestamp = delivery.header("webhook-timestamp");
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(300);
        byte[] key = Base64.getDecoder().decode(TestSecrets.WEBHOOK_SECRET.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(delivery.body()));
        List<String> offered = List.of(delivery.header("webhook-signature").split(" "));
        assertThat(offered.stream().anyMatch(s -> MessageDigest.isEqual(s.getBytes(), expected.getBytes()))).isTrue();
    }

    @Test
    void anIdempotencyKeyReplaysTheSameJobAndRefusesAnotherBody() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"once\"}],\"max_tokens\":4}";
        String reordered = "{\"max_tokens\":4, \"messages\":[{\"content\":\"once\",\"role\":\"user\"}]}";
        var first = service.post("/v1/jobs", body, "Idempotency-Key", key);
        var replay = service.post("/v1/jobs", reordered, "Idempotency-Key", key);
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(replay.statusCode()).isEqualTo(200);
        String id = json(first.body()).get("id").asText();
        assertThat(json(replay.body()).get("id").asText()).isEqualTo(id);

        var conflict = service.post("/v1/jobs", body.replace("once", "twice"), "Idempotency-Key", key);
        assertThat(conflict.statusCode()).isEqualTo(422);
        assertThat(json(conflict.body()).get("code").asText()).isEqualTo("idempotency_key_reused");

        awaitStatus(id, "completed", "default");
        assertThat(FakeEngine.get().jobs().stream().filter(j -> j.jobId().equals(id))).hasSize(1);
        // The same key of another tenant is another job.
        var otherTenant = service.post("/v1/jobs", body, "Idempotency-Key", key, TENANT_HEADER, "other");
        assertThat(otherTenant.statusCode()).isEqualTo(202);
        assertThat(json(otherTenant.body()).get("id").asText()).isNotEqualTo(id);
    }

    @Test
    void jobsAreTenantScoped() throws Exception {
        var created = service.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"mine\"}]}",
                TENANT_HEADER, "tenant-a");
        String id = json(created.body()).get("id").asText();
        assertThat(service.get("/v1/jobs/" + id, TENANT_HEADER, "tenant-a").statusCode()).isEqualTo(200);
        var foreign = service.get("/v1/jobs/" + id, TENANT_HEADER, "tenant-b");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(json(foreign.body()).get("code").asText()).isEqualTo("job_not_found");
        var foreignCancel = service.post("/v1/jobs/" + id + "/cancel", "", TENANT_HEADER, "tenant-b");
        assertThat(foreignCancel.statusCode()).isEqualTo(404);
        assertThat(service.get("/v1/jobs/nope", TENANT_HEADER, "tenant-a").statusCode()).isEqualTo(404);
        assertThat(service.get("/v1/jobs/..%2F..%2Fx", TENANT_HEADER, "tenant-a").statusCode()).isIn(400, 404);
    }

    @Test
    void cancellingARunningJobStopsTheWorkerAndEndsCancelled() throws Exception {
        var created = service.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"hang\"}]}");
        String id = json(created.body()).get("id").asText();
        awaitStatus(id, "running", "default");
        var cancel = service.post("/v1/jobs/" + id + "/cancel", "");
        assertThat(cancel.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().cancelled().contains(id));
        awaitStatus(id, "cancelled", "default");
        // Cancelling a finished job changes nothing.
        var again = service.post("/v1/jobs/" + id + "/cancel", "");
        assertThat(json(again.body()).get("status").asText()).isEqualTo("cancelled");
    }

    /** A job document as if a job had been accepted and nobody had touched it since (no Kafka record). */
    static String storeJob(JobStatus status, Instant deadline) {
        String id = io.vlsuite.preprocess.jobs.JobIds.newJob();
        Instant created = Instant.now().minusSeconds(120);
        var record = new JobRecord(id, "default", Lane.BATCH, "vlsuite/tiny-trained", List.of(), new Sampling(8, null,
                null, null, null, null, null, null, null, null, null, null, null, null, 1), true, created, deadline, "r");
        service.context().getBean(JobRepository.class).create(new JobDocument(id, "default", status, Lane.BATCH,
                created, created, record, null, null, null, Map.of(), null, "hash", null));
        return id;
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndTellsTheWorkers() throws Exception {
        String id = storeJob(JobStatus.QUEUED, Instant.now().plusSeconds(3600));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        var watching = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(service.uri("/v1/jobs/" + id + "/events"))
                .build(), HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> r.body().forEach(lines::add));
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("event: queued");

        var cancel = service.post("/v1/jobs/" + id + "/cancel", "");
        assertThat(cancel.statusCode()).isEqualTo(200);
        assertThat(json(cancel.body()).get("status").asText()).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeEngine.get().cancelled().contains(id));
        // No worker announces it: the event stream learns it from the document.
        watching.get(10, TimeUnit.SECONDS);
        assertThat(lines).contains("event: cancelled");
    }

    @Test
    void anUnfinishedJobPastItsDeadlineReadsAsExpired() throws Exception {
        String id = storeJob(JobStatus.RUNNING, Instant.now().minusSeconds(60));
        assertThat(json(service.get("/v1/jobs/" + id).body()).get("status").asText()).isEqualTo("expired");
        String fresh = storeJob(JobStatus.RUNNING, Instant.now().plusSeconds(60));
        assertThat(json(service.get("/v1/jobs/" + fresh).body()).get("status").asText()).isEqualTo("running");
    }

    @Test
    void theEventStreamShowsStartProgressAndTheResult() throws Exception {
        var created = service.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"hang then go\"}]}");
        String id = json(created.body()).get("id").asText();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        var request = HttpRequest.newBuilder(service.uri("/v1/jobs/" + id + "/events")).build();
        var pending = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> r.body().forEach(lines::add));
        List<String> events = new ArrayList<>();
        List<String> data = new ArrayList<>();
        while (!events.contains("started")) {
            String line = lines.poll(20, TimeUnit.SECONDS);
            assertThat(line).isNotNull();
            if (line.startsWith("event: ")) {
                events.add(line.substring(7));
            }
        }
        FakeEngine.get().release(id);
        pending.get(20, TimeUnit.SECONDS);
        for (String line : lines) {
            if (line.startsWith("event: ")) {
                events.add(line.substring(7));
            } else if (line.startsWith("data: ")) {
                data.add(line.substring(6));
            }
        }
        assertThat(events).containsSubsequence("queued", "started", "progress", "progress", "completed");
        assertThat(events.getLast()).isEqualTo("completed");
        assertThat(data.stream().filter(d -> d.contains("\"tokens\"") && !d.contains("\"status\"")).map(d -> d.replaceAll(".*\"tokens\":(\\d+).*", "$1")))
                .containsExactly("1", "2");
        JsonNode completed = json(data.getLast());
        assertThat(completed.get("status").asText()).isEqualTo("completed");
        assertThat(completed.get("result").get("choices").get(0).get("message").get("content").asText()).isEqualTo("Hello world");
    }

    @Test
    void listsJobsByStatusInPages() throws Exception {
        String tenant = "lister-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(json(service.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"n" + i + "\"}]}",
                    TENANT_HEADER, tenant).body()).get("id").asText());
        }
        ids.forEach(id -> awaitStatus(id, "completed", tenant));
        JsonNode page1 = json(service.get("/v1/jobs?limit=2&status=completed", TENANT_HEADER, tenant).body());
        assertThat(page1.get("data")).hasSize(2);
        assertThat(page1.get("has_more").asBoolean()).isTrue();
        JsonNode page2 = json(service.get("/v1/jobs?limit=2&status=completed&after=" + page1.get("last_id").asText(),
                TENANT_HEADER, tenant).body());
        assertThat(page2.get("data")).hasSize(1);
        assertThat(page2.get("has_more").asBoolean()).isFalse();
        List<String> listed = new ArrayList<>();
        page1.get("data").forEach(j -> listed.add(j.get("id").asText()));
        page2.get("data").forEach(j -> listed.add(j.get("id").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(json(service.get("/v1/jobs?status=cancelled", TENANT_HEADER, tenant).body()).get("data")).isEmpty();
        var bad = service.get("/v1/jobs?status=done", TENANT_HEADER, tenant);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(service.get("/v1/jobs?limit=100000", TENANT_HEADER, tenant).statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/hook", "http://[fd00::1]/hook",
            "http://100.64.0.1/hook", "ftp://example.com/hook", "http://user:pw@127.0.0.1/hook", "not a url"})
    void refusesWebhooksToInternalAddresses(String url) throws Exception {
        int jobs = FakeEngine.get().jobs().size();
        var response = service.post("/v1/jobs", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"webhook\":\""
                + url + "\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response.body()).get("code").asText()).isEqualTo("webhook_url_forbidden");
        Thread.sleep(50);
        assertThat(FakeEngine.get().jobs()).hasSize(jobs);
    }
}
