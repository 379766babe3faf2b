package io.vlsuite.examples;

import io.vlsuite.examples.openai.OpenAiSdkVisionClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official OpenAI Java SDK against the running suite, through the gateway. */
class OpenAiSdkClientTest {

    static OpenAiSdkVisionClient client;

    @BeforeAll
    static void connect() {
        client = new OpenAiSdkVisionClient(RunningSuite.baseUrl(), RunningSuite.API_KEY, RunningSuite.MODEL);
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void createAnswersWhatTheEngineAnswers() {
        String question = "Which shape is red?";
        assertThat(client.ask(RunningSuite.evalPicture("004.png"), question))
                .isNotBlank()
                .isEqualTo(EngineOracle.get().imageThenText(RunningSuite.evalFile("004.png"), question));
    }

    @Test
    void createStreamingAssemblesToWhatTheEngineAnswers() {
        String question = "How many shapes are there?";
        assertThat(client.askStreaming(RunningSuite.evalPicture("001.png"), question))
                .isNotBlank()
                .isEqualTo(EngineOracle.get().imageThenText(RunningSuite.evalFile("001.png"), question));
    }

    @Test
    void aWrongApiKeyIsRefusedAsUnauthorized() {
        try (var stranger = new OpenAiSdkVisionClient(RunningSuite.baseUrl(), "not-the-key", RunningSuite.MODEL)) {
            assertThatThrownBy(() -> stranger.ask(RunningSuite.evalPicture("001.png"), "How many shapes are there?"))
                    .isInstanceOf(com.openai.errors.UnauthorizedException.class);
        }
    }
}
