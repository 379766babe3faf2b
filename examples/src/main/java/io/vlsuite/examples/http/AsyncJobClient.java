package io.vlsuite.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vlsuite.examples.DataUrls;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * vlsuite's asynchronous job API with nothing but {@code java.net.http}: submit ({@code POST /v1/jobs}) and poll
 * ({@code GET /v1/jobs/{id}}) until the job reaches a terminal state.
 */
public final class AsyncJobClient {

    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled", "expired");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            // HTTP/1.1: no h2c upgrade dance on http:// URLs (some servers refuse upgrades that carry a body).
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI baseUrl;
    private final String apiKey;

    /** @param baseUrl the API root ending in {@code /v1}, e.g. {@code http://localhost:8080/v1} */
    public AsyncJobClient(URI baseUrl, String apiKey) {
        this.baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/");
        this.apiKey = apiKey;
    }

    /** The body of a job that asks {@code question} about a PNG, answered greedily, reported to {@code webhook}. */
    public static ObjectNode visionJob(String model, byte[] png, String question, URI webhook) {
        ObjectNode job = JSON.createObjectNode();
        job.put("model", model);
        var content = job.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "image_url").putObject("image_url").put("url", DataUrls.png(png));
        content.addObject().put("type", "text").put("text", question);
        job.put("temperature", 0);
        job.put("max_tokens", 64);
        if (webhook != null) {
            job.put("webhook", webhook.toString());
        }
        return job;
    }

    /** Submits a job; answers the job as accepted (status {@code queued}). */
    public JsonNode submit(ObjectNode job) throws IOException, InterruptedException {
        HttpRequest request = authorized("jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(job)))
                .build();
        return send(request, 202);
    }

    /** The job as it is now. */
    public JsonNode get(String jobId) throws IOException, InterruptedException {
        return send(authorized("jobs/" + jobId).GET().build(), 200);
    }

    /** Polls every {@code interval} until the job is finished; throws when {@code timeout} passes first. */
    public JsonNode awaitTerminal(String jobId, Duration interval, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = get(jobId);
            if (TERMINAL.contains(job.path("status").asText())) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("job " + jobId + " still " + job.path("status").asText() + " after " + timeout);
            }
            Thread.sleep(interval);
        }
    }

    /** The assistant's text of a completed job ({@code result} is a {@code chat.completion}). */
    public static String answer(JsonNode job) {
        return job.path("result").path("choices").path(0).path("message").path("content").asText();
    }

    private HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey);
    }

    private JsonNode send(HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
