package io.vlsuite.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A small HTTP/1.1 client for the suite's public API. HTTP/1.1 on purpose: the JDK client's h2c upgrade would make
 * every first request a different code path from the one real clients mostly use.
 */
public final class SuiteClient {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String SMALL_CHAT =
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Describe the picture.\"}],\"max_tokens\":8,\"temperature\":0}";

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** @param apiKey null for direct calls to preprocess-service (no gateway, tenant {@code default}) */
    public SuiteClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    public URI base() {
        return base;
    }

    public HttpClient http() {
        return http;
    }

    public HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    public Answer get(String path) {
        return send(request(path).GET().build());
    }

    public Answer postJson(String path, String body) {
        return postJson(path, body, Map.of());
    }

    public Answer postJson(String path, String body, Map<String, String> headers) {
        var builder = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(builder::header);
        return send(builder.build());
    }

    /**
     * Sends once and, when the gateway's token bucket is empty (429 rate_limited), waits as told by
     * {@code Retry-After} and sends again: the bad-input tests assert what the SERVICES answer, not the limiter.
     */
    public Answer send(HttpRequest request) {
        for (int attempt = 0; ; attempt++) {
            Answer answer = sendOnce(request);
            if (answer.status() != 429 || attempt >= 30) {
                return answer;
            }
            long waitSeconds = answer.headers().firstValueAsLong("Retry-After").orElse(1);
            sleep(Duration.ofMillis(Math.min(waitSeconds, 5) * 1000));
        }
    }

    public Answer sendOnce(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One HTTP answer. */
    public record Answer(int status, java.net.http.HttpHeaders headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        /** The problem document's {@code code}, or null when the body is not a problem document. */
        public String code() {
            if (!contentType().startsWith("application/problem+json")) {
                return null;
            }
            return json().path("code").asText(null);
        }
    }
}
