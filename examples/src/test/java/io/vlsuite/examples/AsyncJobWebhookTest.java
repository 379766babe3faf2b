package io.vlsuite.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vlsuite.examples.http.AsyncJobClient;
import io.vlsuite.examples.http.WebhookReceiver;
import io.vlsuite.examples.http.WebhookVerifier;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A plain java.net.http client submits a job, polls it, and receives the signed webhook on loopback. */
class AsyncJobWebhookTest {

    @Test
    void aJobCompletesWithTheEngineAnswerAndItsWebhookCarriesAValidSignature() throws Exception {
        String question = "Which shape is black?";
        var client = new AsyncJobClient(URI.create(RunningSuite.baseUrl()), RunningSuite.API_KEY);
        try (var receiver = WebhookReceiver.start(new WebhookVerifier(RunningSuite.WEBHOOK_SECRET))) {
            JsonNode accepted = client.submit(AsyncJobClient.visionJob(RunningSuite.MODEL,
                    RunningSuite.evalPicture("007.png"), question, receiver.url()));
            String id = accepted.path("id").asText();
            assertThat(accepted.path("status").asText()).isIn("queued", "running");

            JsonNode done = client.awaitTerminal(id, Duration.ofMillis(200), Duration.ofMinutes(3));
            String expected = EngineOracle.get().imageThenText(RunningSuite.evalFile("007.png"), question);
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(AsyncJobClient.answer(done)).isEqualTo(expected);

            WebhookReceiver.Delivery delivery = receiver.next(Duration.ofSeconds(60));
            assertThat(delivery).as("a verified webhook; refused: %s", receiver.rejections()).isNotNull();
            assertThat(receiver.rejections()).isEmpty();
            JsonNode event = new ObjectMapper().readTree(delivery.body());
            assertThat(event.path("type").asText()).isEqualTo("job.completed");
            assertThat(event.path("data").path("id").asText()).isEqualTo(id);
            assertThat(AsyncJobClient.answer(event.path("data"))).isEqualTo(expected);
            assertThat(delivery.webhookId()).contains(id);
        }
    }
}
