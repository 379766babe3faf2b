package io.vlsuite.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The question the start command asks once the suite is up: "Describe this image." about a bundled picture, sent
 * like any client would (through the gateway, with the API key, OpenAI chat-completions format). A newcomer sees
 * the whole path work, and the picture is left in the data folder for the printed {@code curl}.
 */
final class DemoQuestion {

    static final String QUESTION = "Describe this image.";
    private static final String PICTURE = "vlsuite/demo/orange-triangle.png";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Copies the demo picture to {@code dataDir/demo/} (for the printed curl) and returns its path. */
    static Path extractPicture(Path dataDir) {
        Path target = dataDir.resolve("demo").resolve("orange-triangle.png");
        try (InputStream in = DemoQuestion.class.getClassLoader().getResourceAsStream(PICTURE)) {
            if (in == null) {
                throw new IllegalStateException("the demo picture " + PICTURE + " is missing from the jar");
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks the question through the gateway and returns the model's answer. */
    String ask(int gatewayPort, String apiKey, String model, Path picture) throws IOException, InterruptedException {
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(picture));
        Map<String, Object> body = Map.of(
                "model", model,
                "temperature", 0,
                "max_tokens", 64,
                "messages", List.of(Map.of("role", "user", "content", List.of(
                        Map.of("type", "image_url", "image_url", Map.of("url", dataUrl)),
                        Map.of("type", "text", "text", QUESTION)))));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/chat/completions"))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode answer = json.readTree(response.body());
        if (response.statusCode() != 200) {
            throw new IOException("the suite answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return answer.path("choices").path(0).path("message").path("content").asText();
    }

    /** A ready-to-paste curl that asks the same question about the extracted picture. */
    static String curl(int gatewayPort, String apiKey, String model, Path picture) {
        return "curl -s http://localhost:" + gatewayPort + "/v1/chat/completions \\\n"
                + "    -H 'Authorization: Bearer " + apiKey + "' -H 'Content-Type: application/json' \\\n"
                + "    -d '{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,'\"$(base64 -w0 " + picture + ")\"'\"}},"
                + "{\"type\":\"text\",\"text\":\"" + QUESTION + "\"}]}]}'";
    }
}
