package io.vlsuite.examples;

import io.vlsuite.examples.springai.SpringAiExampleApplication;
import io.vlsuite.examples.springai.VisionChat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring AI 2.0's ChatClient, configured only by the example's properties, against the running suite. */
class SpringAiChatClientTest {

    static ConfigurableApplicationContext app;
    static VisionChat chat;

    @BeforeAll
    static void startExampleApplication() {
        RunningSuite.get();
        app = SpringAiExampleApplication.start(
                "--spring.ai.openai.base-url=" + RunningSuite.baseUrl(),
                "--spring.ai.openai.api-key=" + RunningSuite.API_KEY,
                // RunningSuite keeps Spring AI off inside the suite's contexts; this application needs it.
                "--spring.ai.model.chat=openai",
                "--spring.ai.chat.client.enabled=true",
                // This test classpath also holds the whole suite; a user's application has none of it.
                "--spring.cloud.gateway.server.webflux.enabled=false",
                "--spring.autoconfigure.exclude=" + String.join(",",
                        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
                        "io.vlsuite.support.kafka.KafkaHealthAutoConfiguration",
                        "io.vlsuite.preprocess.media.MediaIntakeAutoConfiguration",
                        "io.vlsuite.media.autoconfigure.MediaStoreAutoConfiguration"));
        chat = app.getBean(VisionChat.class);
    }

    @AfterAll
    static void stopWhenTheJvmEnds() {
        // Not now: closing a Spring Boot context on this classpath disposes Reactor Netty's global event loops,
        // which the in-process gateway (still needed by the next test classes) serves on.
        if (app != null) {
            ConfigurableApplicationContext started = app;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-spring-ai-example"));
        }
    }

    @Test
    void callAnswersWhatTheEngineAnswersForTheSamePictureAndQuestion() {
        String question = "How many shapes are there?";
        String answer = chat.ask(RunningSuite.evalPicture("000.png"), question);

        assertThat(answer).isNotBlank()
                .isEqualTo(EngineOracle.get().textThenImage(RunningSuite.evalFile("000.png"), question));
    }

    @Test
    void streamAssemblesToWhatTheEngineAnswers() {
        String question = "What color is the triangle?";
        var pieces = chat.askStreaming(RunningSuite.evalPicture("003.png"), question).collectList().block();

        assertThat(pieces).isNotNull();
        assertThat(String.join("", pieces))
                .isEqualTo(EngineOracle.get().textThenImage(RunningSuite.evalFile("003.png"), question));
        assertThat(pieces.stream().filter(p -> !p.isEmpty()).collect(Collectors.toList()))
                .as("the answer arrives in several deltas, not one").hasSizeGreaterThan(1);
    }
}
