package io.vlsuite.inference.embedded;

import io.vlsuite.contracts.job.Lane;
import io.vlsuite.inference.config.InferenceProperties;
import io.vlsuite.inference.engine.Completion;
import io.vlsuite.inference.engine.EngineFailure;
import io.vlsuite.inference.engine.FinishReason;
import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.inference.engine.InferenceListener;
import io.vlsuite.inference.engine.InferenceRequest;
import io.vlsuite.inference.engine.TokenDelta;
import io.vlsuite.qwen2vl.sampling.SamplingParams;
import io.vlsuite.qwen2vl.template.ChatMessage;
import io.vlsuite.qwen2vl.template.ChatOptions;
import io.vlsuite.qwen2vl.template.PromptBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded engine adapter over the qwen2vl-core engine, with the bundled tiny-trained model. */
class EmbeddedEngineTest {

    static final Path MODEL = Path.of(System.getProperty("user.dir")).resolve("../models/tiny-trained");
    static EmbeddedEngine engine;
    static PromptBuilder prompts;

    @BeforeAll
    static void load() {
        engine = EmbeddedEngine.load(MODEL, new InferenceProperties.Embedded(4, 256, 512, DataSize.ofMegabytes(32), 16));
        prompts = PromptBuilder.load(MODEL);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static InferenceRequest request(String id, String text, SamplingParams params, Instant deadline) {
        var prompt = prompts.build(List.of(ChatMessage.of("user", text)), ChatOptions.DEFAULT, List.of());
        return new InferenceRequest(id, prompt.text(), prompt.inputIds(), List.of(), params, Lane.INTERACTIVE, deadline);
    }

    /** Records the calls in order. */
    static final class Recorder implements InferenceListener {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final StringBuilder text = new StringBuilder();
        final CompletableFuture<Completion> done = new CompletableFuture<>();
        final CountDownLatch firstDelta = new CountDownLatch(1);

        @Override
        public void onStarted() {
            calls.add("started");
        }

        @Override
        public synchronized void onDelta(TokenDelta delta) {
            calls.add("delta");
            text.append(delta.text());
            firstDelta.countDown();
        }

        @Override
        public void onCompleted(Completion completion) {
            calls.add("completed");
            done.complete(completion);
        }

        @Override
        public void onFailed(EngineFailure failure) {
            calls.add("failed");
            done.completeExceptionally(new AssertionError(failure.toString()));
        }
    }

    @Test
    void streamsStartedThenDeltasThenOneCompletionWhoseTextTheyAddUpTo() throws Exception {
        var r = new Recorder();
        engine.submit(request("s1", "Hello there", SamplingParams.builder().temperature(0).maxTokens(12)
                .ignoreEos(true).build(), null), r);
        Completion c = r.done.get(30, TimeUnit.SECONDS);
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.tokenIds()).hasSize(12);
        assertThat(r.calls.getFirst()).isEqualTo("started");
        assertThat(r.calls.getLast()).isEqualTo("completed");
        assertThat(r.calls).filteredOn("delta"::equals).hasSize(12);
        assertThat(r.text.toString()).isEqualTo(c.text());
        assertThat(c.usage().completionTokens()).isEqualTo(12);
        assertThat(c.timings().timeToFirstToken()).isNotNull();
    }

    @Test
    void cancelEndsTheRequestAndFreesItsSlot() throws Exception {
        var r = new Recorder();
        var handle = engine.submit(request("c1", "Count forever", SamplingParams.builder().temperature(0)
                .maxTokens(400).ignoreEos(true).build(), null), r);
        assertThat(r.firstDelta.await(30, TimeUnit.SECONDS)).isTrue();
        handle.cancel();
        Completion c = r.done.get(10, TimeUnit.SECONDS);
        assertThat(c.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(c.tokenIds().size()).isLessThan(400);
        assertThat(engine.load().running()).isZero();
    }

    @Test
    void aDeadlineEndsTheRequestWithDeadline() throws Exception {
        var r = new Recorder();
        engine.submit(request("d1", "Slow", SamplingParams.builder().temperature(0).maxTokens(400).ignoreEos(true)
                .build(), Instant.now().plus(Duration.ofMillis(1))), r);
        assertThat(r.done.get(30, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.DEADLINE);
    }

    @Test
    void aPromptLongerThanTheModelTakesIsRejectedDeterministically() {
        assertThatThrownBy(() -> engine.submit(request("p1", "word ".repeat(600), SamplingParams.greedy(4), null),
                new Recorder()))
                .isInstanceOfSatisfying(InferenceException.class, e -> {
                    assertThat(e.code()).isEqualTo("prompt_too_long");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(engine.capacity()).isEqualTo(4);
        assertThat(engine.ready()).isTrue();
    }
}
