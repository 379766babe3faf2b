package io.vlsuite.examples.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Submits an asynchronous job with a webhook on this machine's loopback, polls it, and prints the verified webhook:
 * <pre>
 * VLSUITE_API_KEY=... VLSUITE_WEBHOOK_SECRET=whsec_... java -cp ... io.vlsuite.examples.http.AsyncJobExample picture.png "Describe this image."
 * </pre>
 * The suite must sign with the same secret ({@code VLSUITE_WEBHOOK_SECRET} when it starts) and allow loopback
 * webhooks (the standalone mode does).
 */
public final class AsyncJobExample {

    private AsyncJobExample() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: AsyncJobExample <picture.png> <question>");
            System.exit(2);
        }
        byte[] png = Files.readAllBytes(Path.of(args[0]));
        URI baseUrl = URI.create(System.getenv().getOrDefault("VLSUITE_BASE_URL", "http://localhost:8080/v1"));
        var client = new AsyncJobClient(baseUrl, System.getenv("VLSUITE_API_KEY"));
        try (var receiver = WebhookReceiver.start(new WebhookVerifier(System.getenv("VLSUITE_WEBHOOK_SECRET")))) {
            JsonNode accepted = client.submit(AsyncJobClient.visionJob("vlsuite/tiny-trained", png, args[1], receiver.url()));
            String id = accepted.path("id").asText();
            System.out.println("submitted " + id + " (" + accepted.path("status").asText() + ")");
            JsonNode done = client.awaitTerminal(id, Duration.ofMillis(500), Duration.ofMinutes(5));
            System.out.println("polled:  " + done.path("status").asText() + ": " + AsyncJobClient.answer(done));
            var delivery = receiver.next(Duration.ofSeconds(30));
            System.out.println(delivery == null
                    ? "no verified webhook within 30 s; refused: " + receiver.rejections()
                    : "webhook " + delivery.webhookId() + " verified: " + delivery.body());
        }
    }
}
