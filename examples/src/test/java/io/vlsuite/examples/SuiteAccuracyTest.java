package io.vlsuite.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tiny-trained evaluation set through the whole suite (gateway, preprocess-service, Kafka, S3, worker): every
 * question with its picture as a {@code data:} URL, or its video as a list of frame {@code data:} URLs, answered
 * greedily, must equal the reference output (the model's own greedy answer in the reference implementation, special
 * tokens included: requested with skip_special_tokens=false) on at least 97% of the rows. Four requests at a time, as
 * a small client would send them.
 */
class SuiteAccuracyTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int PARALLEL_REQUESTS = 4;
    static final int MAX_ATTEMPTS = 10;
    static final java.util.concurrent.atomic.AtomicInteger RETRIES = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger CONNECTION_RETRIES = new java.util.concurrent.atomic.AtomicInteger();

    record Outcome(JsonNode row, int status, String answer) {
        /**
         * The reference text as transformers decoded it, special tokens included: the requests ask for them with
         * {@code skip_special_tokens: false}, so grounding answers keep their {@code <|box_start|>} markers.
         */
        String expected() {
            return row.path("reference_output").asText();
        }

        boolean matches() {
            return status == 200 && expected().equals(answer);
        }
    }

    @Test
    void evalAnswersEqualTheReferenceOnAtLeast97PercentOfRows() throws Exception {
        JsonNode rows = JSON.readTree(RunningSuite.evalFile("eval.json").toFile()).path("rows");
        URI endpoint = URI.create(RunningSuite.baseUrl() + "/chat/completions");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        long started = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS)) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (JsonNode row : rows) {
                futures.add(pool.submit(() -> ask(http, endpoint, row)));
            }
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        List<Outcome> misses = outcomes.stream().filter(o -> !o.matches()).toList();
        double accuracy = 1.0 - (double) misses.size() / outcomes.size();
        System.out.printf("suite accuracy: %d/%d rows equal the reference (%.1f%%) in %.1f s, %d parallel requests, "
                        + "%d retries after 429/503, %d after a timed-out connection%n",
                outcomes.size() - misses.size(), outcomes.size(), 100 * accuracy, seconds, PARALLEL_REQUESTS, RETRIES.get(),
                CONNECTION_RETRIES.get());
        misses.forEach(m -> System.out.printf("  row %s (%s): HTTP %d, got %s, reference %s%n", m.row().path("id"),
                m.row().path("kind").asText(), m.status(), m.answer(), m.expected()));

        assertThat(outcomes).hasSize(rows.size());
        assertThat(accuracy).as("share of rows equal to the reference; misses: %s", misses).isGreaterThanOrEqualTo(0.97);
    }

    private static Outcome ask(HttpClient http, URI endpoint, JsonNode row) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + RunningSuite.API_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(row))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // A request stuck on a reused keep-alive connection (reactor-netty 1.3.6, see docs/gateway.md) times
            // out; like the OpenAI SDKs, retry once on a fresh connection, and count it so it stays visible.
            CONNECTION_RETRIES.incrementAndGet();
            response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        }
        // The gateway limits each tenant's request rate (429) and a busy instance sheds load (503), both with
        // Retry-After: a well-behaved client waits that long and tries again.
        for (int attempt = 1; attempt < MAX_ATTEMPTS && (response.statusCode() == 429 || response.statusCode() == 503); attempt++) {
            RETRIES.incrementAndGet();
            long waitSeconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep(Duration.ofSeconds(Math.max(1, Math.min(waitSeconds, 10))));
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() != 200) {
            return new Outcome(row, response.statusCode(), response.body());
        }
        String answer = JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText();
        return new Outcome(row, 200, answer);
    }

    /** One user message: the picture (or the video's frames) first, then the question, as the reference was made. */
    static ObjectNode body(JsonNode row) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", RunningSuite.MODEL);
        body.put("temperature", 0);
        body.put("max_tokens", EngineOracle.MAX_TOKENS);
        // Grounding answers are special-token markup: keep it, as a client parsing boxes would.
        body.put("skip_special_tokens", false);
        var content = body.putArray("messages").addObject().put("role", "user").putArray("content");
        if (row.has("image")) {
            content.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", DataUrls.png(RunningSuite.evalPicture(row.path("image").asText())));
        } else {
            // A video given as its frames: video_url.url is a list of frame URLs (vLLM's list-of-images video).
            var frames = content.addObject().put("type", "video_url").putObject("video_url").putArray("url");
            row.path("video_frames").forEach(f -> frames.add(DataUrls.png(RunningSuite.evalPicture(f.asText()))));
        }
        content.addObject().put("type", "text").put("text", row.path("question").asText());
        return body;
    }
}
