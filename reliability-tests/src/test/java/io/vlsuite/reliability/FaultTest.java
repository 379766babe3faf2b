package io.vlsuite.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static io.vlsuite.reliability.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault scenarios of reliability.md §7.4 that run in one JVM: poison records, forced redelivery, S3 outage and
 * restart, client disconnects, slow SSE readers, overload bursts. After each: every job of the tenant settles in
 * exactly one terminal state with at most one result, and the suite still answers.
 */
class FaultTest {

    static RunningSuite running;
    static SuiteClient client;

    @BeforeAll
    static void start() {
        running = RunningSuite.get();
        client = running.gateway();
    }

    @AfterEach
    void ledgerIsCleanAndTheSuiteStillAnswers() {
        JobLedger.Report report = Jobs.ledgerOfEverything(running.direct()).settle(running.direct(), Duration.ofSeconds(120));
        assertThat(report.problems()).as(report.toString()).isEmpty();
        running.assertHealthy();
    }

    @Test
    void f11_poisonRecordsGoToTheDeadLetterTopicAndTheWorkerContinues() {
        String key = "poison-" + UUID.randomUUID();
        byte[] garbage = {(byte) 0xff, 0x00, '{', '"', 'x', (byte) 0xfe, 0x13};
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.JOBS_INTERACTIVE, key.getBytes(), garbage)).get();
            producer.send(new ProducerRecord<>(Topics.JOBS_BATCH, key.getBytes(),
                    "{\"job_id\":\"not-a-job\",\"nonsense\":true}".getBytes())).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<ConsumerRecord<byte[], byte[]>> dead = awaitRecords(Topics.JOBS_DLT,
                r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key), 2, Duration.ofSeconds(60));
        assertThat(dead).as("poison records in %s", Topics.JOBS_DLT).hasSize(2);
        assertThat(dead).anySatisfy(r -> assertThat(r.value()).isEqualTo(garbage));
    }

    @Test
    void forcedRedeliveryOfAFinishedJobChangesNothing() {
        SuiteClient.Answer created = client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT);
        assertThat(created.status()).isEqualTo(202);
        String id = created.json().path("id").asText();
        JsonNode done = awaitTerminal(id);
        assertThat(done.path("status").asText()).isEqualTo("completed");

        List<ConsumerRecord<byte[], byte[]>> originals = awaitRecords(Topics.JOBS_BATCH,
                r -> new String(r.value(), StandardCharsets.UTF_8).contains(id)
                        || (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).contains(id)), 1, Duration.ofSeconds(30));
        assertThat(originals).as("the job's record").isNotEmpty();
        try (var producer = producer()) {
            for (int i = 0; i < 3; i++) {
                ConsumerRecord<byte[], byte[]> original = originals.getFirst();
                producer.send(new ProducerRecord<>(Topics.JOBS_BATCH, null, original.key(), original.value(),
                        original.headers())).get();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        SuiteClient.sleep(Duration.ofSeconds(5));
        JsonNode after = client.get("/v1/jobs/" + id).json();
        assertThat(after.path("status").asText()).isEqualTo("completed");
        assertThat(after.path("result")).isEqualTo(done.path("result"));
        List<Sse.Event> events = events(id, Duration.ZERO);
        assertThat(events.stream().filter(e -> JobLedger.TERMINAL.contains(e.name()))).hasSize(1);
    }

    @Test
    void jobEventsArriveInOrderWithExactlyOneTerminalEvent() {
        SuiteClient.Answer created = client.postJson("/v1/jobs",
                SuiteClient.SMALL_CHAT.replace("\"max_tokens\":8", "\"max_tokens\":48"));
        String id = created.json().path("id").asText();
        List<Sse.Event> events = events(id, Duration.ZERO);
        List<String> names = events.stream().map(Sse.Event::name).toList();
        assertThat(names).isNotEmpty();
        assertThat(names.getLast()).isIn(JobLedger.TERMINAL);
        assertThat(names.stream().filter(JobLedger.TERMINAL::contains)).hasSize(1);
        long lastTokens = -1;
        for (Sse.Event event : events) {
            if (event.name().equals("progress")) {
                long tokens = SuiteClient.JSON.valueToTree(parse(event.data())).path("tokens").asLong();
                assertThat(tokens).as("progress never goes back").isGreaterThanOrEqualTo(lastTokens);
                lastTokens = tokens;
            }
        }
        assertThat(names.indexOf("started")).isLessThanOrEqualTo(names.size() - 1);
    }

    @Test
    void f6_s3DownRefusesNewJobsWith503AndARetryWithTheSameKeyMakesExactlyOneJob() {
        String key = UUID.randomUUID().toString();
        running.stopS3();
        SuiteClient.Answer refused;
        try {
            refused = client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT, Map.of("Idempotency-Key", key));
        } finally {
            running.startS3();
        }
        assertProblem(refused, 503, "storage_unavailable");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        running.assertHealthy();
        SuiteClient.Answer accepted = client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT, Map.of("Idempotency-Key", key));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        SuiteClient.Answer replay = client.postJson("/v1/jobs", SuiteClient.SMALL_CHAT, Map.of("Idempotency-Key", key));
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json().path("id")).isEqualTo(accepted.json().path("id"));
        assertThat(awaitTerminal(accepted.json().path("id").asText()).path("status").asText()).isEqualTo("completed");
    }

    @Test
    void f14_clientsThatHangUpMidStreamOrMidRequestLeaveNoUnfinishedJob() throws Exception {
        String longStream = "{\"messages\":[{\"role\":\"user\",\"content\":\"Tell a long story.\"}],"
                + "\"max_tokens\":2000,\"temperature\":1.0,\"stream\":true}";
        HttpResponse<InputStream> stream = client.http().send(client.request("/v1/chat/completions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(longStream)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        stream.body().read(new byte[64]);
        stream.body().close();

        String longSync = longStream.replace("\"stream\":true", "\"stream\":false");
        var pending = client.http().sendAsync(client.request("/v1/chat/completions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(longSync)).build(),
                HttpResponse.BodyHandlers.ofString());
        SuiteClient.sleep(Duration.ofMillis(300));
        pending.cancel(true);
        // The ledger check after the test waits for both jobs to reach a terminal state.
    }

    @Test
    void f15_aVerySlowSseReaderGetsTheSameTextAsAFastOneAndOthersAreNotHeldUp() throws Exception {
        String request = "{\"messages\":[{\"role\":\"user\",\"content\":\"Describe the picture.\"}],"
                + "\"max_tokens\":24,\"temperature\":0,\"stream\":true}";
        String expected = client.postJson("/v1/chat/completions", request.replace("\"stream\":true", "\"stream\":false"))
                .json().path("choices").get(0).path("message").path("content").asText();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> slow = pool.submit(() -> streamedText(request, Duration.ofMillis(150)));
            SuiteClient.sleep(Duration.ofMillis(300));
            SuiteClient.Answer other = client.postJson("/v1/chat/completions", SuiteClient.SMALL_CHAT);
            assertThat(other.status()).as("a request next to the slow reader").isEqualTo(200);
            assertThat(slow.get()).as("streamed chunks, concatenated: no duplicate or reordered content")
                    .isEqualTo(expected);
        }
    }

    @Test
    void f21_aBurstAboveTheTenantQuotaGets429WithRetryAfterAndNeverA5xx() throws Exception {
        JobLedger ledger = new JobLedger();
        List<SuiteClient.Answer> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SuiteClient.Answer>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                Callable<SuiteClient.Answer> call = () -> client.sendOnce(client.request("/v1/jobs")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(SuiteClient.SMALL_CHAT)).build());
                futures.add(pool.submit(call));
            }
            for (var f : futures) {
                answers.add(f.get());
            }
        }
        for (SuiteClient.Answer answer : answers) {
            assertThat(answer.status()).as(answer.body()).isIn(202, 429, 503);
            if (answer.status() == 202) {
                ledger.accepted(answer.json().path("id").asText());
            } else {
                assertThat(answer.headers().firstValue("Retry-After")).as(answer.body()).isPresent();
                assertThat(answer.code()).isIn("rate_limited", "too_many_concurrent_requests", "overloaded");
            }
        }
        assertThat(answers).as("the burst is above the bucket").anyMatch(a -> a.status() == 429);
        assertThat(answers).anyMatch(a -> a.status() == 202);
        JobLedger.Report report = ledger.settle(running.direct(), Duration.ofSeconds(120));
        assertThat(report.problems()).as(report.toString()).isEmpty();
        assertThat(report.count("completed")).isEqualTo(ledger.size());
        SuiteClient.sleep(Duration.ofSeconds(3)); // let the bucket refill before the health check's request
    }

    // ---- helpers ----

    private static String streamedText(String request, Duration pausePerLine) throws Exception {
        HttpResponse<InputStream> response = client.http().send(client.request("/v1/chat/completions")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(request)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        boolean done = false;
        for (Sse.Event event : Sse.readAll(response.body(), pausePerLine)) {
            assertThat(done).as("nothing after [DONE]").isFalse();
            if (event.data().equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = SuiteClient.JSON.readTree(event.data());
            assertThat(chunk.has("error")).as(event.data()).isFalse();
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
            }
        }
        assertThat(done).as("stream ends with [DONE]").isTrue();
        return text.toString();
    }

    private static List<Sse.Event> events(String id, Duration pause) {
        try {
            HttpResponse<InputStream> response = client.http().send(client.request("/v1/jobs/" + id + "/events").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            return Sse.readAll(response.body(), pause);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Object parse(String json) {
        try {
            return SuiteClient.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(json, e);
        }
    }

    private static JsonNode awaitTerminal(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode job = client.get("/v1/jobs/" + id).json();
            if (JobLedger.TERMINAL.contains(job.path("status").asText()) || System.nanoTime() > deadline) {
                return job;
            }
            SuiteClient.sleep(Duration.ofMillis(100));
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                running.suite().infra().kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads {@code topic} from the beginning until {@code count} records match or the time is up. */
    private static List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> match, int count, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, running.suite().infra().kafkaBootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "reliability-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(record)) {
                        found.add(record);
                    }
                }
            }
        }
        return found;
    }
}
